"""bot.privacy.check_message / clean: what an input channel does with one user message."""
from __future__ import annotations

import pytest

from bot.privacy import (DEFAULT_MAX_MESSAGE_CHARS, EMPTY, NOT_TEXT, TOO_LONG, check_message, clean,
                         max_message_chars, redact_optional, stored_text)


@pytest.mark.parametrize("message", [None, "", " ", "\n\t ", "\u00a0\u2003", "\x00\x01\x7f", "\u2028"])
def test_empty_messages_are_refused_politely(message):
    assert check_message(message).refusal == EMPTY


@pytest.mark.parametrize("message", [5, 1.5, ["hoi"], {"text": "hoi"}, b"hoi", True])
def test_things_that_are_not_text_are_refused(message):
    assert check_message(message).refusal == NOT_TEXT


def test_the_limit_counts_characters_after_cleaning(monkeypatch):
    monkeypatch.delenv("BOT_MAX_MESSAGE_CHARS", raising=False)
    assert max_message_chars() == DEFAULT_MAX_MESSAGE_CHARS == 1000
    assert check_message("a" * 1000).text == "a" * 1000
    assert check_message("😀" * 1000).accepted
    assert check_message("  " + "a" * 1000 + "  ").accepted
    assert check_message("a" * 1001).refusal == "Je bericht is te lang. Stel je vraag in maximaal 1000 tekens."
    assert check_message("a" * 100_000).refusal == TOO_LONG.format(limit=1000)


@pytest.mark.parametrize("value, limit", [("50", 50), (" 2000 ", 2000), ("nul", 1000), ("-3", 1000), ("", 1000)])
def test_the_limit_comes_from_the_environment(monkeypatch, value, limit):
    monkeypatch.setenv("BOT_MAX_MESSAGE_CHARS", value)
    assert max_message_chars() == limit
    assert check_message("a" * limit).accepted
    assert check_message("a" * (limit + 1)).refusal == TOO_LONG.format(limit=limit)


def test_accepted_text_is_cleaned_stripped_and_redacted():
    assert check_message("  bel 0471 23 45 67\n").text == "bel [telefoon]"
    assert check_message("a\x00b\x1fc").text == "a b c"
    assert check_message("caf\u0065\u0301").text == "caf\u00e9"  # NFC
    assert check_message("lone \ud800 surrogate").text == "lone \ufffd surrogate"
    assert check_message("tab\tand\nnewline").text == "tab\tand\nnewline"
    assert stored_text("   ") is None and stored_text("Wat is telewerk?") == "Wat is telewerk?"


def test_clean_keeps_ordinary_text():
    text = "Wat is het Vlaams opleidingsverlof? 😀 <b>é</b> 'x' \"y\" & 100%"
    assert clean(text) == text


def test_redact_optional_for_feedback_comments():
    assert redact_optional(None) is None
    assert redact_optional("mail me: an@x.be") == "mail me: [e-mail]"
