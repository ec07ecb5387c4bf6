"""CLI: `python -m bot catalogue check|load|list|show|search` and `python -m bot db upgrade`."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy.exc import OperationalError, ProgrammingError

from bot import settings
from bot.catalogue.constants import MEASURE_IDS

STATE_NL = {"announced": "aangekondigd", "implemented": "uitgevoerd", "changed": "gewijzigd", "abolished": "afgeschaft"}
NOT_LOADED = "De catalogus is niet geladen. Voer eerst 'python -m bot catalogue load' uit."


def register(subparsers) -> None:
    cat = subparsers.add_parser("catalogue", help="measures catalogue (YAML -> database)")
    sub = cat.add_subparsers(dest="catalogue_command", metavar="ACTION")
    sub.required = True

    def with_dir(p):
        p.add_argument("--dir", type=Path, default=None, help="catalogue directory (default: BOT_CATALOGUE_DIR)")
        p.add_argument("--any-ids", action="store_true", help=argparse.SUPPRESS)  # test fixtures
        return p

    with_dir(sub.add_parser("check", help="validate the YAML files")).set_defaults(func=cmd_check)
    p = with_dir(sub.add_parser("load", help="migrate the database and load the catalogue"))
    p.add_argument("--force", action="store_true", help="reload even when the files are unchanged")
    p.set_defaults(func=cmd_load)
    p = sub.add_parser("list", help="list the loaded measures")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("show", help="show one measure or instrument")
    p.add_argument("id")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("search", help="full-text search over the answers")
    p.add_argument("text", nargs="+")
    p.add_argument("--limit", type=int, default=5)
    p.set_defaults(func=cmd_search)

    db = subparsers.add_parser("db", help="database maintenance")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION")
    dbsub.required = True
    dbsub.add_parser("upgrade", help="alembic upgrade head").set_defaults(func=cmd_db_upgrade)


def _ids(args):
    return None if getattr(args, "any_ids", False) else MEASURE_IDS


def cmd_check(args) -> int:
    from bot.catalogue.validate import validate_catalogue

    catalogue, issues = validate_catalogue(args.dir or settings.catalogue_dir(), _ids(args))
    if catalogue is None:
        for issue in issues:
            print(issue)
        print(f"FOUT: {len(issues)} probleem/problemen gevonden.", file=sys.stderr)
        return 1
    print(f"OK: {len(catalogue.measures)} maatregelen, {len(catalogue.instruments)} instrumenten")
    return 0


def cmd_load(args) -> int:
    from bot.catalogue.db import get_engine, migrate
    from bot.catalogue.loader import load_catalogue

    engine = get_engine()
    migrate(engine)
    report = load_catalogue(engine, args.dir or settings.catalogue_dir(), expected_ids=_ids(args), force=args.force)
    if not report.ok:
        for error in report.errors:
            print(error)
        print(report.summary(), file=sys.stderr)
        return 1
    print(report.summary())
    return 0


def cmd_db_upgrade(args) -> int:
    from bot.catalogue.db import get_engine, migrate

    migrate(get_engine())
    print("Databank bijgewerkt (alembic upgrade head).")
    return 0


def _session():
    from bot.catalogue.db import session_scope

    return session_scope()


def _loaded(session) -> bool:
    from bot.catalogue.queries import catalogue_version

    try:
        return bool(catalogue_version(session))
    except (OperationalError, ProgrammingError):
        return False


def measure_dict(measure) -> dict:
    urls = []
    for answer in measure.answers:
        for source in answer.sources:
            if source.url not in urls:
                urls.append(source.url)
    return {
        "id": measure.id,
        "title": measure.title,
        "priority": measure.priority,
        "status": {
            "state": measure.status_state,
            "since": measure.status_since,
            "until": measure.status_until,
            "successor": measure.status_successor,
        },
        "last_verified": measure.last_verified.isoformat(),
        "source_urls": urls,
        "instruments": [i.id for i in measure.instruments],
    }


def cmd_list(args) -> int:
    from bot.catalogue.queries import list_measures

    with _session() as session:
        if not _loaded(session):
            print(NOT_LOADED, file=sys.stderr)
            return 1
        measures = list_measures(session)
        if args.json:
            print(json.dumps([measure_dict(m) for m in measures], ensure_ascii=False, indent=2))
            return 0
        for m in measures:
            print(f"{m.id:32} {STATE_NL.get(m.status_state, m.status_state):13} {m.title}")
            for inst in m.instruments:
                print(f"  - {inst.id:28} {STATE_NL.get(inst.status_state, inst.status_state):13} {inst.title}")
    return 0


def _print_entry(entry, fallback_verified=None) -> None:
    status = entry.status
    print(f"{entry.title} ({entry.kind}: {entry.id})")
    print(f"  {entry.summary}")
    line = f"  status: {STATE_NL.get(status['state'], status['state'])}"
    for key in ("since", "until", "successor"):
        if status[key]:
            line += f", {key}: {status[key]}"
    print(line)
    if status["note"]:
        print(f"  noot: {status['note']}")
    verified = getattr(entry, "last_verified", None) or fallback_verified
    if verified:
        print(f"  laatst gecontroleerd: {verified.isoformat()}")
    print(f"  doelgroepen: {', '.join(entry.target_groups) or '-'}")
    print(f"  thema's: {', '.join(entry.themes) or '-'}")
    print(f"  aliassen: {', '.join(a.text for a in entry.aliases) or '-'}")
    for answer in entry.answers:
        print(f"  [{answer.aspect}] {answer.text} ({', '.join(answer.source_ids)})")


def cmd_show(args) -> int:
    from bot.catalogue.queries import get_instrument, get_measure

    with _session() as session:
        if not _loaded(session):
            print(NOT_LOADED, file=sys.stderr)
            return 1
        measure = get_measure(session, args.id)
        if measure is not None:
            _print_entry(measure)
            for inst in measure.instruments:
                print(f"  instrument: {inst.id} ({STATE_NL.get(inst.status_state, inst.status_state)})")
            return 0
        instrument = get_instrument(session, args.id)
        if instrument is not None:
            _print_entry(instrument, instrument.measure.last_verified)
            print(f"  maatregel: {instrument.measure_id}")
            return 0
    print(f"Niet gevonden: {args.id}", file=sys.stderr)
    return 1


def cmd_search(args) -> int:
    from bot.catalogue.search import search

    with _session() as session:
        if not _loaded(session):
            print(NOT_LOADED, file=sys.stderr)
            return 1
        hits = search(session, " ".join(args.text), limit=args.limit)
        if not hits:
            print("Geen resultaten.")
        for hit in hits:
            owner = hit.measure_id + (f"/{hit.instrument_id}" if hit.instrument_id else "")
            print(f"{hit.rank:7.3f}  {owner} [{hit.aspect}] {hit.snippet}")
    return 0
