"""Bad and hostile input through the socket.io channel (bot.channels.RedactingSocketIOInput), as
the chat page uses it: every message gets a polite Dutch answer, malformed events too, and the
server keeps answering."""
from __future__ import annotations

import asyncio
import uuid

from bot.channels import SESSION_UNKNOWN, UNREADABLE
from bot.privacy import EMPTY, NOT_TEXT, TOO_LONG, max_message_chars
from tests.servers import socketio_turns, socketio_websocket_turns, tracker_events


def session() -> str:
    return f"sio-{uuid.uuid4().hex[:12]}"


def texts(turn):
    return [m.get("text") for m in turn if isinstance(m, dict) and m.get("text")]


def stored(stack, person):
    events = tracker_events(stack.tracker_db_url, [person])[person]
    return [e.get("text") for e in events if e.get("event") == "user"]


def test_empty_long_and_hostile_messages_get_answers(stack):
    person = session()
    messages = ["", "   \t\n", "a" * 100_000, "<script>alert(1)</script>", "😀👩‍💻🇧🇪",
                "'; DROP TABLE events; --", "Wat is telewerk?"]
    turns = asyncio.run(socketio_turns(stack.rasa_url, person, messages))
    assert texts(turns[0]) == [EMPTY]
    assert texts(turns[1]) == [EMPTY]
    assert texts(turns[2]) == [TOO_LONG.format(limit=max_message_chars())]
    for turn in turns[3:]:
        assert texts(turn), turns
    assert "telewerk" in " ".join(texts(turns[-1])).lower()
    # Refused messages are not stored; the others are, as typed.
    assert stored(stack, person) == messages[3:]


def test_malformed_events_get_a_polite_answer(stack):
    person = session()
    payloads = ["just a string", 42, [1, 2], None,
                {"message": {"text": "hoi"}, "session_id": person},
                {"message": ["hoi"], "session_id": person},
                {"message": "hoi"},  # no session_id
                {"message": "hoi", "session_id": {"x": 1}},
                {"message": "hoi", "session_id": person, "metadata": "{not json"},
                {"message": "Wat is telewerk?", "session_id": person, "metadata": [1, 2]}]
    turns = asyncio.run(socketio_turns(stack.rasa_url, person, payloads, raw=True))
    assert [texts(t) for t in turns[:4]] == [[UNREADABLE]] * 4
    assert texts(turns[4]) == [NOT_TEXT] and texts(turns[5]) == [NOT_TEXT]
    assert texts(turns[6]) == [SESSION_UNKNOWN] and texts(turns[7]) == [SESSION_UNKNOWN]
    assert texts(turns[8]) and "telewerk" in " ".join(texts(turns[9])).lower()


def test_personal_data_is_redacted_over_socketio(stack):
    person = session()
    asyncio.run(socketio_turns(stack.rasa_url, person, ["mijn nummer is 0471/23.45.67 en mail a.b@c.be"]))
    assert stored(stack, person) == ["mijn nummer is [telefoon] en mail [e-mail]"]


def test_the_websocket_transport_works_too(stack):
    turns = asyncio.run(socketio_websocket_turns(stack.rasa_url, session(), ["", "Wat is telewerk?"]))
    assert texts(turns[0]) == [EMPTY]
    assert "telewerk" in " ".join(texts(turns[1])).lower()
