"""Playwright (sync API) on Debian's chromium, against the real stack from tests/conftest.py.

Never downloads a browser: it drives /usr/bin/chromium (apt-get install chromium).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.servers import REPO

CHROMIUM = Path(os.environ.get("BOT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = REPO / "var" / "test-artifacts"
ANSWER_TIMEOUT_MS = 30_000


# Module scope, not session: Playwright's sync API keeps an event loop marked as running in
# the main thread while it is open, which breaks asyncio.run() in every later test module.
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get update && apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class PageProblems(list):
    """Script errors, CSP violations and failed local requests seen by one page."""


def _watch(page, problems: PageProblems) -> None:
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def on_console(message):
        if message.type == "error" and re.search(r"Content Security Policy|Refused to", message.text):
            problems.append(f"console: {message.text}")

    page.on("console", on_console)


@pytest.fixture
def new_page(browser, stack):
    """`new_page(width=1280, height=900, bypass_csp=False)`: a page in a fresh context (own
    sessionStorage, cookies). bypass_csp lets a test inject a script of its own (axe-core).

    The test fails afterwards if any page had a script error or a CSP violation.
    """
    contexts, problems = [], PageProblems()

    def make(width: int = 1280, height: int = 900, bypass_csp: bool = False):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-BE",
                                      base_url=stack.web_url, bypass_csp=bypass_csp)
        context.set_default_timeout(ANSWER_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        _watch(page, problems)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


class Chat:
    """The chat page as a visitor uses it."""

    def __init__(self, page):
        self.page = page
        self.log = page.locator("#chat-log")

    def open(self) -> "Chat":
        self.page.goto("/")
        # The page sends /greet itself; the welcome message brings the "Help me kiezen" button.
        self.page.get_by_role("button", name="Help me kiezen").first.wait_for()
        return self

    def bot_count(self) -> int:
        return self.log.locator(".msg-bot").count()

    def wait_for_bot(self, before: int) -> None:
        """Until a bot message after the first `before` ones is shown and the bot stops typing."""
        # Locator waits, not wait_for_function: the page's CSP forbids the eval that needs.
        self.log.locator(".msg-bot").nth(before).wait_for()
        self.log.locator(".typing").wait_for(state="detached")

    def ask(self, text: str) -> None:
        before = self.bot_count()
        self.page.get_by_label("Je vraag").fill(text)
        self.page.get_by_role("button", name="Verstuur").click()
        self.wait_for_bot(before)

    def click_reply(self, name: str) -> None:
        before = self.bot_count()
        self.log.locator(".quick-replies").last.get_by_role("button", name=name, exact=True).click()
        self.wait_for_bot(before)

    def last_bot_text(self) -> str:
        return self.log.locator(".msg-bot .msg-text").last.inner_text()


@pytest.fixture
def chat(new_page):
    """`chat(width=..., height=...)` -> an opened Chat on a fresh page."""
    return lambda **size: Chat(new_page(**size)).open()
