"""The Rasa server's HTTP API needs the token, and CORS allows only the configured origin
(Procfile: --enable-api --auth-token ${RASA_TOKEN} --cors ${BOT_ALLOWED_ORIGIN}; the stack
starts Rasa the same way, with the web app's address as the allowed origin)."""
from __future__ import annotations

import json
import re

import pytest

from tests.servers import PROCFILE, http_raw, procfile_command

EVIL = "http://evil.example"


@pytest.mark.parametrize("method, path", [
    ("GET", "/status"),
    ("GET", "/conversations/someone/tracker"),
    ("POST", "/conversations/someone/messages"),
    ("POST", "/conversations/someone/trigger_intent"),
    ("POST", "/model/parse"),
    ("GET", "/domain"),
    ("PUT", "/model"),
])
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_the_http_api_refuses_requests_without_the_right_token(stack, method, path, token):
    url = stack.rasa_url + path + (f"?token={token}" if token else "")
    status, body, _ = http_raw(method, url, json.dumps({"text": "hoi"}).encode())
    assert status in (401, 403), (status, body[:200])


def test_the_http_api_answers_with_the_token(stack):
    status, body, _ = http_raw("GET", f"{stack.rasa_url}/status?token={stack.rasa_token}")
    assert status == 200 and json.loads(body)["model_file"]


@pytest.mark.parametrize("path", ["/webhooks/rest/webhook", "/model/parse"])
def test_cors_allows_only_the_configured_origin(stack, path):
    def preflight(origin):
        return http_raw("OPTIONS", stack.rasa_url + path, None, {
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})[2]

    allowed = {k.lower(): v for k, v in preflight(stack.web_url).items()}
    assert allowed.get("access-control-allow-origin") == stack.web_url
    refused = {k.lower(): v for k, v in preflight(EVIL).items()}
    assert refused.get("access-control-allow-origin") in (None, "")


def test_a_cross_origin_post_gets_no_cors_permission(stack):
    body = json.dumps({"sender": "cors-test", "message": "hallo"}).encode()
    _, _, headers = http_raw("POST", f"{stack.rasa_url}/webhooks/rest/webhook", body, {"Origin": EVIL})
    assert {k.lower(): v for k, v in headers.items()}.get("access-control-allow-origin") in (None, "")
    _, _, headers = http_raw("POST", f"{stack.rasa_url}/webhooks/rest/webhook", body, {"Origin": stack.web_url})
    assert {k.lower(): v for k, v in headers.items()}.get("access-control-allow-origin") == stack.web_url


def test_the_procfile_keeps_the_api_closed_and_the_servers_on_loopback():
    rasa = procfile_command("rasa")
    assert "--enable-api" in rasa and "--auth-token ${RASA_TOKEN}" in rasa
    assert re.search(r"--cors \$\{BOT_ALLOWED_ORIGIN", rasa) and "--cors \"*\"" not in rasa
    assert "--interface ${RASA_INTERFACE:-127.0.0.1}" in rasa
    assert procfile_command("actions").startswith("SANIC_HOST=${ACTIONS_HOST:-127.0.0.1} ")
    assert "--credentials credentials.yml" in rasa, PROCFILE.read_text()
