"""Retention: delete stored conversations that have been inactive for a number of days.

Rasa's SQL tracker store keeps one row per event in the table `events` (sender_id, timestamp,
...). A conversation is deleted as a whole (every event of its sender_id, all sessions) when its
newest event is older than the cut-off; conversations with any newer event are kept entirely.

The database is the tracker store of the Rasa endpoints file the servers use, read the way Rasa
reads it: RASA_ENDPOINTS (as in the Procfile) or endpoints.yml, with ${VAR} filled in from the
environment. So endpoints.yml gives the SQLite file var/tracker.db, and
deploy/endpoints.production.yml gives PostgreSQL via TRACKER_DB_HOST/PORT/NAME/USER/PASSWORD.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine, func, inspect, select
from sqlalchemy.engine import make_url

from bot.settings import REPO_ROOT

SECONDS_PER_DAY = 86400
BATCH = 500
# Tracker store types that keep Rasa's `events` table (bot/tracker_store.py: Rasa's, with Core queries).
SQL_TYPES = {"sql", "bot.tracker_store.coresqltrackerstore"}

_metadata = MetaData()
events = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("timestamp", Float),
)


class RetentionError(RuntimeError):
    """The tracker store cannot be found or read (Dutch message)."""


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    events: int
    cutoff: float
    dry_run: bool = False


def endpoints_path(path: Optional[Union[str, Path]] = None) -> Path:
    """The endpoints file: `path`, else RASA_ENDPOINTS, else endpoints.yml (relative to the repo)."""
    value = Path(path) if path else Path(os.environ.get("RASA_ENDPOINTS", "").strip() or "endpoints.yml")
    return value if value.is_absolute() else REPO_ROOT / value


def tracker_store_url(path: Optional[Union[str, Path]] = None) -> str:
    """The SQLAlchemy URL of the SQL tracker store in the endpoints file, read by Rasa's own
    endpoint reader (which fills in ${VAR} from the environment) and URL builder."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import read_endpoint_config

    file = endpoints_path(path)
    if not file.is_file():
        raise RetentionError(f"Het endpoints-bestand {file} bestaat niet.")
    try:
        store = read_endpoint_config(str(file), "tracker_store")
    except RasaException as exc:
        raise RetentionError(f"Een omgevingsvariabele voor de tracker store is niet gezet: {exc}") from exc
    if store is None or str(store.type or "").lower() not in SQL_TYPES:
        raise RetentionError(f"{file} heeft geen SQL tracker store (tracker_store: type: SQL).")
    if store.url and "://" in store.url:  # Rasa accepts a complete URL in `url`
        return store.url
    options = store.kwargs
    dialect = str(options.get("dialect") or "sqlite")
    database = str(options.get("db") or "rasa.db")
    if dialect == "sqlite" and not Path(database).is_absolute():
        database = str(REPO_ROOT / database)  # Rasa runs from the repository (Procfile)
    url = SQLTrackerStore.get_db_url(dialect, store.url, options.get("port"), database,
                                     options.get("username"), options.get("password"),
                                     query=options.get("query"))
    return url if isinstance(url, str) else url.render_as_string(hide_password=False)


def _engine(url: str):
    kwargs: dict = {"future": True}
    schema = os.environ.get("POSTGRESQL_SCHEMA", "").strip()  # as Rasa's SQL tracker store
    if schema and make_url(url).get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    return create_engine(url, **kwargs)


def purge(url: str, older_than_days: float, now: Optional[float] = None, dry_run: bool = False) -> PurgeResult:
    """Delete every conversation whose newest event is older than `older_than_days` days."""
    if older_than_days < 0:
        raise ValueError("older_than_days must not be negative")
    cutoff = (time.time() if now is None else now) - older_than_days * SECONDS_PER_DAY
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not Path(database).exists():
            return PurgeResult(0, 0, cutoff, dry_run)  # no conversations stored yet
    engine = _engine(url)
    try:
        if not inspect(engine).has_table("events"):
            return PurgeResult(0, 0, cutoff, dry_run)
        stale = (select(events.c.sender_id).group_by(events.c.sender_id)
                 .having(func.max(events.c.timestamp) < cutoff))
        with engine.connect() as conn:
            senders = list(conn.execute(stale).scalars())
        conversations = deleted = 0
        for start in range(0, len(senders), BATCH):
            chunk = senders[start:start + BATCH]
            with engine.begin() as conn:
                # Re-check inside the transaction: a conversation that became active since is kept.
                active = select(events.c.sender_id).where(
                    events.c.sender_id.in_(chunk), events.c.timestamp >= cutoff)
                condition = events.c.sender_id.in_(chunk) & events.c.sender_id.not_in(active)
                conversations += conn.execute(
                    select(func.count(func.distinct(events.c.sender_id))).where(condition)).scalar_one()
                if dry_run:
                    deleted += conn.execute(select(func.count()).select_from(events).where(condition)).scalar_one()
                else:
                    deleted += conn.execute(events.delete().where(condition)).rowcount
        return PurgeResult(conversations, deleted, cutoff, dry_run)
    finally:
        engine.dispose()
