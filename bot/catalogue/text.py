"""Text normalisation shared by the loader, the queries and the NLU matcher.

normalize()   lowercase, accents stripped, apostrophes dropped, other punctuation -> space,
              whitespace collapsed ("Kmo-portefeuille's" -> "kmo portefeuilles").
stem()        tiny Dutch plural/inflection stripper (-en, -s, -'s, final -e, cheque -> check,
              werklozen -> werklos, loopbanen -> loopban).
match_key()   the key two aliases/phrases share when they name the same thing: stems joined
              without spaces, so "kmo-portefeuille", "kmo portefeuilles" and "kmoportefeuille"
              all give "kmoportefeuill".
"""
from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

_APOSTROPHES = "'\u2019\u2018`\u00b4"
_WORD_RE = re.compile(r"[^\W_]+(?:[" + _APOSTROPHES + r"][^\W_]+)*")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")


class Token(NamedTuple):
    norm: str  # normalised token (ascii lowercase alnum)
    start: int  # character offsets in the original text
    end: int


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _norm_word(word: str) -> str:
    word = strip_accents(word.lower())
    for ch in _APOSTROPHES:
        word = word.replace(ch, "")
    return _NON_ALNUM_RE.sub("", word)


def tokens(text: str) -> list[Token]:
    """Word tokens of `text` with their offsets; hyphens and other punctuation split words."""
    out = []
    for m in _WORD_RE.finditer(text or ""):
        norm = _norm_word(m.group(0))
        if norm:
            out.append(Token(norm, m.start(), m.end()))
    return out


def normalize(text: str) -> str:
    """Normalised form stored with every alias."""
    return " ".join(t.norm for t in tokens(text))


_DOUBLE_VOWEL_RE = re.compile(r"(aa|ee|oo|uu)([^aeiou]+)$")


def stem(token: str, canonical: bool = True) -> str:
    """Strip simple Dutch plural/inflection endings from a normalised token.

    -en (opleidingen, bonussen), -s / -'s (werkgevers, cheques, kmo's), then a final -e
    (zelfstandige). canonical=True (alias matching) also maps "cheque" to "check", z/v before
    a stripped -en to s/f and a doubled vowel in the last syllable to a single one, so that
    werkloos/werklozen and loopbaan/loopbanen meet. canonical=False keeps the stem a prefix
    of the word (full-text prefix queries).
    """
    t = token.replace("cheque", "check") if canonical else token
    if len(t) > 4 and t.endswith("en"):
        t = t[:-2]
        if len(t) > 2 and t[-1] == t[-2] and t[-1] not in "aeiou":  # bonussen -> bonus
            t = t[:-1]
        elif canonical and t[-1] in "zv":  # werklozen -> werklos, brieven -> brief
            t = t[:-1] + ("s" if t[-1] == "z" else "f")
    elif len(t) > 3 and t.endswith("s") and t[-2] not in "siu" and t[-2] != t[-3]:
        t = t[:-1]  # werkgevers, cheques, kmo's (not: status, thuis, werkloos)
    if len(t) > 4 and t.endswith("e") and not t.endswith("ee"):  # zelfstandige -> zelfstandig
        t = t[:-1]
    if canonical:
        t = _DOUBLE_VOWEL_RE.sub(lambda m: m.group(1)[0] + m.group(2), t)
    return t


# Function words that say nothing about what a message is about. Question words, negations and
# "nog" are not here: "hoeveel", "wie", "wanneer", "niet", "geen", "nog" tell questions apart.
STOPWORDS = frozenset(
    """aan al als ben bij dan dat de deze die dit doe doen door een en er eens eigenlijk gewoon
    had heb hebben heeft het hier hij hun ik in is je jij jou jouw just maar me mij mijn met
    na naar nu of om ons onze op over te toch u uw van was we wel wij ze zich zijn zo zou
    dus even graag alstublieft aub""".split()
)
MESSAGE_KEY_MAX = 300


def message_key(text: str) -> str:
    """The words of a message that matter, stemmed, once each and sorted: near-identical
    messages ("Wat is de werkbaarheidscheque?", "wat is die werkbaarheidscheque") share it."""
    words = {stem(t.norm) for t in tokens(text or "") if t.norm not in STOPWORDS}
    return " ".join(sorted(words))[:MESSAGE_KEY_MAX]


def match_key(normalized: str) -> str:
    """Key of a normalised phrase: stems joined without spaces."""
    return "".join(stem(t) for t in normalized.split())


def typo_limit(key: str) -> int:
    """Edits allowed for a fuzzy match of `key`: none below 5 characters."""
    if len(key) < 5:
        return 0
    return 1 if len(key) < 9 else 2
