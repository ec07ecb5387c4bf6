"""`python -m bot conversations purge --older-than-days N` on Rasa's real SQL tracker store, in
SQLite and in PostgreSQL (a fresh database, dropped afterwards; PostgreSQL on 127.0.0.1:5432)."""
from __future__ import annotations

import asyncio
import os
import subprocess
import time
import uuid

import pytest

from bot.retention import RetentionError, purge, tracker_store_url
from tests.servers import REPO, VENV_BIN, PostgresDatabase

DAY = 86400
NOW = time.time()


def _save_conversations(store) -> dict:
    """Three conversations: inactive for 40 days, active today, and one that started 100 days
    ago but had a message yesterday. Returns {name: sender_id}."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    def events(*ages_in_days):
        result = []
        for age in ages_in_days:
            at = NOW - age * DAY
            result += [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at),
                       ActionExecuted("action_listen", timestamp=at), UserUttered("hoi", timestamp=at + 1),
                       BotUttered("Hallo!", timestamp=at + 2), ActionExecuted("action_listen", timestamp=at + 3)]
        return result

    senders = {name: f"{name}-{uuid.uuid4().hex[:8]}" for name in ("old", "recent", "mixed")}
    plan = {"old": events(45, 40), "recent": events(0.01), "mixed": events(100, 1)}

    async def save():
        for name, evts in plan.items():
            await store.save(DialogueStateTracker.from_events(senders[name], evts))

    asyncio.run(save())
    return senders


def _remaining(store) -> set:
    return set(asyncio.run(store.keys()))


# The production endpoints file also names the action server and the lock store; Rasa's reader
# (which the purge uses, as the servers do) needs every variable of the file.
OTHER_ENDPOINTS = {"ACTION_SERVER_URL": "http://127.0.0.1:5055/webhook", "REDIS_HOST": "127.0.0.1",
                   "REDIS_PORT": "6379", "REDIS_DB": "0"}


def _purge_command(*args, env=None):
    return subprocess.run([str(VENV_BIN / "python"), "-m", "bot", "conversations", "purge", *args],
                          cwd=REPO, env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=60)


def test_purge_on_sqlite(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore

    db = tmp_path / "tracker.db"
    store = SQLTrackerStore(dialect="sqlite", db=str(db))
    senders = _save_conversations(store)
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {db}\n")

    dry = _purge_command("--older-than-days", "30", "--endpoints", str(endpoints), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Te verwijderen: 1 gesprek(ken), 12 gebeurtenis(sen)" in dry.stdout
    assert _remaining(store) == set(senders.values())

    done = _purge_command("--older-than-days", "30", "--endpoints", str(endpoints))
    assert done.returncode == 0, done.stderr
    assert "Verwijderd: 1 gesprek(ken), 12 gebeurtenis(sen) zonder activiteit in de laatste 30 dag(en)." \
        in done.stdout
    assert _remaining(store) == {senders["recent"], senders["mixed"]}
    # the kept conversation is kept whole, every session
    mixed = asyncio.run(store.retrieve_full_tracker(senders["mixed"]))
    assert len(mixed.events) == 12

    again = _purge_command("--older-than-days", "30", "--endpoints", str(endpoints))
    assert "Verwijderd: 0 gesprek(ken), 0 gebeurtenis(sen)" in again.stdout


def test_purge_on_postgresql_with_the_production_endpoints():
    from rasa.core.tracker_store import SQLTrackerStore

    database = PostgresDatabase(f"bot_retention_{uuid.uuid4().hex[:8]}")
    try:
        database.create()
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"PostgreSQL on 127.0.0.1:5432 (user postgres) is not usable: {error}")
    try:
        parts = database.parts
        store = SQLTrackerStore(dialect="postgresql", host=parts["host"], port=int(parts["port"]),
                                db=parts["name"], username=parts["user"], password=parts["password"] or None)
        senders = _save_conversations(store)
        env = {"RASA_ENDPOINTS": "deploy/endpoints.production.yml", **OTHER_ENDPOINTS, "TRACKER_DB_HOST": parts["host"],
               "TRACKER_DB_PORT": parts["port"], "TRACKER_DB_NAME": parts["name"],
               "TRACKER_DB_USER": parts["user"], "TRACKER_DB_PASSWORD": parts["password"]}
        done = _purge_command("--older-than-days", "2", env=env)
        assert done.returncode == 0, done.stderr
        assert "Verwijderd: 1 gesprek(ken), 12 gebeurtenis(sen)" in done.stdout
        assert _remaining(store) == {senders["recent"], senders["mixed"]}
        done = _purge_command("--older-than-days", "1", env=env)  # "mixed" was last active > 1 day ago
        assert "Verwijderd: 1 gesprek(ken), 12 gebeurtenis(sen)" in done.stdout
        assert _remaining(store) == {senders["recent"]}
        store.engine.dispose()
    finally:
        database.drop()


def test_a_missing_variable_is_reported_in_dutch():
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TRACKER_DB_")}, **OTHER_ENDPOINTS}
    result = subprocess.run([str(VENV_BIN / "python"), "-m", "bot", "conversations", "purge",
                             "--older-than-days", "30", "--endpoints", "deploy/endpoints.production.yml"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "omgevingsvariabele" in result.stderr and "TRACKER_DB_" in result.stderr


@pytest.mark.parametrize("days", ["0", "-1", "abc"])
def test_the_number_of_days_must_be_at_least_one(days):
    result = _purge_command("--older-than-days", days)
    assert result.returncode == 2 and "older-than-days" in result.stderr


def test_a_tracker_store_that_does_not_exist_yet_has_nothing_to_purge(tmp_path):
    db = tmp_path / "nothing-here.db"
    assert purge(f"sqlite:///{db}", 30).conversations == 0
    assert not db.exists()  # not created either


def test_the_url_follows_rasas_reading_of_the_endpoints_file(tmp_path, monkeypatch):
    monkeypatch.delenv("RASA_ENDPOINTS", raising=False)
    for name, value in OTHER_ENDPOINTS.items():
        monkeypatch.setenv(name, value)
    assert tracker_store_url() == f"sqlite:///{REPO / 'var' / 'tracker.db'}"
    for name, value in {"TRACKER_DB_HOST": "db.internal", "TRACKER_DB_PORT": "5433", "TRACKER_DB_NAME": "conv",
                        "TRACKER_DB_USER": "bot", "TRACKER_DB_PASSWORD": "p@ss"}.items():
        monkeypatch.setenv(name, value)
    assert tracker_store_url("deploy/endpoints.production.yml") == "postgresql://bot:p%40ss@db.internal:5433/conv"
    monkeypatch.setenv("RASA_ENDPOINTS", "deploy/endpoints.production.yml")
    assert tracker_store_url().startswith("postgresql://bot:")
    full = tmp_path / "endpoints.yml"
    full.write_text("tracker_store:\n  type: SQL\n  url: postgresql://a@b:1/c\n")
    assert tracker_store_url(full) == "postgresql://a@b:1/c"
    full.write_text("tracker_store:\n  type: bot.tracker_store.CoreSQLTrackerStore\n  url: postgresql://a@b:1/c\n")
    assert tracker_store_url(full) == "postgresql://a@b:1/c"
    full.write_text("tracker_store:\n  type: mongod\n  url: mongodb://a@b:1/c\n")
    with pytest.raises(RetentionError):
        tracker_store_url(full)
