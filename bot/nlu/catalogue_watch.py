"""Keep something built from the live catalogue up to date while the Rasa server runs.

A staff member changes the catalogue with `python -m bot catalogue load`; the NLU components
must see the change at the next message without a restart or a retraining. They ask the
database for the catalogue version at most every `refresh_seconds` and rebuild what they hold
when it changed. When the database cannot be read, they keep what they have, so an outage
does not blind the bot.
"""
from __future__ import annotations

import logging
import time
from typing import Callable, Generic, Optional, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.catalogue import queries
from bot.catalogue.db import session_scope

logger = logging.getLogger(__name__)

T = TypeVar("T")


class CatalogueWatch(Generic[T]):
    def __init__(self, build: Callable[[Session], T], fallback: T, what: str,
                 refresh_seconds: float = 5.0) -> None:
        self._build = build
        self._value = fallback
        self._what = what
        self._refresh_seconds = refresh_seconds
        self._version: Optional[str] = None
        self._checked_at = float("-inf")

    def get(self) -> T:
        now = time.monotonic()
        if now - self._checked_at >= self._refresh_seconds:
            self._checked_at = now
            self._refresh()
        return self._value

    def _refresh(self) -> None:
        try:
            with session_scope() as session:
                version = queries.catalogue_version(session)
                if version == self._version:
                    return
                value = self._build(session)
        except SQLAlchemyError as error:
            logger.warning("Catalogue not readable, keeping the previous %s: %s", self._what, error)
            return
        self._value, self._version = value, version
        logger.info("%s rebuilt for catalogue version %s", self._what, version[:12])
