"""bot.rasa_api: the decoder, the conversation-id rule, var/local.env, and the client over real
HTTP (a local http.server, no mocks)."""
from __future__ import annotations

import os
import socket

import pytest

from bot.rasa_api import (MAX_CONVERSATION_ID, RasaClient, RasaError, RasaTokenError, RasaUnreachable,
                          decode, load_local_env, valid_conversation_id)
from tests.unit.evaluation.fake_rasa import TOKEN, reply, serving


# ----------------------------------------------------------------------------- decoder
def test_decode_text_buttons_measures_and_extra_keys():
    turn = decode([
        {"recipient_id": "a", "text": "Telewerk is ...", "buttons": [{"title": "Meer", "payload": "/x"}]},
        {"recipient_id": "a", "custom": {"data": {
            "measures": [{"id": "telewerk", "title": "Telewerk", "source_url": "https://x.be"},
                         {"id": "werkbaar-werk", "title": "Werkbaar werk", "instrument": "cheque"}],
            "aspect": "amount", "follow_ups": ["hoeveel?"]}}},
        {"recipient_id": "a", "text": "Nog iets?"},
    ])
    assert turn.texts == ["Telewerk is ...", "Nog iets?"] and turn.text == "Telewerk is ...\nNog iets?"
    assert turn.buttons == [{"title": "Meer", "payload": "/x"}]
    assert turn.primary_measure == "telewerk" and turn.measure_ids == ["telewerk", "werkbaar-werk"]
    assert turn.measures[1]["instrument"] == "cheque"
    assert turn.aspect == "amount" and turn.data["follow_ups"] == ["hoeveel?"]
    assert not turn.out_of_scope


def test_decode_without_measure_is_out_of_scope():
    turn = decode([{"text": "Daar kan ik je niet mee helpen."}, {"custom": {"data": {"measures": [],
                                                                                  "aspect": None}}}])
    assert turn.out_of_scope and turn.primary_measure is None and turn.aspect is None
    assert decode([]).out_of_scope and decode(None).texts == []


def test_decode_takes_custom_at_top_level_and_ids_as_strings_once():
    turn = decode([{"custom": {"measures": ["stagebonus", {"id": "stagebonus"}], "aspect": "status"}},
                   {"custom": {"data": {"measures": [{"id": "werkplekleren"}]}}}, "junk", {"custom": 5}])
    assert turn.measure_ids == ["stagebonus", "werkplekleren"] and turn.aspect == "status"


# ----------------------------------------------------------------------------- conversation ids
@pytest.mark.parametrize("value", ["a", "gesprek 12 – é", "x" * MAX_CONVERSATION_ID, "staff-0123abcd"])
def test_valid_conversation_ids(value):
    assert valid_conversation_id(value)


@pytest.mark.parametrize("value", ["", "   ", "x" * (MAX_CONVERSATION_ID + 1), "a\nb", "a\tb", "a\x00b",
                                   "a\x7fb", "a\u200bb", "a\ud800b", None, 5, ["a"]])
def test_invalid_conversation_ids(value):
    assert not valid_conversation_id(value)


# ----------------------------------------------------------------------------- var/local.env
@pytest.fixture
def env(monkeypatch):
    """The variables of the test file, absent at the start and restored afterwards."""
    for name in ("RASA_TOKEN", "BOT_STAFF_TOKEN", "BOT_TEST_EXTRA"):
        monkeypatch.setenv(name, "placeholder")
        monkeypatch.delenv(name)
    return monkeypatch


def test_env_file_fills_what_is_not_set(tmp_path, env):
    path = tmp_path / "local.env"
    path.write_text("RASA_TOKEN=from-file\nBOT_STAFF_TOKEN=staff-from-file\nBOT_TEST_EXTRA=1\n")
    env.setenv("BOT_STAFF_TOKEN", "mine")
    assert load_local_env(path)
    assert os.environ["RASA_TOKEN"] == "from-file"
    assert os.environ["BOT_STAFF_TOKEN"] == "mine"
    assert os.environ["BOT_TEST_EXTRA"] == "1"


def test_env_file_is_not_read_when_both_tokens_are_set(tmp_path, env):
    path = tmp_path / "local.env"
    path.write_text("RASA_TOKEN=from-file\nBOT_TEST_EXTRA=1\n")
    env.setenv("RASA_TOKEN", "set")
    env.setenv("BOT_STAFF_TOKEN", "set")
    assert not load_local_env(path)
    assert os.environ["RASA_TOKEN"] == "set" and "BOT_TEST_EXTRA" not in os.environ


def test_empty_variable_counts_as_not_set_and_missing_file_is_fine(tmp_path, env):
    path = tmp_path / "local.env"
    path.write_text("RASA_TOKEN=from-file\n")
    env.setenv("RASA_TOKEN", "")
    assert load_local_env(path) and os.environ["RASA_TOKEN"] == "from-file"
    assert not load_local_env(tmp_path / "missing.env")


# ----------------------------------------------------------------------------- the client
def test_say_and_parse_over_http():
    with serving({"Wat is telewerk?": reply("Telewerk ...", "telewerk", "overview", extra=1)}) as fake:
        with RasaClient(fake.url, TOKEN) as rasa:
            turn = rasa.say("test-1", "Wat is telewerk?")
            assert turn.primary_measure == "telewerk" and turn.aspect == "overview"
            assert turn.data["extra"] == 1 and turn.buttons[0]["payload"] == "/ask_more"
            assert rasa.parse("Wat is telewerk?")["intent"]["name"] == "ask_measure"
            assert rasa.say("test-1", "iets anders").out_of_scope
            assert rasa.ready("Wat is telewerk?")
        assert fake.connections == 1  # one kept-alive connection for all requests
        assert fake.calls[0][2] == {"sender": "test-1", "message": "Wat is telewerk?"}


@pytest.mark.parametrize("token", ["wrong", ""])
def test_wrong_or_missing_token_raises_the_token_error(token):
    with serving({}) as fake:
        with RasaClient(fake.url, token) as rasa:
            with pytest.raises(RasaTokenError, match="token ontbreekt of is fout"):
                rasa.parse("Wat is telewerk?")


def test_unreachable_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with RasaClient(f"http://127.0.0.1:{port}", timeout=2) as rasa:
        with pytest.raises(RasaUnreachable, match="niet bereikbaar"):
            rasa.say("test-1", "hallo")
        assert not rasa.ready()


def test_other_http_errors_and_bad_input():
    with serving({}) as fake:
        with RasaClient(fake.url + "/elders", TOKEN) as rasa:
            with pytest.raises(RasaError, match="HTTP 404"):
                rasa.say("test-1", "hallo")
            with pytest.raises(ValueError):
                rasa.say("a\nb", "hallo")
    with pytest.raises(ValueError):
        RasaClient("localhost:5005")
