"""Read a mistyped word as the known word it was meant to be ("opleidingsceques" ->
"opleidingscheques"), at a bounded cost whatever the message.

Only words that are not Dutch words in their own right are fixed ("meewerken" is no typo of
"telewerken"), only within a small edit distance that grows with the word's length, and only
the first MAX_WORDS unknown words of a message: a message of a thousand random words costs
no more than a few typos. Answers are kept in a bounded cache, so hostile traffic cannot grow
the server's memory.
"""
from __future__ import annotations

from functools import lru_cache
from typing import AbstractSet, Dict, Iterable, List, Optional, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.catalogue.text import typo_limit

MAX_WORDS = 8  # unknown words of one message that are looked up
CACHE_SIZE = 4096  # words remembered (the answer for each)


class TypoFixer:
    def __init__(self, known: Iterable[str], dictionary: AbstractSet[str]) -> None:
        # Short known words are never targets: "lukt" is no typo of "luik".
        self._targets: List[str] = sorted({w for w in known if typo_limit(w)})
        self._known = frozenset(known)
        self._dictionary = dictionary
        self._closest = lru_cache(maxsize=CACHE_SIZE)(self._closest_uncached)

    def _closest_uncached(self, word: str) -> Optional[str]:
        limit = typo_limit(word)
        if not limit or word in self._dictionary or not self._targets:
            return None
        for target, distance, _ in process.extract(word, self._targets, scorer=OSA.distance,
                                                   score_cutoff=limit, limit=3):
            if distance <= typo_limit(target):
                return target
        return None

    def fix(self, words: Sequence[str]) -> List[str]:
        """`words` with the first MAX_WORDS unknown ones replaced by the known word they stand
        for, when there is one."""
        out: List[str] = []
        looked_up = 0
        for word in words:
            if word in self._known or looked_up >= MAX_WORDS:
                out.append(word)
                continue
            looked_up += 1
            out.append(self._closest(word) or word)
        return out

    def cache_info(self) -> Dict[str, int]:
        info = self._closest.cache_info()
        return {"size": info.currsize, "max": info.maxsize}
