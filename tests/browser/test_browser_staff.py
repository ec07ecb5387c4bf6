"""Feedback from the chat page reaches the staff page and its CSV export."""
from __future__ import annotations

import csv
import io
import re
import secrets

from playwright.sync_api import expect

QUESTION = "Wat is Alle hens aan dek?"


def test_feedback_round_trip(chat, new_page, stack, artifacts):
    comment = f"Testopmerking {secrets.token_hex(4)}: te weinig <b>details</b>"
    c = chat()
    c.ask(QUESTION)
    feedback = c.log.locator(".feedback").last
    feedback.get_by_text("Opmerking toevoegen").click()
    feedback.get_by_label("Je opmerking").fill(comment)
    feedback.get_by_role("button", name="Niet nuttig").click()
    expect(feedback).to_contain_text("Bedankt voor je feedback")

    staff = new_page()
    response = staff.goto("/staff")
    assert response.status == 401
    assert staff.request.get("/staff/feedback.csv").status == 401
    staff.get_by_label("Toegangscode").fill("wrong")
    staff.get_by_role("button", name="Aanmelden").click()
    expect(staff.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    staff.get_by_label("Toegangscode").fill(stack.staff_token)
    staff.get_by_role("button", name="Aanmelden").click()
    section = staff.locator("#feedback")
    expect(section).to_contain_text(comment)  # shown as text: the <b> is not markup
    row = section.locator("tr", has_text=comment)
    expect(row).to_contain_text("niet nuttig")
    expect(row).to_contain_text(QUESTION)
    expect(staff.locator("#catalogus article")).to_have_count(16)

    csv_response = staff.request.get("/staff/feedback.csv")
    assert csv_response.status == 200
    rows = list(csv.DictReader(io.StringIO(csv_response.text())))
    mine = [r for r in rows if r["comment"] == comment]
    assert len(mine) == 1
    assert mine[0]["rating"] == "-1" and mine[0]["question"] == QUESTION
    assert mine[0]["measure_id"] == "relanceplan" and re.search(r"\bBron\b", mine[0]["answer"])

    # The question tester asks Rasa and shows intent, entities, answer and payload.
    staff.get_by_label("Vraag", exact=True).fill("Hoeveel kost het actieplan telewerk?")
    staff.get_by_role("button", name="Test").click()
    result = staff.locator("#test-result")
    expect(result).to_contain_text("Intentie")
    expect(result.locator(".intent")).to_have_text("ask_telewerk")
    expect(result.locator(".measure-id").first).to_have_text("telewerk")
    staff.screenshot(path=str(artifacts / "staff.png"), full_page=True)
