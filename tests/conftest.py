"""Fixtures shared by the end-to-end and browser tests: one running bot per test session."""
from __future__ import annotations

import os

import pytest

from tests.servers import MODEL, Stack

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
    running = Stack(workdir, env)
    try:
        running.start_actions()
        running.start_rasa()
        running.start_web()
        yield running
    except Exception:
        print(running.logs())
        raise
    finally:
        running.stop()
