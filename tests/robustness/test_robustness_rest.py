"""Bad and hostile input through the REST channel of the running bot (bot.channels.RedactingRestInput
behind /webhooks/rest/webhook): never a 5xx, a clear 400 for a body of the wrong shape, a polite
Dutch answer for empty and too long messages, and personal data never stored."""
from __future__ import annotations

import json
import uuid

import pytest

from bot.privacy import EMPTY, TOO_LONG, max_message_chars
from tests.servers import bot_texts, http_raw, tracker_events

SQL_FRAGMENTS = [
    "'; DROP TABLE events; --",
    "\" OR 1=1 --",
    "telewerk' UNION SELECT sender_id, data FROM events --",
    "Robert'); DELETE FROM measures WHERE ('1'='1",
]
HOSTILE = [
    "<script>alert('x')</script> wat is telewerk?",
    "<img src=x onerror=alert(1)>",
    "<b>vet</b> & <i>schuin</i> &amp; &lt;",
    "😀🎉👩‍💻 wat is telewerk? 🇧🇪",
    "ẞ ǅ ﬁ Ω ℌ 𝔘 ٩(◕‿◕｡)۶ مرحبا 你好 \u200b\u200d\u2066",
    "/restart",
    '/inform{"doelgroep": "werkgever"}',
    '/inform{"doelgroep": ',
    "{{ 7*7 }} ${jndi:ldap://x} %s %n",
] + SQL_FRAGMENTS


def sender() -> str:
    return f"robust-{uuid.uuid4().hex[:12]}"


def post(stack, body: bytes, content_type: str = "application/json"):
    status, raw, _ = http_raw("POST", f"{stack.rasa_url}/webhooks/rest/webhook", body,
                              {"Content-Type": content_type})
    return status, raw


def user_texts(stack, person: str):
    events = tracker_events(stack.tracker_db_url, [person])[person]
    return [e.get("text") for e in events if e.get("event") == "user"]


@pytest.mark.parametrize("body, expected", [
    (b"", "geen geldige JSON"),
    (b"not json", "geen geldige JSON"),
    (b'{"sender": "x", "message": "hoi"', "geen geldige JSON"),
    (b"\xff\xfe\x00invalid utf-8 \xc3\x28", "UTF-8"),
    (b'{"sender": "x", "message": "\xff\xfe"}', "UTF-8"),
    (b"[1, 2, 3]", "JSON-object"),
    (b'[{"sender": "x", "message": "hoi"}]', "JSON-object"),
    (b"42", "JSON-object"),
    (b'"hallo"', "JSON-object"),
    (b"null", "JSON-object"),
    (b'{"sender": "x"}', "'message' ontbreekt"),
    (b'{"sender": "x", "message": {"text": "hoi"}}', "'message' moet tekst"),
    (b'{"sender": "x", "message": ["hoi"]}', "'message' moet tekst"),
    (b'{"sender": "x", "message": 12}', "'message' moet tekst"),
    (b'{"sender": "x", "message": null}', "'message' moet tekst"),
    (b'{"sender": "x", "message": true}', "'message' moet tekst"),
    (b'{"message": "hoi"}', "'sender'"),
    (b'{"sender": {"id": 1}, "message": "hoi"}', "'sender'"),
    (b'{"sender": "", "message": "hoi"}', "'sender'"),
    (b'{"sender": "a\\u0000b", "message": "hoi"}', "'sender'"),
    (json.dumps({"sender": "x" * 256, "message": "hoi"}).encode(), "'sender'"),
    (b'{"sender": "x", "message": "hoi", "metadata": [1]}', "'metadata'"),
    (b'{"sender": "x", "message": "hoi", "input_channel": 5}', "'input_channel'"),
])
def test_a_body_of_the_wrong_shape_gets_400_with_an_explanation(stack, body, expected):
    status, raw = post(stack, body)
    assert status == 400, raw[:300]
    error = json.loads(raw)["error"]
    assert expected in error, error


@pytest.mark.parametrize("message, reply", [
    ("", EMPTY),
    ("   \n\t  ", EMPTY),
    ("\u00a0\u2003\u3000", EMPTY),
    ("\x00\x01\x1f", EMPTY),
    ("a" * 100_000, TOO_LONG.format(limit=max_message_chars())),
    ("Wat is telewerk? " * 6000, TOO_LONG.format(limit=max_message_chars())),
    ("x" * (max_message_chars() + 1), TOO_LONG.format(limit=max_message_chars())),
])
def test_empty_and_too_long_messages_get_a_polite_answer_and_are_not_stored(stack, message, reply):
    person = sender()
    status, raw = post(stack, json.dumps({"sender": person, "message": message}).encode())
    assert status == 200, raw[:300]
    assert [m.get("text") for m in json.loads(raw)] == [reply]
    assert user_texts(stack, person) == []


def test_a_message_at_the_limit_is_answered(stack):
    person = sender()
    messages = stack.say(person, "telewerk " + "a" * (max_message_chars() - 9))
    assert bot_texts(messages)
    assert len(user_texts(stack, person)[0]) == max_message_chars()


@pytest.mark.parametrize("message", HOSTILE)
def test_hostile_text_is_answered_and_stored_as_plain_text(stack, message):
    person = sender()
    status, raw = post(stack, json.dumps({"sender": person, "message": message}).encode())
    assert status == 200, raw[:300]
    texts = bot_texts(json.loads(raw))
    assert texts, "no answer"
    assert "<script" not in texts and "onerror" not in texts
    stored = user_texts(stack, person)
    assert stored == [message.strip()] or message == "/restart"


def test_personal_data_is_redacted_before_it_is_stored_or_logged(stack):
    person = sender()
    message = ("Ik ben 85.07.30-033.28, mail jan.peeters@example.com of bel 0471 23 45 67, "
               "rekening BE68 5390 0754 7034. Krijg ik in 2023 nog 1.000 euro?")
    assert bot_texts(stack.say(person, message))
    assert user_texts(stack, person) == [
        "Ik ben [rijksregisternummer], mail [e-mail] of bel [telefoon], rekening [iban]. "
        "Krijg ik in 2023 nog 1.000 euro?"]
    tracker = json.dumps(stack.tracker(person), ensure_ascii=False)
    logs = "".join(p.read_text(errors="replace") for p in stack.workdir.glob("*.log"))
    for secret in ("033.28", "jan.peeters", "0471 23 45 67", "5390 0754"):
        assert secret not in tracker and secret not in logs


def test_the_stream_mode_refuses_and_answers_too(stack):
    person = sender()
    status, raw, _ = http_raw("POST", f"{stack.rasa_url}/webhooks/rest/webhook?stream=true",
                              json.dumps({"sender": person, "message": " "}).encode())
    assert status == 200 and json.loads(raw.decode().splitlines()[0])["text"] == EMPTY
    status, raw, _ = http_raw("POST", f"{stack.rasa_url}/webhooks/rest/webhook?stream=true",
                              json.dumps({"sender": person, "message": "Wat is telewerk?"}).encode())
    assert status == 200
    lines = [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
    assert any(m.get("text") for m in lines)


def test_after_all_this_the_bot_still_answers_a_normal_question(stack):
    messages = stack.say(sender(), "Wat is telewerk?")
    assert "telewerk" in bot_texts(messages).lower()
