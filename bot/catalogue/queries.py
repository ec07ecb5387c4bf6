"""Read-only catalogue queries used by the actions and the NLU component.

All functions take an SQLAlchemy Session (see bot.catalogue.db.session_scope) and work the
same on SQLite and PostgreSQL.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Optional, Union

from sqlalchemy import select, text as sql_text
from sqlalchemy.orm import Session, selectinload

from bot.catalogue.constants import STATE_RANK, TARGET_GROUPS, THEMES
from bot.catalogue.models import (
    Alias,
    Answer,
    CatalogueMeta,
    Instrument,
    InstrumentTargetGroup,
    InstrumentTheme,
    Measure,
    MeasureTargetGroup,
    MeasureTheme,
)
from bot.catalogue.text import stem, strip_accents, tokens

__all__ = [
    "Match",
    "Outline",
    "outline",
    "SearchHit",
    "get_measure",
    "get_instrument",
    "list_measures",
    "find_by_words",
    "by_target_group_and_theme",
    "search",
    "all_aliases",
    "catalogue_version",
]

Entry = Union[Measure, Instrument]


@dataclass(frozen=True)
class Match:
    kind: str  # "measure" | "instrument"
    id: str
    measure_id: str
    alias: str  # the alias that matched
    score: float  # 1.0 exact; < 1.0 after a typo fix
    start: int = 0  # character span in the original text
    end: int = 0


@dataclass(frozen=True)
class SearchHit:
    measure_id: str
    instrument_id: Optional[str]
    aspect: str
    snippet: str
    rank: float  # higher is better; comparable within one result list only


def _entry_options(entity):
    return (
        selectinload(entity.answers).selectinload(Answer.sources),
        selectinload(entity.aliases),
        selectinload(entity.target_group_links),
        selectinload(entity.theme_links),
    )


def get_measure(session: Session, measure_id: str) -> Optional[Measure]:
    return _per_version(session, ("measure", measure_id), lambda own: own.execute(
        select(Measure).where(Measure.id == measure_id).options(
            *_entry_options(Measure),
            selectinload(Measure.instruments).selectinload(Instrument.target_group_links),
            selectinload(Measure.instruments).selectinload(Instrument.theme_links),
        )
    ).scalar_one_or_none())


def get_instrument(session: Session, instrument_id: str) -> Optional[Instrument]:
    return _per_version(session, ("instrument", instrument_id), lambda own: own.execute(
        select(Instrument).where(Instrument.id == instrument_id).options(
            *_entry_options(Instrument), selectinload(Instrument.measure)
        )
    ).scalar_one_or_none())


def list_measures(session: Session) -> list[Measure]:
    """All measures in the fixed display order, with instruments and answers loaded."""
    return list(
        session.execute(
            select(Measure).order_by(Measure.position).options(
                *_entry_options(Measure),
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
# alias index are therefore kept per database and catalogue version, and every message reads the same ones:
# SQLAlchemy took 13 ms to load one entry with its answers, sources and links, most of the
# action server's time per message.
_snapshots: dict = {}  # database URL -> (catalogue version, {key: value})
_snapshots_lock = threading.Lock()
MAX_TEXT = 1000  # characters of a message looked at


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


def _alias_index(session: Session):
    from bot.nlu.phrase_matcher import Phrase, PhraseIndex

    return _per_version(session, ("aliases",), lambda own: PhraseIndex(
        Phrase(alias, kind, entry_id, measure_id) for alias, kind, entry_id, measure_id in all_aliases(own)))


def find_by_words(session: Session, text: str, limit: int = 5) -> list[Match]:
    """Measures/instruments named in `text` via their aliases: exact matches first, then in
    the order they appear, each entry once."""
    found = _alias_index(session).match((text or "")[:MAX_TEXT])
    matches: dict[str, Match] = {}
    for item in found:
        phrase = item.phrase
        if phrase.value not in matches:
            matches[phrase.value] = Match(phrase.entity, phrase.value, phrase.measure_id, phrase.text,
                                          1.0 if item.exact else 0.8, item.start, item.end)
    ranked = sorted(matches.values(), key=lambda m: (-m.score, m.start))
    return ranked[:limit]


# ---------------------------------------------------------------------------- browse
def _check(value: Optional[str], allowed, what: str) -> Optional[str]:
    if value is None:
        return None
    value = value.strip().lower()
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r} (allowed: {', '.join(allowed)})")
    return value


def by_target_group_and_theme(
    session: Session, target_group: Optional[str] = None, theme: Optional[str] = None
) -> list[Entry]:
    """Measures and instruments tagged with the target group and/or theme (None = any).

    Current entries first (implemented/changed, then announced, abolished last); within a
    state in catalogue order, a measure before its instruments. Raises ValueError for a
    value outside the fixed vocabularies.
    """
    target_group = _check(target_group, TARGET_GROUPS, "target group")
    theme = _check(theme, THEMES, "theme")
    mq = select(Measure).options(*_entry_options(Measure))
    iq = select(Instrument).options(*_entry_options(Instrument), selectinload(Instrument.measure))
    if target_group:
        mq = mq.where(Measure.id.in_(select(MeasureTargetGroup.measure_id).where(MeasureTargetGroup.target_group == target_group)))
        iq = iq.where(Instrument.id.in_(select(InstrumentTargetGroup.instrument_id).where(InstrumentTargetGroup.target_group == target_group)))
    if theme:
        mq = mq.where(Measure.id.in_(select(MeasureTheme.measure_id).where(MeasureTheme.theme == theme)))
        iq = iq.where(Instrument.id.in_(select(InstrumentTheme.instrument_id).where(InstrumentTheme.theme == theme)))
    measures = list(session.execute(mq).scalars())
    instruments = list(session.execute(iq).scalars())
    positions = dict(session.execute(select(Measure.id, Measure.position)).all())

    def order(entry: Entry):
        own = -1 if isinstance(entry, Measure) else entry.position
        return (STATE_RANK.get(entry.status_state, 9), positions.get(entry.measure_id, 0), own, entry.id)

    return sorted([*measures, *instruments], key=order)


# ---------------------------------------------------------------------------- full text
STOPWORDS = frozenset(
    """aan al alle als ben bij dan dat de deze die dit doe doen door een en er ga gaat had heb hebben
    heeft het hier hij hoe hoeveel hun ik in is ja je jij jou jouw kan kun kunnen maar me meer mij
    mijn met mag moet moeten na naar nee niet nog nu of om ons onze ook op over te tot u uw van veel
    voor waar wanneer wat we wel welk welke werd wie wij wil willen word wordt zal ze zich zijn zo
    zou""".split()
)
MAX_TERMS = 12
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+")


def _terms(text: str) -> list[tuple[str, str, str]]:
    """(raw lowercase word, accent-free word, prefix stem) for the content words of `text`."""
    out, seen = [], set()
    for m in re.finditer(r"[^\W_]+", (text or "")[:1000]):
        raw = m.group(0).lower()
        plain = strip_accents(raw)
        plain = re.sub(r"[^a-z0-9]", "", plain)
        if not plain or plain in STOPWORDS or plain in seen:
            continue
        seen.add(plain)
        out.append((raw, plain, stem(plain, canonical=False)))
        if len(out) >= MAX_TERMS:
            break
    return out


def _fts5_query(terms) -> str:
    parts = []
    for _raw, plain, st in terms:
        word = st if len(st) >= 5 else plain
        phrase = '"' + word.replace('"', '""') + '"'
        parts.append(phrase + "*" if len(st) >= 5 else phrase)
    return " OR ".join(parts)


def _snippet(text: str, terms, width: int = 200) -> str:
    stems = [st if len(st) >= 5 else plain for _r, plain, st in terms]
    sentences = [s for s in _SENTENCE_RE.split(text.strip()) if s] or [text]
    chosen = sentences[0]
    for sentence in sentences:
        words = [t.norm for t in tokens(sentence)]
        if any(w.startswith(s) for w in words for s in stems):
            chosen = sentence
            break
    return chosen if len(chosen) <= width else chosen[: width - 1].rsplit(" ", 1)[0] + "…"


def search(session: Session, text: str, limit: int = 5) -> list[SearchHit]:
    """Ranked full-text search over all answers (FTS5 bm25 on SQLite, ts_rank on PostgreSQL).

    User text never reaches the query syntax: it is split into words, each word quoted
    (FTS5) or passed as a bound parameter (PostgreSQL).
    """
    terms = _terms(text)
    if not terms or limit <= 0:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        rows = session.execute(
            sql_text(
                "SELECT a.id, a.measure_id, a.instrument_id, a.aspect, a.text, -bm25(answers_fts) AS rank "
                "FROM answers_fts JOIN answers a ON a.id = answers_fts.rowid "
                "WHERE answers_fts MATCH :query ORDER BY rank DESC, a.id LIMIT :limit"
            ),
            {"query": _fts5_query(terms), "limit": limit},
        ).all()
    elif dialect == "postgresql":
        params: dict[str, object] = {"limit": limit}
        parts = []
        for i, (raw, plain, st) in enumerate(terms):
            # one operand per spelling (with/without accents): a prefix query on the Dutch
            # stem for longer words, the plain Dutch lexeme for short ones
            for j, word in enumerate(dict.fromkeys((raw, plain))):
                if len(st) >= 5:
                    params[f"w{i}_{j}"] = word + ":*"
                    parts.append(f"to_tsquery('dutch', :w{i}_{j})")
                else:
                    params[f"w{i}_{j}"] = word
                    parts.append(f"plainto_tsquery('dutch', :w{i}_{j})")
        rows = session.execute(
            sql_text(
                "SELECT a.id, a.measure_id, a.instrument_id, a.aspect, a.text, "
                "ts_rank(to_tsvector('dutch', a.text), q.query, 1) AS rank "
                f"FROM answers a, (SELECT ({' || '.join(parts)}) AS query) q "
                "WHERE to_tsvector('dutch', a.text) @@ q.query ORDER BY rank DESC, a.id LIMIT :limit"
            ),
            params,
        ).all()
    else:  # pragma: no cover
        raise NotImplementedError(f"full-text search is not implemented for {dialect}")
    return [
        SearchHit(r.measure_id, r.instrument_id, r.aspect, _snippet(r.text, terms), float(r.rank))
        for r in rows
    ]
