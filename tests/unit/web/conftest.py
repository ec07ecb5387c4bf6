"""Fixtures for the web app unit tests: a catalogue database in tmp_path and an in-process client
(see web_testing.Client: Starlette's TestClient needs httpx, which the venv does not have)."""
from __future__ import annotations

import os
import shutil

import pytest

from tests.unit.web.web_testing import RASA_TOKEN, RASA_URL, STAFF_TOKEN, Client

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


@pytest.fixture(scope="session")
def catalogue_db_file(tmp_path_factory):
    """Migrated and loaded once per session; each test gets its own copy."""
    from bot.catalogue.db import get_engine, migrate
    from bot.catalogue.loader import load_catalogue
    from bot.settings import catalogue_dir

    path = tmp_path_factory.mktemp("web-db") / "template.db"
    engine = get_engine(f"sqlite:///{path}")
    migrate(engine)
    report = load_catalogue(engine, catalogue_dir())
    assert report.ok, report.issues
    engine.dispose()
    return path


@pytest.fixture
def database_url(tmp_path, catalogue_db_file) -> str:
    target = tmp_path / "web.db"
    shutil.copyfile(catalogue_db_file, target)
    return f"sqlite:///{target}"


@pytest.fixture
def config(database_url):
    from bot.web.config import WebConfig

    return WebConfig(rasa_url=RASA_URL, public_rasa_url=RASA_URL, rasa_token=RASA_TOKEN,
                     staff_token=STAFF_TOKEN, database_url=database_url, rasa_timeout=5.0)


@pytest.fixture
def client(config) -> Client:
    from bot.web.app import create_app

    return Client(create_app(config))


@pytest.fixture
def staff_client(client) -> Client:
    response = client.post("/staff/login", data={"token": STAFF_TOKEN})
    assert response.status_code == 303, response.text
    return client
