"""Staff page: login, sections, escaping, CSV export and the question tester."""
from __future__ import annotations

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.catalogue.constants import MEASURE_IDS
from bot.web.config import WebConfig
from bot.web.security import STAFF_COOKIE, cookie_is_valid, make_staff_cookie

from tests.unit.web.web_testing import RASA_TOKEN, STAFF_TOKEN, Client


def add_feedback(database_url, comment, rating=-1, question="Wat is telewerk?"):
    from bot.catalogue.db import get_engine, session_scope
    from bot.feedback import record_feedback

    with session_scope(get_engine(database_url)) as session:
        record_feedback(session, "sender-1", question, "Een antwoord", "telewerk", rating, comment)


def add_handoff(database_url, reason, last_message):
    from bot.catalogue.db import get_engine, session_scope
    from bot.feedback import record_handoff

    with session_scope(get_engine(database_url)) as session:
        record_handoff(session, "sender-2", reason, last_message)


# ----------------------------------------------------------------------------- access
@pytest.mark.parametrize("headers", [{}, {"authorization": "Bearer wrong"}, {"authorization": "Basic x"},
                                     {"cookie": f"{STAFF_COOKIE}=123.abc"}])
def test_staff_page_needs_the_token(client, headers):
    response = client.get("/staff", headers=headers)
    assert response.status_code == 401
    assert 'name="token"' in response.text and "Catalogus" not in response.text


def test_csv_needs_the_token(client):
    assert client.get("/staff/feedback.csv").status_code == 401


def test_bearer_token(client):
    response = client.get("/staff", headers={"authorization": f"Bearer {STAFF_TOKEN}"})
    assert response.status_code == 200


