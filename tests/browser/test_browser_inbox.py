"""The staff inbox tab in Chromium: a message the bot could not place shows up, staff assign it
through the form (or pick an answer item, or use only the keyboard), and the chat page then
answers it; axe-core finds no WCAG 2.1 AA violations on the tab and on one item's view."""
from __future__ import annotations

import re
import secrets

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible, focus_ring
from tests.servers import http

# Not one word the catalogue knows ("cheque" would be): the bot asks back or declines.
NICKNAME = "hoe krijg ik een wb-bon"
UNPLACED_NL = ("doorgevraagd", "geweigerd", "geen context")
IN_ARTICLE = "(id) => document.activeElement.closest('article') ? document.activeElement.closest('article').id : null"


def thumbs_down(stack, question: str) -> None:
    """A thumbs-down from the chat page's feedback API: its question joins the inbox."""
    http("POST", f"{stack.web_url}/api/feedback", {
        "sender_id": secrets.token_hex(16), "question": question, "answer": "Een antwoord dat niet hielp.",
        "measure_id": "telewerk", "rating": -1, "comment": ""})


def open_inbox(page, stack) -> None:
    page.goto("/staff")
    page.get_by_label("Toegangscode").fill(stack.staff_token)
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_role("navigation", name="Onderdelen").get_by_role("link", name=re.compile(r"^Inbox")).click()
    expect(page.get_by_role("heading", name="Inbox", exact=True)).to_be_visible()


def item_card(page, text: str):
    return page.locator("article.inbox-item").filter(has=page.locator("h3", has_text=f"„{text}”"))


def ask(chat, text: str):
    """`text` in a fresh conversation on the chat page; the Chat."""
    c = chat()
    c.ask(text)
    return c


def expect_the_cheque(c, text: str) -> None:
    """The last answer is about the werkbaarheidscheque, and names it as its source."""
    assert "werkbaarheidscheque" in c.last_bot_text().lower(), (text, c.last_bot_text())
    expect(c.log.locator(".sources").last).to_contain_text("Werkbaarheidscheque")


def test_assign_through_the_inbox_tab(chat, new_page, stack, artifacts):
    c = ask(chat, NICKNAME)
    before = c.last_bot_text()
    assert "werkbaarheidscheque" not in before.lower(), before

    page = new_page(bypass_csp=True)
    open_inbox(page, stack)
    card = item_card(page, NICKNAME)
    expect(card).to_have_count(1)
    assert card.locator("dd").first.inner_text() in UNPLACED_NL
    expect(card).to_contain_text(before.splitlines()[0][:60])  # the bot's reply
    assert_accessible(page, "the inbox tab")

    card.get_by_label("Maatregel").select_option(label="Werkbaar werk")
    card.get_by_role("button", name="Toewijzen").click()
    expect(page.get_by_role("status")).to_contain_text(f"„{NICKNAME}” is toegewezen aan Werkbaar werk")
    expect(item_card(page, NICKNAME)).to_have_count(0)  # no longer open
    assert_accessible(page, "the inbox tab after an assignment")
    page.screenshot(path=str(artifacts / "inbox.png"), full_page=True)

    for text in (NICKNAME, "Hoe krijg ik een WB-bon?"):
        expect_the_cheque(ask(chat, text), text)


def test_assign_to_an_answer_item(chat, new_page, stack):
    question = "waar vind ik het formulier voor de chequeaanvraag"
    thumbs_down(stack, question)
    page = new_page(bypass_csp=True)
    open_inbox(page, stack)
    card = item_card(page, question)
    expect(card).to_contain_text("duim omlaag")
    card.get_by_role("link", name=re.compile("Met een antwoorditem toewijzen")).click()
    expect(page.locator("article.inbox-item")).to_have_count(1)
    page.get_by_label("Maatregel").select_option(label="Werkbaar werk")
    page.get_by_role("button", name="Antwoorditems tonen").click()
    items = page.get_by_label("Antwoorditem van Werkbaar werk")
    expect(items).to_be_visible()
    assert_accessible(page, "one inbox item with a measure's answer items")
    items.select_option(label="Hoe vraag ik een werkbaarheidscheque aan?")
    page.get_by_role("button", name="Toewijzen").click()
    expect(page.get_by_role("status")).to_contain_text("toegewezen aan Werkbaar werk (antwoorditem wcheq-aanvragen)")

    c = ask(chat, question)
    assert "De stappen en een deadline vonden we niet in onze bronnen" in c.last_bot_text()
    expect_the_cheque(c, question)


def test_the_inbox_tab_with_the_keyboard_only(new_page, stack):
    question = "kan die thuiswerkvergoeding ook voor mijn kot"
    thumbs_down(stack, question)
    page = new_page()
    open_inbox(page, stack)
    target = item_card(page, question).get_attribute("id")

    def press(key: str) -> dict:
        page.keyboard.press(key)
        ring = focus_ring(page)
        assert ring["tag"] != "body", f"{key} lost the focus"
        assert ring["outline_style"] != "none" and ring["outline_px"] >= 2, f"focus not visible: {ring}"
        return ring

    for _ in range(400):  # Tab through the page up to this item's measure select
        ring = press("Tab")
        if ring["tag"] == "select" and page.evaluate(IN_ARTICLE) == target:
            break
    else:
        raise AssertionError("Tab never reached the item's measure select")
    press("ArrowDown")  # a closed select takes the next option: Actieplan e-leren ...
    press("ArrowDown")  # ... then Actieplan telewerk
    expect(item_card(page, question).get_by_label("Maatregel")).to_have_value("telewerk")
    assert press("Tab")["name"] == "Toewijzen"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"„{question}” is toegewezen aan Actieplan telewerk")
