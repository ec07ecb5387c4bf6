"""Personal data in what people type: cleaned and redacted before the bot stores or logs it.

redact(text)            replaces rijksregisternummers, e-mail addresses, phone numbers and IBANs
                        with [rijksregisternummer], [e-mail], [telefoon], [iban]
clean(text)             removes control characters and invalid code points (lone surrogates,
                        NUL) that a database cannot store
check_message(text)     what an input channel does with one user message: a refusal in Dutch
                        (empty, too long, not text) or the cleaned, redacted text for the agent
max_message_chars()     BOT_MAX_MESSAGE_CHARS (default 1000)

Only text that people type is redacted; the bot's own answers (with VDAB's 0800 30 700) are not.
Years (2023), amounts (1.000 euro, 190.000.000) and dates (01/07/2023) are left alone.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

RIJKSREGISTERNUMMER = "[rijksregisternummer]"
EMAIL = "[e-mail]"
PHONE = "[telefoon]"
IBAN = "[iban]"

DEFAULT_MAX_MESSAGE_CHARS = 1000
TOO_LONG = "Je bericht is te lang. Stel je vraag in maximaal {limit} tekens."
EMPTY = "Je bericht is leeg. Stel gerust je vraag."
NOT_TEXT = "Ik kan alleen tekst lezen. Stel je vraag in een gewone zin."

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]*\w@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])"
)
# Belgian IBAN: BE + 2 check digits + 12 digits, in groups of four or not; any case.
_IBAN_BE_RE = re.compile(r"(?<![\w])(?i:be)\d{2}(?:[ .-]?\d{4}){3}(?![\w])")
# Other IBANs: country code + check digits + 11..30 upper-case letters/digits in groups of four.
_IBAN_RE = re.compile(
    r"(?<![\w])(?i:[a-z]{2})\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![\w])"
)
_NUMBER_RE = re.compile(r"\+?\d+")
# What may stand between the digit groups of one number: "0471 23 45 67", "0471/23.45.67",
# "+32 (0)471 ...", "85.07.30-033.28".
_SEPARATOR_RE = re.compile(r"^(?: ?[./-] ?| ?\( ?| ?\) ?| ?\)[./-] ?| )$")
_DATE_RE = re.compile(r"^(0?[1-9]|[12]\d|3[01])[./-](0?[1-9]|1[0-2])[./-](\d{2}|\d{4})")
# Digit groupings of a written rijksregisternummer: 85073003328, 85.07.30-033.28, 850730 033 28
_RRN_GROUPS = {(11,), (2, 2, 2, 3, 2), (6, 3, 2), (6, 5), (2, 2, 2, 5)}
_MAX_GROUPS = 7
# C0/C1 control characters except tab, newline and carriage return; lone surrogates.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


def clean(text: str) -> str:
    """Text any database can store: NFC, without control characters or lone surrogates."""
    text = _SURROGATE_RE.sub("\ufffd", text)
    text = _CONTROL_RE.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def _iban_be(match: re.Match) -> str:
    return IBAN


def _iban(match: re.Match) -> str:
    compact = re.sub(r"[ ]", "", match.group(0))
    return IBAN if 15 <= len(compact) <= 34 else match.group(0)


def _classify(tokens: List[Tuple[str, int, int]], text: str) -> Optional[str]:
    """The placeholder for these consecutive digit groups, or None when they are no personal number."""
    groups = [t[0].lstrip("+") for t in tokens]
    digits = "".join(groups)
    plus = tokens[0][0].startswith("+")
    if not plus and tuple(len(g) for g in groups) in _RRN_GROUPS and len(digits) == 11:
        return RIJKSREGISTERNUMMER
    international = plus or digits.startswith("00")
    if international:
        local = digits[2:] if digits.startswith("00") else digits
        return PHONE if 8 <= len(local) <= 15 else None
    if digits.startswith("0") and len(digits) in (9, 10):
        span = text[tokens[0][1]:tokens[-1][2]]
        if _DATE_RE.match(span):  # 01/07/2023 10 ...
            return None
        return PHONE
    return None


def _redact_numbers(text: str) -> str:
    tokens = [(m.group(0), m.start(), m.end()) for m in _NUMBER_RE.finditer(text)]
    if not tokens:
        return text
    out: List[str] = []
    position = 0
    i = 0
    while i < len(tokens):
        start = tokens[i][1]
        before = text[start - 1] if start > 0 else ""
        if before.isalnum() or before == "_":
            i += 1
            continue
        best: Optional[Tuple[int, str]] = None
        j = i
        while j < len(tokens) and j - i < _MAX_GROUPS:
            if j > i and not _SEPARATOR_RE.match(text[tokens[j - 1][2]:tokens[j][1]]):
                break
            if j > i and tokens[j][0].startswith("+"):
                break
            end = tokens[j][2]
            after = text[end] if end < len(text) else ""
            if not (after.isalnum() or after == "_"):
                label = _classify(tokens[i:j + 1], text)
                if label:
                    best = (j, label)
            j += 1
        if best is None:
            i += 1
            continue
        j, label = best
        end = tokens[j][2]
        # "(09) 123 45 67": the opening bracket belongs to the number.
        if before == "(" and ")" in text[start:end]:
            start -= 1
        out.append(text[position:start])
        out.append(label)
        position = end
        i = j + 1
    out.append(text[position:])
    return "".join(out)


def redact(text: str) -> str:
    """The text with rijksregisternummers, e-mail addresses, phone numbers and IBANs replaced."""
    if not text:
        return text
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _IBAN_BE_RE.sub(_iban_be, text)
    text = _IBAN_RE.sub(_iban, text)
    return _redact_numbers(text)


def redact_optional(text: Optional[str]) -> Optional[str]:
    """redact() for optional fields (feedback comments): None stays None."""
    return None if text is None else redact(text)


def max_message_chars() -> int:
    """BOT_MAX_MESSAGE_CHARS, default 1000; an unreadable value falls back to the default."""
    value = os.environ.get("BOT_MAX_MESSAGE_CHARS", "").strip()
    try:
        limit = int(value)
    except ValueError:
        return DEFAULT_MAX_MESSAGE_CHARS
    return limit if limit > 0 else DEFAULT_MAX_MESSAGE_CHARS


@dataclass(frozen=True)
class CheckedMessage:
    """Either `text` (cleaned and redacted, for the agent) or `refusal` (a Dutch reply)."""

    text: Optional[str] = None
    refusal: Optional[str] = None

    @property
    def accepted(self) -> bool:
        return self.refusal is None


def check_message(message: Any, limit: Optional[int] = None) -> CheckedMessage:
    """What to do with one user message before it reaches the agent (and the tracker store)."""
    if message is None:
        message = ""
    if not isinstance(message, str):
        return CheckedMessage(refusal=NOT_TEXT)
    limit = limit or max_message_chars()
    if len(message) > 4 * limit:  # do not even clean very long texts
        return CheckedMessage(refusal=TOO_LONG.format(limit=limit))
    text = clean(message).strip()
    if not text:
        return CheckedMessage(refusal=EMPTY)
    if len(text) > limit:
        return CheckedMessage(refusal=TOO_LONG.format(limit=limit))
    return CheckedMessage(text=redact(text).strip())


def stored_text(message: Any, limit: Optional[int] = None) -> Optional[str]:
    """The text the tracker store will hold for this message; None when it is refused."""
    return check_message(message, limit).text
