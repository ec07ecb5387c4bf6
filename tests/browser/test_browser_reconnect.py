"""The chat page while Rasa restarts: a Dutch notice, and nothing the person sent is lost.

The test kills the session's real Rasa server and starts it again on the same port and tracker
store, as a supervisor would; the other tests go on using it afterwards.
"""
from __future__ import annotations

import os
import re
import signal
from contextlib import contextmanager

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible, live_region_of
from tests.servers import tracker_events, wait_until

CONNECTED = "Verbonden met de chatbot."
NOTICE = "Even geduld: de chatbot start opnieuw op. Je bericht wordt verstuurd zodra hij terug is."
SENT = "Verbonden met de chatbot. Je bericht is verstuurd."
RESTART_TIMEOUT_MS = 180_000
ANSWER_TIMEOUT_MS = 30_000


def rasa_process(stack):
    running = [p for p in stack.processes if p.poll() is None and p.args[1:2] == ["run"]]
    assert len(running) == 1, running
    return running[0]


@contextmanager
def rasa_down(stack):
    """Yields the running Rasa server's process for the test to stop; it is started again
    (and waited for) when the block ends, also when the test failed inside it."""
    process = rasa_process(stack)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        stack.start_rasa()


def user_texts(stack, session: str) -> list:
    events = tracker_events(stack.tracker_db_url, [session])[session]
    return [event.get("text") for event in events if event.get("event") == "user"]


def test_a_restarting_bot_gets_a_notice_and_every_message_afterwards(chat, stack, artifacts):
    c = chat(bypass_csp=True)
    page = c.page
    status = page.locator("#chat-status")
    expect(status).to_have_text(CONNECTED)
    session = page.evaluate("sessionStorage.getItem('ahad-chat-session')")
    field = page.get_by_label("Je vraag")
    unanswered, typed = "Wat is telewerk?", "Wat is de werkbaarheidscheque?"

    with rasa_down(stack) as rasa:
        # Frozen first, so this question leaves the page but gets no answer before the crash.
        os.killpg(rasa.pid, signal.SIGSTOP)
        field.fill(unanswered)
        field.press("Enter")
        expect(c.log.locator(".typing")).to_be_visible()
        os.killpg(rasa.pid, signal.SIGKILL)
        rasa.wait(timeout=30)

        expect(status).to_have_text(NOTICE)
        expect(status).to_have_class(re.compile(r"\bchat-status-notice\b"))
        assert live_region_of(page, NOTICE)["live"] == "polite"
        assert_accessible(page, "the chat page with the reconnect notice")
        field.fill(typed)
        field.press("Enter")
        expect(c.log.locator(".msg-user .msg-text").last).to_have_text(typed)
        expect(status).to_have_text(NOTICE)  # still waiting: nothing to answer it yet
        page.screenshot(path=str(artifacts / "chat-reconnecting.png"))

    expect(status).to_have_text(SENT, timeout=RESTART_TIMEOUT_MS)
    expect(status).not_to_have_class(re.compile(r"\bchat-status-notice\b"))
    for keyword in ("telewerk", "werkbaarheidscheque"):
        answer = c.log.locator(".msg-bot", has_text=re.compile(keyword, re.IGNORECASE))
        expect(answer).not_to_have_count(0, timeout=ANSWER_TIMEOUT_MS)
    # Each question reached the restarted bot once, in the order the person sent them.
    wait_until(lambda: user_texts(stack, session)[-2:] == [unanswered, typed], 30, "both questions stored")
    texts = user_texts(stack, session)
    assert texts.count(unanswered) == 1 and texts.count(typed) == 1, texts
