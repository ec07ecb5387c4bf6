"""Engine/session factory and programmatic migrations.

get_engine(url=None)   one cached Engine per URL (default: bot.settings.database_url())
session_scope(...)     context manager: commit on success, rollback on error
migrate(engine)        `alembic upgrade head` on that engine
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from bot import settings

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
ALEMBIC_INI = MIGRATIONS_DIR / "alembic.ini"

_engines: dict[str, Engine] = {}
_sessionmakers: dict[int, sessionmaker] = {}
_lock = threading.Lock()


def _sqlite_setup(engine: Engine) -> None:
    """Foreign keys on, busy timeout, and real transactions (BEGIN emitted by SQLAlchemy)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - trivial
        dbapi_connection.isolation_level = None  # let the "begin" hook below start transactions
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - trivial
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str, **kwargs) -> Engine:
    """A new (uncached) engine configured for this project."""
    parsed = make_url(url)
    kwargs.setdefault("future", True)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file::memory:"):
            kwargs.setdefault("poolclass", StaticPool)
            kwargs.setdefault("connect_args", {"check_same_thread": False})
        else:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)
        _sqlite_setup(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def get_engine(url: Optional[str] = None) -> Engine:
    """Cached engine for `url` (default: settings.database_url())."""
    url = url or settings.database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        return engine


def dispose_engines() -> None:
    """Dispose and forget every cached engine (tests, forked workers)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _sessionmakers.clear()


def get_sessionmaker(engine: Optional[Engine] = None) -> sessionmaker:
    engine = engine or get_engine()
    with _lock:
        maker = _sessionmakers.get(id(engine))
        if maker is None or maker.kw.get("bind") is not engine:
            maker = _sessionmakers[id(engine)] = sessionmaker(bind=engine, future=True, expire_on_commit=False)
        return maker


@contextmanager
def session_scope(engine: Optional[Engine] = None) -> Iterator[Session]:
    """`with session_scope() as session:` commits on success and rolls back on error."""
    session = get_sessionmaker(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config():
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def migrate(engine: Optional[Engine] = None, revision: str = "head") -> None:
    """Run `alembic upgrade <revision>` on `engine` (default: get_engine())."""
    from alembic import command

    engine = engine or get_engine()
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
