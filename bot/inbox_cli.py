"""`python -m bot inbox list|assign|export`: the staff inbox on the command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.settings import REPO_ROOT

EXPORT_FILE = REPO_ROOT / "data" / "nlu" / "inbox.yml"


def register(subparsers) -> None:
    inbox = subparsers.add_parser("inbox", help="messages the bot could not place, for staff to assign")
    sub = inbox.add_subparsers(dest="inbox_command", metavar="ACTION")
    sub.required = True
    listing = sub.add_parser("list", help="open items, most frequent first")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--reason", help="declined, clarified, fallback, no_context or thumbs_down")
    listing.add_argument("--all", action="store_true", help="also assigned and dismissed items")
    listing.set_defaults(func=_list)
    assign = sub.add_parser("assign", help="tie an item to a measure, or mark it out_of_scope, or dismiss it")
    assign.add_argument("id", type=int)
    assign.add_argument("target", help="a measure id, out_of_scope or dismiss")
    assign.add_argument("--item", help="an answer item of that measure")
    assign.add_argument("--by", default="cli", help="who decides (kept with the item)")
    assign.set_defaults(func=_assign)
    export = sub.add_parser("export", help="write the assigned messages as training examples")
    export.add_argument("--file", type=Path, default=EXPORT_FILE)
    export.set_defaults(func=_export)


def _row(item) -> dict:
    return {"id": item.id, "text": item.text, "reason": item.reason, "count": item.count,
            "last_seen": item.last_seen.isoformat(timespec="seconds"), "reply": item.reply,
            "candidates": item.candidates.split(",") if item.candidates else [], "status": item.status,
            "measure": item.measure_id, "item": item.item_id}


def _list(args) -> int:
    from bot import inbox
    from bot.catalogue.db import session_scope

    with session_scope() as session:
        rows = [_row(i) for i in inbox.list_items(session, args.reason, None if args.all else "open")]
        pushed_out = inbox.evicted(session)
    if args.json:
        print(json.dumps({"items": rows, "evicted": pushed_out}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("De inbox is leeg.")
    for row in rows:
        candidates = ", ".join(row["candidates"]) or "-"
        print(f"#{row['id']:<5} {row['count']:>3}x  {row['reason']:<11} {row['last_seen']}  {row['text'][:80]}")
        print(f"        kandidaten: {candidates}; status: {row['status']}")
    if pushed_out:
        print(f"({pushed_out} oudere items zijn verwijderd omdat de inbox vol was.)")
    return 0


def _assign(args) -> int:
    from bot import inbox
    from bot.catalogue.db import session_scope

    try:
        with session_scope() as session:
            item = inbox.assign(session, args.id, args.target, args.by, args.item)
            status, measure = item.status, item.measure_id
    except inbox.InboxError as error:
        print(f"FOUT: {error}", file=sys.stderr)
        return 1
    print(f"Item #{args.id}: {status}" + (f" -> {measure}" if measure else ""))
    return 0


def _export(args) -> int:
    from bot import inbox
    from bot.catalogue.db import session_scope
    from bot.nlu.training_data import existing_examples, write_examples

    known = existing_examples(args.file.parent, skip=args.file.name)
    with session_scope() as session:
        examples = inbox.training_examples(session, sorted(known))
    count = write_examples(examples, args.file, header=inbox.EXPORT_HEADER)
    print(f"{count} voorbeelden geschreven naar {args.file}. Kijk ze na met `git diff`; "
          "de volgende `make run` traint erop.")
    return 0
