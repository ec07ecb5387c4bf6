"""The chat page in a real browser against the real bot (action server + Rasa + web app)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

HTTP_HREF = re.compile(r"^https?://")
SOURCE_LINE = re.compile(r"Bron( [^:\n]*)?:")  # "Bron:", "Bron (zonder datum):", "Bron van 20 december 2021:"
XSS = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def test_question_answer_with_source_and_quick_reply(chat, artifacts):
    c = chat(width=360, height=800)
    page = c.page
    c.ask("Wat is Alle hens aan dek?")
    answer = c.log.locator(".msg-bot").last
    expect(answer).to_contain_text(SOURCE_LINE)
    # The source URL inside the text is a real link, opened safely in a new tab.
    link = answer.locator("a").first
    assert HTTP_HREF.match(link.get_attribute("href"))
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    # The custom payload draws the "Bron:" list and the feedback buttons under the answer.
    sources = c.log.locator(".sources").last
    expect(sources).to_contain_text("Bron:")
    assert HTTP_HREF.match(sources.locator("a").first.get_attribute("href"))
    expect(c.log.get_by_role("button", name="Nuttig", exact=True).last).to_be_visible()
    expect(c.log.get_by_role("button", name="Niet nuttig").last).to_be_visible()

    groups = c.log.locator(".quick-replies")
    group = groups.nth(groups.count() - 1)  # fixed: .last would move on to the next answer's group
    button = group.get_by_role("button").first
    title = button.inner_text()
    first_answer = c.last_bot_text()
    c.click_reply(title)
    expect(c.log.locator(".msg-user .msg-text").last).to_have_text(title)
    for other in group.get_by_role("button").all():
        expect(other).to_be_disabled()
    assert c.last_bot_text() != first_answer
    # Usable at 360 px: nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.mouse.move(0, 0)  # no hover colour in the screenshot
    page.screenshot(path=str(artifacts / "chat.png"), full_page=True)


def test_markup_in_a_message_is_shown_as_text(chat):
    c = chat()
    c.ask(XSS)
    expect(c.log.locator(".msg-user .msg-text").last).to_have_text(XSS)
    assert c.log.locator("script, img").count() == 0
    assert c.page.evaluate("typeof window.__pwned") == "undefined"


def test_guided_path(chat):
    c = chat()
    c.log.locator(".quick-replies").first.get_by_role("button", name="Help me kiezen").click()
    c.log.get_by_role("button", name="Werkzoekende").wait_for()
    c.click_reply("Werkzoekende")
    interest = c.log.locator(".quick-replies").last.get_by_role("button").first
    c.click_reply(interest.inner_text())
    expect(c.log.locator(".sources")).to_have_count(1)
    assert HTTP_HREF.match(c.log.locator(".sources a").first.get_attribute("href"))
    expect(c.log.get_by_role("button", name="Nuttig", exact=True)).to_be_visible()
