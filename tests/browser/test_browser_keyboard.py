"""A whole conversation with the keyboard only: Tab, Shift+Tab, Enter, Space and typing; no clicks."""
from __future__ import annotations

import csv
import io
import secrets
import urllib.request

from playwright.sync_api import expect

from tests.browser.accessibility import focus_ring, live_region_of

QUESTION = "Wat is Alle hens aan dek?"
IN_LAST_FEEDBACK = """() => {
    const forms = document.querySelectorAll('#chat-log .feedback');
    return forms.length > 0 && forms[forms.length - 1].contains(document.activeElement);
}"""


class Keyboard:
    """Presses keys and records where the focus went and whether it was drawn."""

    def __init__(self, page):
        self.page = page
        self.visited = []

    def press(self, key: str) -> dict:
        self.page.keyboard.press(key)
        ring = focus_ring(self.page)
        self.visited.append(ring)
        assert ring["tag"] != "body", f"{key} lost the focus; before: {self.visited[-6:-1]}"
        assert ring["outline_style"] != "none" and ring["outline_px"] >= 2, f"focus not visible: {ring}"
        return ring

    def move_until(self, key: str, arrived, limit: int = 40) -> dict:
        for _ in range(limit):
            ring = self.press(key)
            if arrived(ring):
                return ring
        visited = [ring["name"][:40] for ring in self.visited[-limit:]]
        raise AssertionError(f"{key} x{limit} never got there; focus went to: {visited}")


def stored_feedback(stack, comment: str) -> list:
    request = urllib.request.Request(f"{stack.web_url}/staff/feedback.csv",
                                     headers={"Authorization": f"Bearer {stack.staff_token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        rows = csv.DictReader(io.StringIO(response.read().decode("utf-8")))
        return [row for row in rows if row["comment"] == comment]


def test_a_conversation_with_the_keyboard_only(chat, stack):
    c = chat()
    page = c.page
    keys = Keyboard(page)

    # The first Tab reaches the skip link, which takes the focus to the question field.
    assert keys.press("Tab")["name"] == "Naar het invoerveld van de chat"
    page.keyboard.press("Enter")
    assert focus_ring(page)["name"] == "chat-input"

    before = c.bot_count()
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    c.wait_for_bot(before)
    expect(c.log.locator(".msg-user .msg-text").last).to_have_text(QUESTION)
    assert focus_ring(page)["name"] == "chat-input"  # ready for the next question
    answer = c.log.locator(".msg-bot .msg-text").nth(before).inner_text()
    # A screen reader is told about the answer: it is added to a polite live region (the log).
    region = live_region_of(page, answer.splitlines()[0])
    assert region is not None and region["role"] == "log" and region["live"] == "polite", region
    assert "additions" in region["relevant"]

    # Read the answer and choose one of its buttons: Shift+Tab back into the log, Space.
    groups = c.log.locator(".quick-replies")
    choice = groups.nth(groups.count() - 1).get_by_role("button").first.inner_text()
    keys.move_until("Shift+Tab", lambda ring: ring["name"] == choice)
    before = c.bot_count()
    page.keyboard.press("Space")
    c.wait_for_bot(before)
    expect(c.log.locator(".msg-user .msg-text").last).to_have_text(choice)
    # The chosen button keeps the focus (inactive now), so Tab goes on into the new answer.
    assert focus_ring(page)["name"] == choice
    assert page.evaluate("document.activeElement.getAttribute('aria-disabled')") == "true"
    sent = c.log.locator(".msg-user").count()
    page.keyboard.press("Enter")  # a second press sends nothing
    assert c.log.locator(".msg-user").count() == sent
    assert live_region_of(page, c.log.locator(".msg-bot .msg-text").nth(before).inner_text().splitlines()[0])

    # Feedback on the new answer: open the comment, type it, send it with a thumb.
    comment = f"Toetsenbord {secrets.token_hex(4)}: duidelijk"
    summary = keys.move_until("Tab", lambda ring: page.evaluate(IN_LAST_FEEDBACK))
    assert summary["tag"] == "summary" and summary["name"].startswith("Opmerking toevoegen"), summary
    page.keyboard.press("Enter")
    assert keys.press("Tab")["tag"] == "textarea"
    page.keyboard.type(comment)
    assert keys.press("Tab")["name"] == "Nuttig"
    page.keyboard.press("Space")
    feedback = c.log.locator(".feedback").last
    expect(feedback.get_by_role("status")).to_have_text("Bedankt voor je feedback")
    expect(feedback.get_by_role("status")).to_be_focused()
    rows = stored_feedback(stack, comment)
    assert len(rows) == 1 and rows[0]["rating"] == "1" and rows[0]["question"] == choice, rows
