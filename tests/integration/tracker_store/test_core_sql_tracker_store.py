"""bot.tracker_store.CoreSQLTrackerStore on real SQLite and PostgreSQL: it reads and writes Rasa's
own table the way Rasa's SQLTrackerStore does (each reads what the other wrote), loses and
duplicates nothing, and saves a turn with two statements where Rasa's store sends one per event."""
from __future__ import annotations

import asyncio
import uuid

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event

from bot.settings import REPO_ROOT
from bot.tracker_store import CoreSQLTrackerStore
from tests.servers import PostgresDatabase

DOMAIN = Domain.load(str(REPO_ROOT / "domain.yml"))


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request, tmp_path):
    if request.param == "sqlite":
        yield {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
        return
    database = PostgresDatabase(f"bot_tracker_test_{uuid.uuid4().hex[:8]}")
    try:
        database.create()
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"PostgreSQL on 127.0.0.1:5432 (user postgres) is not usable: {error}")
    parts = database.parts
    yield {"dialect": "postgresql", "host": parts["host"], "port": parts["port"], "db": parts["name"],
           "username": parts["user"], "password": parts["password"]}
    database.drop()


def turn(tracker: DialogueStateTracker, number: int) -> None:
    tracker.update(UserUttered(f"vraag {number}", {"name": "ask_telewerk", "confidence": 0.9}))
    tracker.update(SlotSet("instrument", "vlaams-opleidingsverlof"))
    tracker.update(ActionExecuted("action_answer_measure"))
    tracker.update(BotUttered(f"antwoord {number}"))
    tracker.update(ActionExecuted("action_listen"))


def conversation(sender_id: str, turns: int) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender_id, DOMAIN.slots)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    for number in range(turns):
        turn(tracker, number)
    return tracker


def dicts(tracker: DialogueStateTracker) -> list:
    return [e.as_dict() for e in tracker.events]


def test_reads_and_writes_what_rasas_sql_tracker_store_does(settings):
    core = CoreSQLTrackerStore(DOMAIN, **settings)
    stock = SQLTrackerStore(DOMAIN, **settings)

    async def scenario():
        tracker = conversation("a", 2)
        await core.save(tracker)
        assert dicts(await stock.retrieve_full_tracker("a")) == dicts(tracker)
        # the latest session, from SessionStarted on, as Rasa reads it
        assert dicts(await core.retrieve("a")) == dicts(await stock.retrieve("a")) == dicts(tracker)[1:]
        assert (await core.retrieve("a")).get_slot("instrument") == "vlaams-opleidingsverlof"
        # Later turns, as Rasa runs them (retrieve, update, save), append only their new events,
        # whichever store wrote the earlier ones.
        later = await core.retrieve("a")
        turn(later, 2)
        await stock.save(later)
        later = await stock.retrieve("a")
        turn(later, 3)
        await core.save(later)
        assert dicts(await core.retrieve_full_tracker("a")) == dicts(await stock.retrieve_full_tracker("a"))
        assert len((await core.retrieve_full_tracker("a")).events) == len(tracker.events) + 10
        # a new session: only its events are the latest session
        later = await core.retrieve("a")
        later.update(ActionExecuted("action_session_start"))
        later.update(SessionStarted())
        turn(later, 4)
        await core.save(later)
        assert dicts(await core.retrieve("a")) == dicts(await stock.retrieve("a"))
        assert [e.text for e in (await core.retrieve("a")).events if isinstance(e, UserUttered)] == ["vraag 4"]
        assert await core.retrieve("nobody") is None

    asyncio.run(scenario())


def test_many_conversations_lose_and_duplicate_nothing(settings):
    store = CoreSQLTrackerStore(DOMAIN, **settings)
    senders = [f"user-{i}" for i in range(30)]

    async def scenario():
        for _ in range(3):  # three turns each, as Rasa takes them: retrieve, update, save
            for sender in senders:
                tracker = await store.retrieve(sender) or conversation(sender, 0)
                turn(tracker, len([e for e in tracker.events if isinstance(e, UserUttered)]))
                await store.save(tracker)
        return [await store.retrieve_full_tracker(sender) for sender in senders]

    def shape(tracker):
        return [(e["event"], e.get("text"), e.get("name")) for e in dicts(tracker)]

    for tracker in asyncio.run(scenario()):
        assert shape(tracker) == shape(conversation(tracker.sender_id, 3))


def test_a_turn_is_saved_with_two_statements(settings):
    store = CoreSQLTrackerStore(DOMAIN, **settings)
    statements = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement.split()[0].upper()))

    async def scenario():
        await store.save(conversation("b", 1))
        tracker = await store.retrieve("b")
        turn(tracker, 1)
        statements.clear()
        await store.save(tracker)  # five new events

    asyncio.run(scenario())
    assert [s for s in statements if s in ("SELECT", "INSERT")] == ["SELECT", "INSERT"]
