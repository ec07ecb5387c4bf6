"""The staff page's inbox tab: the list and its filter, the staff decisions through the forms, bad
decisions that change nothing, and the protection of the changing requests."""
from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.web.security import STAFF_COOKIE, make_staff_cookie

from tests.unit.web.web_testing import Client

INBOX = "/staff?onderdeel=inbox"
WBC = "hoe vraag ik die wbc-bon aan?"
WEATHER = "wat voor weer wordt het morgen in Oostende"


def record(database_url, text, reason, reply="Gaat het over een van deze maatregelen?",
           candidates=("werkbaar-werk", "telewerk")) -> int:
    from bot import inbox
    from bot.catalogue.db import get_engine, session_scope

    with session_scope(get_engine(database_url)) as session:
        return inbox.record(session, text, reason, reply, list(candidates)).id


def stored(database_url, item_id) -> dict:
    from bot.catalogue.db import get_engine, session_scope
    from bot.catalogue.records import InboxItem

    with session_scope(get_engine(database_url)) as session:
        item = session.get(InboxItem, item_id)
        return {"status": item.status, "measure": item.measure_id, "item": item.item_id,
                "by": item.assigned_by, "at": item.assigned_at}


def csrf_of(html: str) -> str:
    tokens = set(re.findall(r'name="csrf" value="([0-9a-f]{64})"', html))
    assert len(tokens) == 1, tokens
    return tokens.pop()


def decide(client, item_id, action, csrf=None, url=INBOX, headers=None, **fields):
    csrf = csrf if csrf is not None else csrf_of(client.get(INBOX).text)
    return client.post(url, data={"csrf": csrf, "item": str(item_id), "actie": action, **fields},
                       headers=headers)


@pytest.fixture
def items(database_url):
    """Two open items: one clarified (seen twice), one declined."""
    wbc = record(database_url, WBC, "clarified")
    record(database_url, "Hoe vraag ik de WBC-bon aan", "clarified")
    weather = record(database_url, WEATHER, "declined", reply="Daar kan ik je niet mee helpen.", candidates=())
    return {"wbc": wbc, "weather": weather}


# ----------------------------------------------------------------------------- the list
def test_the_tab_lists_the_open_items(staff_client, items):
    response = staff_client.get(INBOX)
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    html = response.text
    assert '<h2 id="h-inbox">Inbox</h2>' in html and 'aria-current="page">Inbox (2 open)' in html
    wbc = html[html.index(f'id="inbox-{items["wbc"]}"'):html.index(f'id="inbox-{items["weather"]}"')]
    assert "„Hoe vraag ik de WBC-bon aan”" in wbc  # the latest wording of the group
    assert "doorgevraagd" in wbc and "2×" in wbc and "Gaat het over een van deze maatregelen?" in wbc
    assert "Werkbaar werk, Actieplan telewerk" in wbc  # the candidates by title
    assert re.search(r"Laatst gezien</dt><dd>\d{4}-\d\d-\d\d \d\d:\d\d UTC<", wbc)
    for measure_option in ('<option value="werkbaar-werk">Werkbaar werk</option>',
                           '<option value="telewerk">Actieplan telewerk</option>'):
        assert measure_option in wbc
    for button in ("Toewijzen", "Buiten bereik", "Negeren"):
        assert f">{button}</button>" in wbc
    assert "geweigerd" in html and "Daar kan ik je niet mee helpen." in html
    assert html.index(WEATHER) > html.index("WBC-bon")  # most frequent first
    assert "uit de inbox verdwenen" not in html  # nothing evicted: no notice


def test_the_overview_links_to_the_tab_with_the_open_count(staff_client, items):
    html = staff_client.get("/staff").text
    assert '<a href="/staff?onderdeel=inbox">Inbox (2 open)</a>' in html


def test_the_filter_on_reason(staff_client, items):
    html = staff_client.get(f"{INBOX}&reden=declined").text
    assert WEATHER in html and "WBC-bon" not in html
    assert '<option value="declined" selected>geweigerd (1 open)</option>' in html
    assert '<option value="clarified">doorgevraagd (1 open)</option>' in html
    assert "Geen items met deze reden." in staff_client.get(f"{INBOX}&reden=thumbs_down").text


def test_item_text_is_escaped(staff_client, database_url):
    record(database_url, "<script>alert(1)</script> wat is dit", "declined")
    html = staff_client.get(INBOX).text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_evicted_count_is_shown(staff_client, database_url, monkeypatch):
    monkeypatch.setenv("BOT_INBOX_CAP", "2")
    for n in range(4):
        record(database_url, f"vraagje nummer{n} over iets", "declined")
    html = staff_client.get(INBOX).text
    assert "2 oudere items zijn uit de inbox verdwenen omdat ze vol was." in html


