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
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional, Union

import yaml
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine, func, inspect, select
from sqlalchemy.engine import URL, make_url

from bot.settings import REPO_ROOT

SECONDS_PER_DAY = 86400
BATCH = 500
_ENV_RE = re.compile(r"\$\{([^}]*)\}")
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


def endpoints_path(path: Optional[Union[str, Path]] = None, env: Optional[Mapping[str, str]] = None) -> Path:
    """The endpoints file: `path`, else RASA_ENDPOINTS, else endpoints.yml (relative to the repo)."""
    env = os.environ if env is None else env
    value = Path(path) if path else Path(env.get("RASA_ENDPOINTS", "").strip() or "endpoints.yml")
    return value if value.is_absolute() else REPO_ROOT / value


def _expand(value: Any, env: Mapping[str, str]) -> Any:
    if not isinstance(value, str):
        return value

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in env:
            raise RetentionError(f"De omgevingsvariabele {name} is niet gezet (nodig voor de tracker store).")
        return env[name]

    return _ENV_RE.sub(replace, value)


def tracker_store_url(path: Optional[Union[str, Path]] = None, env: Optional[Mapping[str, str]] = None) -> str:
    """The SQLAlchemy URL of the SQL tracker store in the endpoints file."""
    env = os.environ if env is None else env
    file = endpoints_path(path, env)
    try:
        config = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise RetentionError(f"Het endpoints-bestand {file} kan niet gelezen worden ({exc}).") from exc
    store = config.get("tracker_store") if isinstance(config, dict) else None
    if not isinstance(store, dict) or str(store.get("type", "")).lower() not in SQL_TYPES:
        raise RetentionError(f"{file} heeft geen SQL tracker store (tracker_store: type: SQL).")
    store = {key: _expand(value, env) for key, value in store.items()}
    dialect = str(store.get("dialect") or "sqlite")
    host = store.get("url") or store.get("host")
    database = str(store.get("db") or "rasa.db")
    if host and "://" in str(host):  # Rasa accepts a complete URL in `url`
        return str(host)
    if dialect == "sqlite":
        db_path = Path(database)
        # Rasa runs from the repository (Procfile), so a relative path is relative to it.
        return f"sqlite:///{db_path if db_path.is_absolute() else REPO_ROOT / db_path}"
    port = store.get("port")
    query = store.get("query") or {}
    return URL.create(
        drivername=dialect,
        username=store.get("username") or None,
        password=store.get("password") or None,
        host=str(host) if host else None,
        port=int(port) if port not in (None, "") else None,
        database=database,
        query={str(k): str(v) for k, v in query.items()},
    ).render_as_string(hide_password=False)


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
