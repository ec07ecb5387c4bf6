"""In-memory alias matcher: finds measures/instruments named in a free-text message.

Built from queries.all_aliases() rows, so a runtime component can keep one and rebuild it
when queries.catalogue_version() changes. Robust to case, accents, punctuation, simple Dutch
plurals (see text.stem), words written together or apart ("kmo portefeuille" /
"kmoportefeuille") and small typos (Damerau-Levenshtein, only for keys of >= 5 characters).
Overlapping candidates: the longest span wins; results are ranked by score.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from bot.catalogue.text import Token, match_key, osa_distance, stem, tokens, typo_limit

MAX_TEXT = 1000  # characters of a message looked at


@dataclass(frozen=True)
class Match:
    kind: str  # "measure" | "instrument"
    id: str
    measure_id: str
    alias: str  # the normalised alias that matched
    score: float  # 1.0 exact; < 1.0 typo match
    start: int = 0  # character span in the original text
    end: int = 0


@dataclass(frozen=True)
class _Alias:
    normalized: str
    kind: str
    id: str
    measure_id: str
    key: str
    size: int  # number of tokens
    keys: tuple[str, ...]  # key variants compared for typos (with and without cheque -> check)


def _plain_key(normalized: str) -> str:
    return "".join(stem(t, canonical=False) for t in normalized.split())


class AliasMatcher:
    def __init__(self, rows: Iterable[tuple[str, str, str, str]]):
        """rows: (normalized_alias, kind, id, measure_id), as returned by all_aliases()."""
        self.by_key: dict[str, list[_Alias]] = {}
        self.fuzzy: list[_Alias] = []
        for normalized, kind, id_, measure_id in rows:
            key = match_key(normalized)
            if not key:
                continue
            keys = tuple(dict.fromkeys((key, _plain_key(normalized))))
            alias = _Alias(normalized, kind, id_, measure_id, key, len(normalized.split()), keys)
            self.by_key.setdefault(key, []).append(alias)
            if typo_limit(key) > 0:
                self.fuzzy.append(alias)
        self.max_size = max((a.size for group in self.by_key.values() for a in group), default=0) + 1

    def _fuzzy(self, keys: tuple[str, ...], size: int) -> Optional[tuple[_Alias, float]]:
        """Best alias within typo distance of one of the window's key variants."""
        best: Optional[tuple[_Alias, float]] = None
        for alias in self.fuzzy:
            if size != 1 and alias.size != size:
                continue
            for key in keys:
                for target in alias.keys:
                    limit = min(typo_limit(target), typo_limit(key))
                    if limit == 0 or abs(len(target) - len(key)) > limit or target[0] != key[0]:
                        continue
                    dist = osa_distance(key, target, limit)
                    if dist <= limit:
                        score = round(1.0 - dist / max(len(key), len(target)), 3)
                        if best is None or score > best[1]:
                            best = (alias, score)
        return best

    def find(self, text: str, limit: int = 5) -> list[Match]:
        toks: list[Token] = tokens((text or "")[:MAX_TEXT])
        stems = [stem(t.norm) for t in toks]
        plain = [stem(t.norm, canonical=False) for t in toks]
        candidates = []  # (char length, score, start index, end index, alias)
        for size in range(min(self.max_size, len(toks)), 0, -1):
            for i in range(len(toks) - size + 1):
                key = "".join(stems[i : i + size])
                group = self.by_key.get(key)
                score = 1.0
                alias = None
                if group:
                    # same key: prefer the alias written exactly like the window
                    written = " ".join(t.norm for t in toks[i : i + size])
                    alias = next((a for a in group if a.normalized == written), group[0])
                else:
                    variants = tuple(dict.fromkeys((key, "".join(plain[i : i + size]))))
                    found = self._fuzzy(variants, size)
                    if found is None:
                        continue
                    alias, score = found
                span = toks[i + size - 1].end - toks[i].start
                candidates.append((span, score, i, i + size, alias))
        candidates.sort(key=lambda c: (-c[0], -c[1], c[2]))
        taken: set[int] = set()
        chosen = []
        for span, score, i, j, alias in candidates:
            if taken.intersection(range(i, j)):
                continue
            taken.update(range(i, j))
            chosen.append((score, span, i, j, alias))
        chosen.sort(key=lambda c: (-c[0], -c[1], c[2]))
        out: list[Match] = []
        seen: set[tuple[str, str]] = set()
        for score, _span, i, j, alias in chosen:
            if (alias.kind, alias.id) in seen:
                continue
            seen.add((alias.kind, alias.id))
            out.append(
                Match(alias.kind, alias.id, alias.measure_id, alias.normalized, score,
                      toks[i].start, toks[j - 1].end)
            )
        return out[: max(0, limit)]
