"""Fixtures shared by the end-to-end and browser tests: one running bot per test session."""
from __future__ import annotations

import os

import pytest

from tests.servers import MODEL, Stack, serving

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """Action server + Rasa server + web app on test ports, on a copy of the catalogue database."""
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make setup` first")
    workdir = tmp_path_factory.mktemp("stack")
    database = f"sqlite:///{workdir / 'bot.db'}"
    env = {"BOT_DATABASE_URL": database}
    from bot.catalogue.db import get_engine
    from bot.catalogue.loader import load_catalogue
    from bot.settings import catalogue_dir

    load_catalogue(get_engine(database), catalogue_dir())
    with serving(Stack(workdir, env)) as running:
        running.start_actions()
        running.start_rasa()
        running.start_web()
        yield running


@pytest.fixture(scope="session")
def catalogue_database(tmp_path_factory):
    """The real catalogue loaded into a fresh SQLite file, made the default database
    (BOT_DATABASE_URL) for code under test that opens its own sessions."""
    from bot.catalogue.db import get_engine
    from bot.catalogue.loader import load_catalogue
    from bot.settings import catalogue_dir

    url = f"sqlite:///{tmp_path_factory.mktemp('catalogue') / 'bot.db'}"
    load_catalogue(get_engine(url), catalogue_dir())
    previous = os.environ.get("BOT_DATABASE_URL")
    os.environ["BOT_DATABASE_URL"] = url
    yield url
    if previous is None:
        os.environ.pop("BOT_DATABASE_URL", None)
    else:
        os.environ["BOT_DATABASE_URL"] = previous
