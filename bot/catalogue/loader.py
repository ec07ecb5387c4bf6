"""Load the validated YAML catalogue into the database.

load_catalogue(engine, directory) validates every file first; only a valid catalogue is written,
by replacing the content of the catalogue tables in ONE transaction (feedback and handoffs are
untouched). The files' checksum is kept in catalogue_meta: an unchanged catalogue is skipped.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.engine import Connection, Engine

from bot import settings
from bot.catalogue.constants import ASPECTS, MEASURE_IDS
from bot.catalogue.models import (
    CATALOGUE_TABLES,
    Alias,
    Answer,
    AnswerItem,
    AnswerItemQuestion,
    CatalogueMeta,
    Instrument,
    InstrumentTargetGroup,
    InstrumentTheme,
    Measure,
    MeasureTargetGroup,
    MeasureTheme,
    Source,
    answer_item_sources,
    answer_sources,
    metadata,
)
from bot.catalogue.files import Issue
from bot.catalogue.schema import MeasureModel
from bot.catalogue.validate import Catalogue, validate_catalogue
from bot.catalogue.text import match_key, normalize

_ADVISORY_LOCK_KEY = 71_902_020  # serialises concurrent loaders on PostgreSQL


@dataclass
class LoadReport:
    ok: bool
    unchanged: bool = False
    checksum: str = ""
    issues: list[Issue] = field(default_factory=list)
    added: list[tuple[str, str]] = field(default_factory=list)  # (kind, id)
    changed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[str]:
        return [str(i) for i in self.issues]

    def summary(self) -> str:
        """Short Dutch summary for the CLI."""
        if not self.ok:
            return f"Catalogus ongeldig: {len(self.issues)} fout(en); de databank is niet gewijzigd."
        c = self.counts
        head = f"{c.get('measures', 0)} maatregelen, {c.get('instruments', 0)} instrumenten"
        if self.unchanged:
            return f"Catalogus ongewijzigd ({head})."
        lines = [f"Catalogus geladen: {head}, {c.get('items', 0)} antwoorditems, {c.get('answers', 0)} antwoorden, "
                 f"{c.get('sources', 0)} bronnen, {c.get('aliases', 0)} aliassen."]
        for label, items in (("Nieuw", self.added), ("Gewijzigd", self.changed), ("Verwijderd", self.removed)):
            if items:
                lines.append(f"{label}: " + ", ".join(f"{i} ({k})" for k, i in items))
        if not (self.added or self.changed or self.removed):
            lines.append("Geen maatregelen of instrumenten gewijzigd (alleen bronnen of woordenlijst).")
        return "\n".join(lines)


def load_catalogue(
    engine: Engine,
    directory: Optional[Path | str] = None,
    *,
    expected_ids: Optional[Sequence[str]] = MEASURE_IDS,
    force: bool = False,
    migrate: bool = True,
) -> LoadReport:
    """Validate `directory` (default settings.catalogue_dir()) and load it in one transaction.

    Returns a LoadReport; on validation errors report.ok is False and the database is not
    touched at all. With a valid catalogue the schema is first brought up to date
    (`alembic upgrade head`, unless migrate=False).
    """
    directory = Path(directory) if directory is not None else settings.catalogue_dir()
    catalogue, issues = validate_catalogue(directory, expected_ids)
    if catalogue is None:
        return LoadReport(ok=False, issues=issues)
    if migrate:
        from bot.catalogue.db import migrate as run_migrations

        run_migrations(engine)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
        meta = conn.execute(select(CatalogueMeta.__table__).where(CatalogueMeta.id == 1)).first()
        if meta is not None and meta.checksum == catalogue.checksum and not force:
            return LoadReport(
                ok=True, unchanged=True, checksum=catalogue.checksum, counts=_counts(conn)
            )
        old = {
            ("measure", r.id): r.content_hash
            for r in conn.execute(select(Measure.id, Measure.content_hash))
        }
        old.update(
            {
                ("instrument", r.id): r.content_hash
                for r in conn.execute(select(Instrument.id, Instrument.content_hash))
            }
        )
        for name in CATALOGUE_TABLES:
            conn.execute(delete(metadata.tables[name]))
        new = _write(conn, catalogue)
        conn.execute(delete(CatalogueMeta.__table__))
        conn.execute(
            insert(CatalogueMeta.__table__).values(
                id=1,
                checksum=catalogue.checksum,
                loaded_at=dt.datetime.now(dt.timezone.utc),
                measure_count=len(catalogue.measures),
                instrument_count=len(catalogue.instruments),
            )
        )
        counts = _counts(conn)
    return LoadReport(
        ok=True,
        checksum=catalogue.checksum,
        added=[k for k in new if k not in old],
        changed=[k for k, h in new.items() if k in old and old[k] != h],
        removed=[k for k in old if k not in new],
        counts=counts,
    )


def _counts(conn: Connection) -> dict[str, int]:

    out = {}
    for key, model in (
        ("measures", Measure),
        ("instruments", Instrument),
        ("answers", Answer),
        ("items", AnswerItem),
        ("sources", Source),
        ("aliases", Alias),
    ):
        out[key] = conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()
    return out


def _status(entry) -> dict:
    s = entry.status
    return {
        "status_state": s.state,
        "status_since": s.since,
        "status_until": s.until,
        "status_successor": s.successor,
        "status_note": s.note,
    }


def _write(conn: Connection, catalogue: Catalogue) -> dict[tuple[str, str], str]:
    """Insert everything; returns {(kind, id): content_hash}."""
    hashes: dict[tuple[str, str], str] = {}
    conn.execute(
        insert(Source.__table__),
        [
            {"id": s.id, "position": i, "url": s.url, "title": s.title, "published": s.published}
            for i, s in enumerate(catalogue.sources)
        ],
    )
    alias_rows = _alias_rows(catalogue.measures)
    for m_pos, m in enumerate(catalogue.measures):
        h = hashes[("measure", m.id)] = m.content_hash(exclude={"instruments"})
        conn.execute(
            insert(Measure.__table__).values(
                id=m.id, position=m_pos, title=m.title, priority=m.priority, summary=m.summary,
                last_verified=m.last_verified, content_hash=h, **_status(m),
            )
        )
        _links(conn, MeasureTargetGroup, "measure_id", m.id, "target_group", m.target_groups)
        _links(conn, MeasureTheme, "measure_id", m.id, "theme", m.themes)
        _answers(conn, m, m.id, None)
        _items(conn, m, m.id, None)
        for i_pos, inst in enumerate(m.instruments):
            h = hashes[("instrument", inst.id)] = inst.content_hash()
            conn.execute(
                insert(Instrument.__table__).values(
                    id=inst.id, measure_id=m.id, position=i_pos, title=inst.title,
                    summary=inst.summary, last_verified=inst.last_verified, content_hash=h,
                    **_status(inst),
                )
            )
            # an instrument without its own target groups/themes inherits its measure's
            groups = inst.target_groups or m.target_groups
            themes = inst.themes or m.themes
            _links(conn, InstrumentTargetGroup, "instrument_id", inst.id, "target_group", groups)
            _links(conn, InstrumentTheme, "instrument_id", inst.id, "theme", themes)
            _answers(conn, inst, m.id, inst.id)
            _items(conn, inst, m.id, inst.id)
    if alias_rows:
        conn.execute(insert(Alias.__table__), alias_rows)
    return hashes


def _links(conn: Connection, model, owner_col: str, owner: str, value_col: str, values) -> None:
    if values:
        conn.execute(
            insert(model.__table__),
            [{owner_col: owner, value_col: v, "position": i} for i, v in enumerate(values)],
        )


def _answers(conn: Connection, entry, measure_id: str, instrument_id: Optional[str]) -> None:
    for pos, aspect in enumerate(ASPECTS):
        answer = getattr(entry.answers, aspect)
        result = conn.execute(
            insert(Answer.__table__).values(
                measure_id=measure_id, instrument_id=instrument_id, aspect=aspect,
                position=pos, text=answer.text,
            )
        )
        answer_id = result.inserted_primary_key[0]
        sources = list(dict.fromkeys(answer.sources))
        conn.execute(
            insert(answer_sources),
            [{"answer_id": answer_id, "source_id": sid, "position": i} for i, sid in enumerate(sources)],
        )


def _items(conn: Connection, entry, measure_id: str, instrument_id: Optional[str]) -> None:
    for pos, item in enumerate(entry.items):
        conn.execute(
            insert(AnswerItem.__table__).values(
                id=item.id, measure_id=measure_id, instrument_id=instrument_id, position=pos,
                aspect=item.aspect, label=item.label, answer=item.text, since=item.since,
                until=item.until,
            )
        )
        conn.execute(
            insert(AnswerItemQuestion.__table__),
            [{"item_id": item.id, "position": i, "text": q} for i, q in enumerate(item.questions)],
        )
        conn.execute(
            insert(answer_item_sources),
            [{"item_id": item.id, "source_id": sid, "position": i}
             for i, sid in enumerate(dict.fromkeys(item.sources))],
        )


def _alias_rows(measures: list[MeasureModel]) -> list[dict]:
    """Explicit aliases first; the id and title of each entry are added as implicit aliases
    when no other entry claims the same match key."""
    rows: list[dict] = []
    keys: dict[str, str] = {}  # match key -> owner id
    normalized_seen: set[str] = set()

    def add(text_: str, measure_id: str, instrument_id: Optional[str], explicit: bool) -> None:
        norm = normalize(text_)
        key = match_key(norm)
        owner = instrument_id or measure_id
        if not norm or norm in normalized_seen:
            return
        if key in keys and keys[key] != owner:
            if explicit:  # the schema rejects this; keep the loader safe anyway
                raise ValueError(f"duplicate alias {text_!r}")
            return
        keys[key] = owner
        normalized_seen.add(norm)
        rows.append({"measure_id": measure_id, "instrument_id": instrument_id, "text": text_, "normalized": norm})

    entries = [(m, m.id, None) for m in measures] + [
        (i, m.id, i.id) for m in measures for i in m.instruments
    ]
    for entry, mid, iid in entries:
        for alias in entry.aliases:
            add(alias, mid, iid, True)
    for entry, mid, iid in entries:
        add(entry.title, mid, iid, False)
        add(entry.id.replace("-", " "), mid, iid, False)
    return rows
