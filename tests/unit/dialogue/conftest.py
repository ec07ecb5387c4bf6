"""Turns as the NLU would hand them to the dialogue (see `parse_data` in tests/conftest.py)."""
from typing import Dict, Optional

import pytest
from sqlalchemy.orm import Session

from bot.catalogue.db import get_engine
from bot.dialogue.turn import Turn


@pytest.fixture
def session(catalogue_database):
    with Session(get_engine(catalogue_database)) as session:
        yield session


@pytest.fixture
def turn(parse_data):
    def make(text: str, intent: str, confidence: float = 0.9, entities=(), ranking=(),
             slots: Optional[Dict] = None) -> Turn:
        return Turn.from_parse(parse_data(text, intent, confidence, entities, ranking), slots or {})

    return make
