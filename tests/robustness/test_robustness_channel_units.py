"""bot.channels without a server: the REST body checks, and the compiled validation of action
server responses giving the same verdicts as Rasa's own jsonschema.validate()."""
from __future__ import annotations

import json

import pytest

from bot.channels import BadRequest, parse_rest_body


def test_a_good_body_passes_with_defaults():
    body = parse_rest_body(json.dumps({"sender": " 123 ", "message": "hoi"}).encode())
    assert body == {"sender": "123", "message": "hoi", "metadata": None, "input_channel": None}
    body = parse_rest_body(json.dumps({"sender": 7, "message": "", "metadata": {"a": 1},
                                       "input_channel": "web"}).encode())
    assert body["sender"] == "7" and body["metadata"] == {"a": 1} and body["input_channel"] == "web"


@pytest.mark.parametrize("raw", [
    b"", b"{", b"[]", b"1", b"\xc3\x28", b'{"message": "x"}', b'{"sender": "x"}',
    b'{"sender": true, "message": "x"}', b'{"sender": "x", "message": 1}',
    b'{"sender": "x", "message": "x", "metadata": "m"}',
    json.dumps({"sender": "x", "message": "x", "metadata": {"k": "v" * 9000}}).encode(),
])
def test_a_bad_body_raises_bad_request(raw):
    with pytest.raises(BadRequest):
        parse_rest_body(raw)


RESPONSES = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "measure", "value": "telewerk"}],
     "responses": [{"text": "x", "buttons": [{"title": "a", "payload": "/b"}]}]},
    {"responses": [{"custom": {"data": {"measures": []}}}]},
    {},
    {"events": "not a list"},
    {"responses": [1]},
    {"events": [{"no_event_key": 1}]},
    {"responses": "x"},
]


@pytest.mark.parametrize("response", RESPONSES)
def test_the_compiled_validation_agrees_with_jsonschema_validate(response):
    from jsonschema import ValidationError, validate
    from rasa.core.actions.action import RemoteAction

    from bot.channels import compile_action_response_validation

    spec = RemoteAction.action_response_format_spec()
    try:
        validate(response, spec)
        expected = None
    except ValidationError as error:
        expected = error.message
    compile_action_response_validation()
    action = RemoteAction.__new__(RemoteAction)
    if expected is None:
        assert action._validate_action_result(response) is True
    else:
        with pytest.raises(ValidationError) as raised:
            action._validate_action_result(response)
        assert raised.value.message.startswith(expected + ". Failed to validate Action server response")
