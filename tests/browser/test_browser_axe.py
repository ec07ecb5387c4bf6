"""axe-core (WCAG 2.1 A and AA rules) on the chat page, a conversation and the staff pages."""
from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible, axe_violations
from tests.servers import http

QUESTION = "Wat is Alle hens aan dek?"


def test_axe_reports_what_it_finds(browser):
    """The check can fail: a page with known faults gives the violations they break."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content('<html><body><main><input type="text"><button></button>'
                         '<p style="color:#aaa;background:#fff">vaag</p></main></body></html>')
        found = {violation["id"] for violation in axe_violations(page)}
    finally:
        context.close()
    assert {"html-has-lang", "label", "button-name", "color-contrast"} <= found, found


@pytest.mark.parametrize("width", [1280, 320])
def test_the_empty_chat_page(chat, width):
    c = chat(width=width, bypass_csp=True)
    assert_accessible(c.page, f"the chat page at {width} px")


def test_a_conversation_with_buttons_and_the_feedback_form(chat):
    c = chat(bypass_csp=True)
    c.ask(QUESTION)
    replies = c.log.locator(".quick-replies").last.get_by_role("button")
    expect(replies.first).to_be_enabled()
    forms = c.log.locator(".feedback")
    feedback = forms.nth(forms.count() - 1)  # fixed: .last would move on to the next answer's form
    feedback.get_by_text("Opmerking toevoegen").click()
    feedback.get_by_label("Je opmerking").fill("Duidelijk, maar te kort.")
    expect(feedback.get_by_role("button", name="Nuttig", exact=True)).to_be_visible()
    assert_accessible(c.page, "a conversation: answer with buttons, feedback form open")

    # After the choice and the feedback: chosen and inactive buttons, the thank-you line.
    c.click_reply(replies.first.inner_text())
    feedback.get_by_role("button", name="Nuttig", exact=True).click()
    expect(feedback).to_contain_text("Bedankt voor je feedback")
    assert_accessible(c.page, "a conversation after a button choice and feedback")


def test_the_staff_login_page(new_page):
    page = new_page(bypass_csp=True)
    assert page.goto("/staff").status == 401
    assert_accessible(page, "the staff login page")
    page.get_by_label("Toegangscode").fill("fout")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    assert_accessible(page, "the staff login page with an error")


def test_the_staff_page(new_page, stack):
    http("POST", f"{stack.web_url}/api/feedback", {  # so the feedback table has a row
        "sender_id": secrets.token_hex(16), "question": QUESTION, "answer": "Een akkoord.",
        "measure_id": "relanceplan", "rating": -1, "comment": "Te kort."})
    page = new_page(bypass_csp=True)
    page.goto("/staff")
    page.get_by_label("Toegangscode").fill(stack.staff_token)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Catalogus")).to_be_visible()
    expect(page.locator("#feedback tbody tr").first).to_contain_text("Te kort.")
    assert_accessible(page, "the staff page")
    page.get_by_label("Vraag", exact=True).fill("Wat is telewerk?")
    page.get_by_role("button", name="Test").click()
    expect(page.locator("#test-result")).to_contain_text("Intentie")
    assert_accessible(page, "the staff page with a tested question")
