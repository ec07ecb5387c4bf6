"""Read-only catalogue queries used by the actions and the NLU component.

All functions take an SQLAlchemy Session (see bot.catalogue.db.session_scope) and work the
same on SQLite and PostgreSQL.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Dict, Optional, Tuple, Union
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.catalogue.constants import OFFICIAL_HOSTS
from bot.catalogue.models import Alias, Answer, AnswerItem, CatalogueMeta, Instrument, Measure

__all__ = [
    "Outline",
    "outline",
    "get_measure",
    "get_instrument",
    "list_measures",
    "all_aliases",
    "answer_items",
    "items_by_id",
    "catalogue_version",
]

Entry = Union[Measure, Instrument]


def entry_options(entity):
    return (
        selectinload(entity.answers).selectinload(Answer.sources),
        selectinload(entity.aliases),
        selectinload(entity.target_group_links),
        selectinload(entity.theme_links),
    )


def get_measure(session: Session, measure_id: str) -> Optional[Measure]:
    return _per_version(session, ("measure", measure_id), lambda own: own.execute(
        select(Measure).where(Measure.id == measure_id).options(
            *entry_options(Measure),
            selectinload(Measure.instruments).selectinload(Instrument.target_group_links),
            selectinload(Measure.instruments).selectinload(Instrument.theme_links),
        )
    ).scalar_one_or_none())


def get_instrument(session: Session, instrument_id: str) -> Optional[Instrument]:
    return _per_version(session, ("instrument", instrument_id), lambda own: own.execute(
        select(Instrument).where(Instrument.id == instrument_id).options(
            *entry_options(Instrument), selectinload(Instrument.measure)
        )
    ).scalar_one_or_none())


def list_measures(session: Session) -> list[Measure]:
    """All measures in the fixed display order, with instruments and answers loaded."""
    return list(
        session.execute(
            select(Measure).order_by(Measure.position).options(
                *entry_options(Measure),
                selectinload(Measure.instruments).selectinload(Instrument.answers).selectinload(Answer.sources),
                selectinload(Measure.instruments).selectinload(Instrument.aliases),
                selectinload(Measure.instruments).selectinload(Instrument.target_group_links),
                selectinload(Measure.instruments).selectinload(Instrument.theme_links),
                selectinload(Measure.instruments).selectinload(Instrument.measure),
            )
        ).scalars()
    )


@dataclass(frozen=True)
class Outline:
    """What every message needs to know about the catalogue, without loading its texts."""

    titles: dict  # measure id -> title, in catalogue order
    umbrella_ids: frozenset  # the agreement itself (no priority)
    instrument_measures: dict  # instrument id -> measure id


def outline(session: Session) -> Outline:
    return _per_version(session, ("outline",), _read_outline)


def _read_outline(session: Session) -> Outline:
    measures = session.execute(select(Measure.id, Measure.title, Measure.priority).order_by(Measure.position)).all()
    instruments = session.execute(select(Instrument.id, Instrument.measure_id)).all()
    return Outline(
        {m.id: m.title for m in measures},
        frozenset(m.id for m in measures if m.priority is None),
        {i.id: i.measure_id for i in instruments},
    )


# ---------------------------------------------------------------------------- aliases
def all_aliases(session: Session) -> list[tuple[str, str, str, str]]:
    """(normalized_alias, kind, id, measure_id) for every alias; kind is measure|instrument."""
    rows = session.execute(
        select(Alias.normalized, Alias.measure_id, Alias.instrument_id).order_by(Alias.id)
    ).all()
    return [
        (r.normalized, "instrument" if r.instrument_id else "measure", r.instrument_id or r.measure_id, r.measure_id)
        for r in rows
    ]


def catalogue_version(session: Session) -> str:
    """Checksum of the loaded catalogue files ("" when nothing is loaded)."""
    value = session.execute(select(CatalogueMeta.checksum).where(CatalogueMeta.id == 1)).scalar_one_or_none()
    return value or ""


# ---------------------------------------------------------------------------- per version
# The catalogue changes only by a load, which changes its checksum. Entries, the outline and the
# answer items are therefore kept per database and catalogue version, and every message reads
# the same ones: loading an entry through the ORM on every message was most of the action
# server's time per message.
_snapshots: dict = {}  # database URL -> (catalogue version, {key: value})
_snapshots_lock = threading.Lock()


def _per_version(session: Session, key: tuple, build):
    """`build(own_session)` once per database and catalogue version. It runs in a session of its
    own that leaves what it loaded readable after it closes; a None result is not kept (any id
    can be asked for)."""
    version = catalogue_version(session)
    database = str(session.get_bind().url)
    with _snapshots_lock:
        held = _snapshots.get(database)
        if version and held and held[0] == version and key in held[1]:
            return held[1][key]
    with Session(session.get_bind(), expire_on_commit=False, future=True) as own:
        value = build(own)
    if version and value is not None:
        with _snapshots_lock:
            held = _snapshots.get(database)
            if not held or held[0] != version:
                held = _snapshots[database] = (version, {})
            held[1][key] = value
    return value


# ---------------------------------------------------------------------------- answer items
@dataclass(frozen=True)
class SourceRef:
    id: str
    url: str
    title: str
    published: Optional[str]  # YYYY, YYYY-MM, YYYY-MM-DD or None (no date on the page)

    @property
    def official(self) -> bool:
        host = urlsplit(self.url).hostname or ""
        return any(host == h or host.endswith("." + h) for h in OFFICIAL_HOSTS)


@dataclass(frozen=True)
class ItemRecord:
    """An answer item as the ranker and the replies use it, detached from any session."""

    id: str
    measure_id: str
    instrument_id: Optional[str]
    aspect: str
    label: str
    answer: str
    questions: Tuple[str, ...]
    sources: Tuple[SourceRef, ...]
    since: Optional[str] = None
    until: Optional[str] = None


def answer_items(session: Session) -> Tuple[ItemRecord, ...]:
    """Every answer item in catalogue order (measure, then its instruments)."""
    return _per_version(session, ("items",), _read_items)


def items_by_id(session: Session) -> Dict[str, ItemRecord]:
    return _per_version(session, ("items_by_id",), lambda own: {i.id: i for i in answer_items(own)})


def _read_items(session: Session) -> Tuple[ItemRecord, ...]:
    positions = dict(session.execute(select(Measure.id, Measure.position)).all())
    instrument_positions = dict(session.execute(select(Instrument.id, Instrument.position)).all())
    rows = session.execute(
        select(AnswerItem).options(selectinload(AnswerItem.questions), selectinload(AnswerItem.sources))
    ).scalars()
    items = [
        ItemRecord(
            row.id, row.measure_id, row.instrument_id, row.aspect, row.label, row.answer,
            tuple(q.text for q in row.questions),
            tuple(SourceRef(s.id, s.url, s.title, s.published) for s in row.sources),
            row.since, row.until,
        )
        for row in rows
    ]

    def order(item: ItemRecord):
        own = -1 if item.instrument_id is None else instrument_positions.get(item.instrument_id, 0)
        return positions.get(item.measure_id, 0), own

    return tuple(sorted(items, key=order))  # sorted() is stable: file order within an entry
