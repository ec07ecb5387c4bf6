"""Rank the catalogue's measures and instruments for a person's situation."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Union

from sqlalchemy.orm import Session

from bot.catalogue import queries
from bot.catalogue.models import Instrument, Measure

Entry = Union[Measure, Instrument]

# A concrete scheme is something a person can apply for; it beats the measure around it.
INSTRUMENT_BONUS = 0.25
ANNOUNCED_PENALTY = 1.0


@dataclass(frozen=True)
class Recommendation:
    entry: Entry
    score: float

    @property
    def measure_id(self) -> str:
        return self.entry.measure_id


def _score(entry: Entry, group: Optional[str], themes: Sequence[str]) -> float:
    """Group fit plus theme fit; zero when either is asked for and missing.

    A catalogue entry lists its target groups main audience first, so a measure made for
    temporarily unemployed people beats one that also serves them.
    """
    score = 0.0
    if group:
        groups = list(entry.target_groups)
        if group not in groups:
            return 0.0
        score += 2.0 + 1.5 / (1 + groups.index(group))
    if themes:
        # The interest's first theme is what the person asked for; later ones are related.
        overlap = sum(2.0 if i == 0 else 0.5 for i, t in enumerate(themes) if t in entry.themes)
        if not overlap:
            return 0.0
        score += overlap
    if isinstance(entry, Instrument):
        score += INSTRUMENT_BONUS
    if entry.status_state == "announced":
        score -= ANNOUNCED_PENALTY
    return score


def _entries(session: Session) -> Iterable[Entry]:
    for measure in queries.list_measures(session):
        # The agreement itself (no priority) is nothing a person can use.
        if measure.priority is not None:
            yield measure
        yield from measure.instruments


def _current(session: Session, entry: Entry, seen: set) -> Optional[Entry]:
    """The entry itself, or for an abolished one the successor that replaced it."""
    while entry is not None and entry.status_state == "abolished":
        successor = entry.status_successor
        if not successor or successor in seen:
            return None
        seen.add(successor)
        entry = queries.get_instrument(session, successor) or queries.get_measure(session, successor)
    return entry


def recommend(
    session: Session, group: Optional[str], themes: Sequence[str], limit: int = 3
) -> List[Recommendation]:
    """The best `limit` current entries, at most one per measure, best first."""
    best: Dict[str, Recommendation] = {}
    for entry in _entries(session):
        score = _score(entry, group, themes)
        if score <= 0:
            continue
        current = _current(session, entry, {entry.id})
        if current is None:
            continue
        if current is not entry:
            score = max(score, _score(current, group, themes))
        key = current.measure_id
        if key not in best or best[key].score < score:
            best[key] = Recommendation(current, score)
    ranked = sorted(best.values(), key=lambda r: (-r.score, r.entry.measure.position
                    if isinstance(r.entry, Instrument) else r.entry.position))
    return ranked[:limit]