# ----------------------------------------------------------------------------- decisions
def test_assign_to_a_measure(staff_client, database_url, items):
    from bot import inbox
    from bot.catalogue.db import get_engine, session_scope

    response = decide(staff_client, items["wbc"], "toewijzen", maatregel="werkbaar-werk")
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert parse_qs(location.query) == {"onderdeel": ["inbox"], "bewaard": [str(items["wbc"])]}
    row = stored(database_url, items["wbc"])
    assert (row["status"], row["measure"], row["item"], row["by"]) == ("assigned", "werkbaar-werk", None, "staff")
    assert row["at"] is not None
    with session_scope(get_engine(database_url)) as session:  # what the next message gets
        assert inbox.assignment(session, "Hoe vraag ik die WBC-bon aan").measure_id == "werkbaar-werk"

    html = staff_client.get(f"{location.path}?{location.query}").text
    assert 'role="status">Bewaard: „Hoe vraag ik de WBC-bon aan” is toegewezen aan Werkbaar werk.' in html
    assert f'id="inbox-{items["wbc"]}"' not in html  # no longer open
    handled = staff_client.get(f"{INBOX}&alles=1").text
    assert f'id="inbox-{items["wbc"]}"' in handled and "toegewezen aan Werkbaar werk, door staff op" in handled


def test_assign_to_an_answer_item(staff_client, database_url, items):
    page = staff_client.get(f"{INBOX}&item={items['wbc']}&maatregel=werkbaar-werk").text
    assert '<option value="werkbaar-werk" selected>Werkbaar werk</option>' in page
    assert '<label for="antwoorditem">Antwoorditem van Werkbaar werk</label>' in page
    options = re.findall(r'<option value="([^"]*)"', page[page.index('id="antwoorditem"'):])
    assert "wcheq-aanvragen" in options and not any(o.startswith("telewerk") for o in options)
    assert WEATHER not in page  # only this item
    response = decide(staff_client, items["wbc"], "toewijzen", csrf=csrf_of(page),
                      maatregel="werkbaar-werk", antwoorditem="wcheq-aanvragen")
    assert response.status_code == 303
    assert stored(database_url, items["wbc"])["item"] == "wcheq-aanvragen"


def test_the_item_view_starts_at_the_first_candidate(staff_client, items):
    page = staff_client.get(f"{INBOX}&item={items['wbc']}").text
    assert '<option value="werkbaar-werk" selected>Werkbaar werk</option>' in page
    assert "Dit item bestaat niet (meer)." in staff_client.get(f"{INBOX}&item=999999").text


@pytest.mark.parametrize("action, status", [("buiten_bereik", "out_of_scope"), ("negeren", "dismissed")])
def test_out_of_scope_and_dismiss(staff_client, database_url, items, action, status):
    assert decide(staff_client, items["weather"], action).status_code == 303
    row = stored(database_url, items["weather"])
    assert (row["status"], row["measure"], row["by"]) == (status, None, "staff")


@pytest.mark.parametrize("fields, message", [
    ({"maatregel": "bestaat-niet"}, "'bestaat-niet' is geen maatregel."),
    ({"maatregel": "werkbaar-werk", "antwoorditem": "telewerk-wat"},
     "'telewerk-wat' is geen antwoorditem van de maatregel 'werkbaar-werk'."),
    ({"maatregel": ""}, "Kies een maatregel."),
])
def test_a_bad_assignment_shows_the_error_and_changes_nothing(staff_client, database_url, items, fields, message):
    response = decide(staff_client, items["wbc"], "toewijzen", **fields)
    assert response.status_code == 400
    assert re.search(rf'role="alert">Item #{items["wbc"]}: {re.escape(message)}.*Er is niets veranderd.',
                     response.text.replace("&#39;", "'"))
    assert stored(database_url, items["wbc"])["status"] == "open"
    assert f'id="inbox-{items["wbc"]}"' in response.text  # still listed


def test_an_unknown_item_shows_the_error(staff_client, items):
    response = decide(staff_client, 999999, "negeren")
    assert response.status_code == 400 and "Er is geen inbox-item met nummer 999999." in response.text


# ----------------------------------------------------------------------------- protection
def test_the_tab_needs_the_login(client, items):
    response = client.get(INBOX)
    assert response.status_code == 401 and 'name="token"' in response.text and WEATHER not in response.text


def test_a_post_without_the_login_is_refused(client, database_url, items):
    response = client.post(INBOX, data={"csrf": "0" * 64, "item": str(items["wbc"]), "actie": "toewijzen",
                                        "maatregel": "werkbaar-werk"})
    assert response.status_code == 401
    assert stored(database_url, items["wbc"])["status"] == "open"


def test_a_post_from_another_origin_is_refused(staff_client, database_url, items):
    response = decide(staff_client, items["wbc"], "toewijzen", maatregel="werkbaar-werk",
                      headers={"origin": "https://evil.example"})
    assert response.status_code == 403
    assert stored(database_url, items["wbc"])["status"] == "open"
    same_site = decide(staff_client, items["wbc"], "toewijzen", maatregel="werkbaar-werk",
                       headers={"origin": "http://testserver"})
    assert same_site.status_code == 303


@pytest.mark.parametrize("token", ["", "0" * 64, "another session's"])
def test_a_post_without_this_sessions_csrf_token_is_refused(staff_client, config, database_url, items, token):
    if token == "another session's":
        from bot.web.app import create_app

        other = Client(create_app(config), cookies={STAFF_COOKIE: make_staff_cookie(config, now=time.time() - 60)})
        token = csrf_of(other.get(INBOX).text)
        assert token != csrf_of(staff_client.get(INBOX).text)
    response = decide(staff_client, items["wbc"], "negeren", csrf=token)
    assert response.status_code == 403
    assert stored(database_url, items["wbc"])["status"] == "open"
