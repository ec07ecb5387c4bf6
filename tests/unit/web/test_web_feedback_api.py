"""POST /api/feedback: validation and storage."""
from __future__ import annotations

import pytest

from bot.web.feedback_api import MAX_BODY_BYTES, MAX_COMMENT, MAX_TEXT

VALID = {"sender_id": "0123456789abcdef0123456789abcdef", "question": "Wat is telewerk?",
         "answer": "Telewerk is ... Bron: X – https://www.vlaanderen.be/telewerk",
         "measure_id": "telewerk", "rating": -1, "comment": "Te vaag"}


def stored(database_url):
    from bot.catalogue.db import get_engine, session_scope
    from bot.feedback import list_feedback

    with session_scope(get_engine(database_url)) as session:
        return [(f.sender_id, f.question, f.answer, f.measure_id, f.rating, f.comment)
                for f in list_feedback(session, None)]


def test_valid_feedback_is_stored(client, database_url):
    response = client.post("/api/feedback", json=VALID)
    assert response.status_code == 201
    assert response.json()["message"] == "Bedankt voor je feedback"
    assert stored(database_url) == [(VALID["sender_id"], VALID["question"], VALID["answer"],
                                     "telewerk", -1, "Te vaag")]


def test_minimal_feedback(client, database_url):
    response = client.post("/api/feedback", json={"sender_id": "abc", "rating": 1})
    assert response.status_code == 201
    assert stored(database_url) == [("abc", None, None, None, 1, None)]


@pytest.mark.parametrize("change", [
    {"rating": 0}, {"rating": 2}, {"rating": "1"}, {"rating": True}, {"rating": 1.0}, {"rating": None},
    {"sender_id": ""}, {"sender_id": None}, {"sender_id": 5}, {"sender_id": "a\nb"}, {"sender_id": "a\x00b"},
    {"sender_id": "   "}, {"sender_id": "x" * 256},
    {"measure_id": "Telewerk!"}, {"measure_id": 3}, {"question": ["a"]}, {"answer": {"a": 1}},
    {"comment": 12}, {"comment": "x" * (MAX_COMMENT + 1)}, {"extra": "field"},
])
def test_invalid_feedback_is_refused_in_dutch(client, database_url, change):
    body = {**VALID, **change}
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 400
    message = response.json()["error"]
    assert "feedback" in message.lower() or "opmerking" in message.lower()
    assert stored(database_url) == []


def test_missing_rating(client):
    body = dict(VALID)
    del body["rating"]
    assert client.post("/api/feedback", json=body).status_code == 400


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"text"', b"null", b"{not json", b"\xff\xfe"])
def test_wrong_json_shape(client, raw):
    response = client.post("/api/feedback", body=raw, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Je feedback kon niet worden verwerkt.")


def test_form_posts_are_refused(client):
    response = client.post("/api/feedback", data={"sender_id": "abc", "rating": "1"})
    assert response.status_code == 415


def test_oversized_body(client):
    raw = b'{"sender_id": "abc", "rating": 1, "question": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = client.post("/api/feedback", body=raw, headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_long_question_and_answer_are_cut(client, database_url):
    body = {**VALID, "question": "v" * (MAX_TEXT + 50), "answer": "a" * (MAX_TEXT + 50)}
    assert client.post("/api/feedback", json=body).status_code == 201
    (row,) = stored(database_url)
    assert len(row[1]) == MAX_TEXT and len(row[2]) == MAX_TEXT


def test_get_is_not_allowed(client):
    assert client.get("/api/feedback").status_code == 405


@pytest.mark.parametrize("sender", ["x" * 255, "gesprek 12 – é", "7"])
def test_feedback_takes_every_conversation_id_the_channels_take(client, database_url, sender):
    response = client.post("/api/feedback", json={"sender_id": sender, "rating": 1})
    assert response.status_code == 201
    assert stored(database_url)[0][0] == sender
