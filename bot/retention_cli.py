"""CLI: `python -m bot conversations purge --older-than-days N [--endpoints FILE] [--dry-run]`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen geheel aantal dagen: {value!r}") from None
    if days < 1:
        raise argparse.ArgumentTypeError("het aantal dagen moet minstens 1 zijn")
    return days


def register(subparsers) -> None:
    conversations = subparsers.add_parser("conversations", help="stored conversations (Rasa tracker store)")
    sub = conversations.add_subparsers(dest="conversations_command", metavar="ACTION")
    sub.required = True
    purge = sub.add_parser(
        "purge", help="delete conversations whose last message is older than N days",
        description="Delete every conversation (all tracker events of a sender) whose newest event is "
                    "older than N days, from the tracker store of the endpoints file.")
    purge.add_argument("--older-than-days", type=_days, required=True, metavar="N")
    purge.add_argument("--endpoints", type=Path, default=None,
                       help="Rasa endpoints file (default: $RASA_ENDPOINTS or endpoints.yml)")
    purge.add_argument("--dry-run", action="store_true", help="only count, delete nothing")
    purge.set_defaults(func=cmd_purge)


def cmd_purge(args) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.retention import RetentionError, purge, tracker_store_url

    try:
        url = tracker_store_url(args.endpoints)
        result = purge(url, args.older_than_days, dry_run=args.dry_run)
    except RetentionError as exc:
        print(f"FOUT: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"FOUT: de tracker store is niet bereikbaar ({type(exc).__name__}).", file=sys.stderr)
        return 1
    verb = "Te verwijderen" if result.dry_run else "Verwijderd"
    print(f"{verb}: {result.conversations} gesprek(ken), {result.events} gebeurtenis(sen) "
          f"zonder activiteit in de laatste {args.older_than_days} dag(en).")
    if not result.dry_run:
        from bot import inbox
        from bot.catalogue.db import session_scope

        with session_scope() as session:  # the inbox keeps what people typed: same retention
            print(f"Verwijderd uit de inbox: {inbox.purge(session, args.older_than_days)} item(s).")
    return 0
