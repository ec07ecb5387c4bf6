"""Chat page, health check, static files and security headers."""
from __future__ import annotations

import re

import pytest

from bot.web.app import http_url
from bot.web.config import WebConfig

PRIVACY = ("Typ geen persoonlijke gegevens zoals je rijksregisternummer. "
           "Gesprekken worden bewaard om de chatbot te verbeteren.")


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == "ok"


def test_chat_page_content(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert "Alle hens aan dek – vraag het de chatbot" in html
    assert PRIVACY in html
    assert "0800 30 700" in html and "chatbot, niet met een mens" in html
    for topic in ("opleiding", "e-leren", "thuiswerk", "werkbaar werk", "werkgevers", "zorg", "onderwijs"):
        assert topic in html
    assert '<meta name="rasa-url" content="http://127.0.0.1:5999">' in html
    assert 'role="log"' in html and 'aria-live="polite"' in html
    assert '<label for="chat-input"' in html
    assert '<script src="/static/vendor/socket.io.min.js"' in html
    # No inline scripts (the CSP would block them) and nothing from other hosts.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_security_headers_on_every_response(client):
    for path in ("/", "/healthz", "/staff", "/static/chat.js", "/does-not-exist"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert re.search(r"connect-src 'self' http://127\.0\.0\.1:5999 ws://127\.0\.0\.1:5999(;|$)", csp)
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"


def test_csp_uses_wss_for_https_rasa():
    config = WebConfig(rasa_url="http://rasa:5005", public_rasa_url="https://bot.example.be/")
    assert config.rasa_origins() == ["https://bot.example.be", "wss://bot.example.be"]


def test_socket_io_bundle_is_served_locally(client, config):
    response = client.get("/static/vendor/socket.io.min.js")
    if not config.socket_io_bundle.is_file():
        assert response.status_code == 404  # `npm ci` not run
        return
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert b"Socket.IO" in response.body[:300] or b"socket.io" in response.body[:300].lower()


def test_static_assets(client):
    for path, kind in (("/static/chat.js", "javascript"), ("/static/chat.css", "text/css")):
        response = client.get(path)
        assert response.status_code == 200
        assert kind in response.headers["content-type"]


def test_chat_js_never_uses_html_injection(client):
    script = client.get("/static/chat.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert 'rel = "noopener' in script and "textContent" in script


def test_http_url_filter():
    assert http_url("https://www.vlaanderen.be/x") == "https://www.vlaanderen.be/x"
    assert http_url("javascript:alert(1)") == "#"
    assert http_url(" JaVaScRiPt:alert(1)") == "#"
    assert http_url(None) == "#"


def test_config_from_environment(monkeypatch, database_url):
    monkeypatch.setenv("BOT_RASA_URL", "http://127.0.0.1:6006/")
    monkeypatch.delenv("BOT_RASA_PUBLIC_URL", raising=False)
    monkeypatch.setenv("RASA_TOKEN", "t1")
    monkeypatch.setenv("BOT_STAFF_TOKEN", "t2")
    monkeypatch.setenv("BOT_DATABASE_URL", database_url)
    config = WebConfig.from_env()
    assert config.rasa_url == config.public_rasa_url == "http://127.0.0.1:6006"
    assert (config.rasa_token, config.staff_token, config.database_url) == ("t1", "t2", database_url)
    monkeypatch.setenv("BOT_RASA_URL", "javascript:alert(1)")
    with pytest.raises(ValueError):
        WebConfig.from_env()


def test_same_origin_rasa(monkeypatch, database_url):
    from bot.web.app import create_app
    from tests.unit.web.web_testing import Client

    monkeypatch.setenv("BOT_RASA_URL", "http://127.0.0.1:6006")
    monkeypatch.setenv("BOT_RASA_PUBLIC_URL", "same-origin")
    monkeypatch.setenv("BOT_DATABASE_URL", database_url)
    config = WebConfig.from_env()
    assert config.public_rasa_url == "" and config.rasa_url == "http://127.0.0.1:6006"
    response = Client(create_app(config)).get("/")
    assert '<meta name="rasa-url" content="">' in response.text
    assert "connect-src 'self';" in response.headers["content-security-policy"]
