"""Database fixtures for the catalogue integration tests, run on SQLite AND PostgreSQL.

PostgreSQL: BOT_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/bot_test).
The database is created when missing; every engine gets its own schema (search_path), dropped
afterwards, so parallel test runs do not collide. If the server is down these tests fail.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from bot.catalogue.db import make_engine, migrate  # noqa: E402
from bot.catalogue.loader import load_catalogue  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURE_DIR = REPO_ROOT / "tests" / "fixtures" / "catalogue"
POSTGRES_URL = os.environ.get("BOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/bot_test")
BACKENDS = ["sqlite", "postgresql"]


def ensure_postgres_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), future=True, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            ).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        admin.dispose()


class Backend:
    """Creates migrated engines on one backend and removes them at the end."""

    def __init__(self, name: str, tmp_path_factory):
        self.name = name
        self.tmp = tmp_path_factory
        self.cleanups = []
        if name == "postgresql":
            ensure_postgres_database(POSTGRES_URL)

    def url(self) -> str:
        if self.name == "sqlite":
            return f"sqlite:///{self.tmp.mktemp('db') / 'bot.db'}"
        schema = f"cat_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(POSTGRES_URL, future=True)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()

        def drop():
            eng = create_engine(POSTGRES_URL, future=True)
            with eng.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            eng.dispose()

        self.cleanups.append(drop)
        sep = "&" if "?" in POSTGRES_URL else "?"
        return f"{POSTGRES_URL}{sep}options={quote('-csearch_path=' + schema)}"

    def engine(self, migrated: bool = True):
        engine = make_engine(self.url())
        self.cleanups.insert(0, engine.dispose)
        if migrated:
            migrate(engine)
        return engine

    def close(self):
        for cleanup in self.cleanups:
            cleanup()


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path_factory):
    b = Backend(request.param, tmp_path_factory)
    yield b
    b.close()


@pytest.fixture
def both_engines(tmp_path_factory):
    """{"sqlite": engine, "postgresql": engine}, both migrated and empty."""
    backends = [Backend(name, tmp_path_factory) for name in BACKENDS]
    yield {b.name: b.engine() for b in backends}
    for b in backends:
        b.close()


@pytest.fixture
def engine(backend):
    """A migrated, empty database."""
    return backend.engine()


@pytest.fixture
def catalogue_copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(FIXTURE_DIR, target)
    return target


@pytest.fixture(scope="module", params=BACKENDS)
def loaded_engine(request, tmp_path_factory):
    """Module-wide database with the mini catalogue loaded (read-only tests)."""
    b = Backend(request.param, tmp_path_factory)
    engine = b.engine()
    report = load_catalogue(engine, FIXTURE_DIR, expected_ids=None)
    assert report.ok, report.errors
    yield engine
    b.close()


def dump(engine) -> dict:
    """Every row of every table, for before/after comparisons."""
    out = {}
    with engine.connect() as conn:
        # on SQLite this includes the FTS5 shadow tables (answers_fts_data, ...), not the
        # virtual table itself
        names = sorted(n for n in inspect(conn).get_table_names() if n != "answers_fts")
        for name in names:
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            out[name] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


@pytest.fixture
def dump_db():
    """dump(engine) -> every row of every table."""
    return dump


@pytest.fixture
def fixture_dir() -> Path:
    return FIXTURE_DIR