def test_login_sets_a_signed_httponly_cookie(client):
    wrong = client.post("/staff/login", data={"token": "nope"})
    assert wrong.status_code == 401 and "Deze code klopt niet." in wrong.text
    assert STAFF_COOKIE not in client.cookies
    response = client.post("/staff/login", data={"token": STAFF_TOKEN})
    assert response.status_code == 303 and response.headers["location"] == "/staff"
    set_cookie = response.headers["set-cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=strict" in set_cookie and "Path=/staff" in set_cookie
    assert STAFF_TOKEN not in set_cookie
    assert client.get("/staff").status_code == 200
    assert client.post("/staff/logout").status_code == 303
    assert client.get("/staff").status_code == 401


def test_cross_site_login_post_is_refused(client):
    response = client.post("/staff/login", data={"token": STAFF_TOKEN},
                           headers={"origin": "https://evil.example"})
    assert response.status_code == 403


def test_cookie_signature_and_expiry(config):
    value = make_staff_cookie(config, now=1000)
    assert cookie_is_valid(config, value, now=1001)
    assert not cookie_is_valid(config, value, now=10**10)
    expires, signature = value.split(".")
    assert not cookie_is_valid(config, f"{int(expires) + 1}.{signature}", now=1001)
    other = WebConfig(staff_token="another-token")
    assert not cookie_is_valid(other, value, now=1001)


def test_staff_page_closed_without_token(database_url):
    from bot.web.app import create_app

    client = Client(create_app(WebConfig(staff_token="", database_url=database_url)))
    assert client.get("/staff", headers={"authorization": "Bearer "}).status_code == 401
    assert client.post("/staff/login", data={"token": ""}).status_code == 401


# ----------------------------------------------------------------------------- content
def test_sections_and_catalogue(staff_client):
    response = staff_client.get("/staff")
    html = response.text
    for heading in ("Vraag testen", "Catalogus", "Feedback", "Overdrachten"):
        assert f">{heading}</h2>" in html
    for measure_id in MEASURE_IDS:
        assert f'id="maatregel-{measure_id}"' in html
    assert "afgeschaft" in html and "premie-kwalificerend-werkplekleren" in html  # stagebonus
    assert "Laatst gecontroleerd" in html and "vlaams-opleidingsverlof" in html
    assert 'href="https://' in html and 'href="/staff/feedback.csv"' in html
    assert response.headers["cache-control"] == "no-store"


def test_feedback_newest_first_and_escaped(staff_client, database_url):
    add_feedback(database_url, "oude opmerking", rating=1)
    add_feedback(database_url, "<script>alert(1)</script> nieuw")
    html = staff_client.get("/staff").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; nieuw" in html
    assert html.index("nieuw") < html.index("oude opmerking")


def test_handoffs_listed(staff_client, database_url):
    add_handoff(database_url, "handoff", "ik wil met iemand <b>spreken</b>")
    html = staff_client.get("/staff").text
    section = html[html.index('id="overdrachten"'):]
    assert "sender-2" in section and "ik wil met iemand &lt;b&gt;spreken&lt;/b&gt;" in section


def test_csv_export(staff_client, database_url):
    add_feedback(database_url, "=HYPERLINK(\"x\") formule")
    add_feedback(database_url, "tweede, met komma", rating=1)
    response = staff_client.get("/staff/feedback.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["comment"] for r in rows] == ["'=HYPERLINK(\"x\") formule", "tweede, met komma"]
    assert rows[0]["rating"] == "-1" and rows[0]["measure_id"] == "telewerk"


# ----------------------------------------------------------------------------- question tester
class FakeRasa(BaseHTTPRequestHandler):
    calls: list = []

    def do_POST(self):  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        url = urlsplit(self.path)
        FakeRasa.calls.append((url.path, parse_qs(url.query), body))
        if url.path == "/model/parse":
            if parse_qs(url.query).get("token") != [RASA_TOKEN]:
                self.send_response(401)
                self.end_headers()
                return
            reply = {"text": body["text"], "intent": {"name": "ask_telewerk", "confidence": 0.9731},
                     "intent_ranking": [{"name": "ask_telewerk", "confidence": 0.9731},
                                        {"name": "ask_werkbaar_werk", "confidence": 0.01}],
                     "entities": [{"entity": "aspect", "value": "amount", "start": 0, "end": 7,
                                   "extractor": "CatalogueEntityExtractor"}]}
        else:
            reply = [{"recipient_id": body["sender"], "text": "Telewerk <b>is</b> ... Bron: X – https://x.be",
                      "buttons": [{"title": "Hoeveel?", "payload": "/ask_followup"}]},
                     {"recipient_id": body["sender"],
                      "custom": {"data": {"measures": [{"id": "telewerk", "title": "Actieplan telewerk",
                                                        "source_url": "javascript:alert(1)"}],
                                          "aspect": "amount", "next_step": "aanvragen"}}}]
        raw = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_rasa():
    FakeRasa.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_question_tester(config, fake_rasa):
    from dataclasses import replace

    from bot.web.app import create_app

    client = Client(create_app(replace(config, rasa_url=fake_rasa)))
    client.post("/staff/login", data={"token": STAFF_TOKEN})
    response = client.post("/staff", data={"vraag": "Hoeveel krijg ik voor thuiswerk?"})
    assert response.status_code == 200
    html = response.text
    assert "ask_telewerk" in html and "0.973" in html
    assert "aspect" in html and "amount" in html and "Hoeveel" in html
    assert "Telewerk &lt;b&gt;is&lt;/b&gt;" in html and "/ask_followup" in html
    assert 'class="measure-id">telewerk<' in html
    assert 'href="javascript:' not in html
    paths = [c[0] for c in FakeRasa.calls]
    assert paths == ["/model/parse", "/webhooks/rest/webhook"]
    assert FakeRasa.calls[1][2]["sender"].startswith("staff-")
    assert "next_step" in html and "<code>\"aanvragen\"</code>" in html  # new payload keys are shown too


def test_question_tester_with_a_wrong_rasa_token(config, fake_rasa):
    from dataclasses import replace

    from bot.web.app import create_app

    client = Client(create_app(replace(config, rasa_url=fake_rasa, rasa_token="wrong")))
    client.post("/staff/login", data={"token": STAFF_TOKEN})
    html = client.post("/staff", data={"vraag": "Wat is telewerk?"}).text
    assert "Intentie bepalen mislukt: Het token ontbreekt of is fout" in html
    assert 'class="measure-id">telewerk<' in html  # the answer still comes through


def test_question_tester_reports_unreachable_rasa(staff_client):
    response = staff_client.post("/staff", data={"vraag": "Wat is telewerk?"})
    assert response.status_code == 200
    assert "Rasa is niet bereikbaar" in response.text


def test_question_tester_needs_login(client):
    assert client.post("/staff", data={"vraag": "x"}).status_code == 401


def test_same_site_login_post_with_origin(client):
    response = client.post("/staff/login", data={"token": STAFF_TOKEN},
                           headers={"origin": "http://testserver"})
    assert response.status_code == 303
    assert client.get("/").headers["referrer-policy"] == "same-origin"
