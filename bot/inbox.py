"""The staff inbox: messages the bot could not place, what staff decided about them, and the
training examples those decisions become.

A message enters when the bot declined it with less than full confidence, asked back, could
not tie it to a context, handed over after a second miss, or got a thumbs-down. Near-identical
messages share one item (bot.catalogue.text.message_key) with a count. Staff assign an item to
a measure (or one of its answer items), mark it out of scope, or dismiss it; the assignment is
read at every message by every action server, so it takes effect at once, on every server,
without retraining. Only redacted text is stored, and a flood of distinct messages cannot grow
the inbox beyond INBOX_CAP: the items seen longest ago go first, and are counted.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.catalogue import queries
from bot.catalogue.records import INBOX_REASONS, InboxItem, InboxState
from bot.catalogue.text import message_key
from bot.nlu.outputs import intent_for_measure
from bot.privacy import redact

EXPORT_HEADER = "# Messages staff assigned in the inbox (`python -m bot inbox export`); review them in git."
OUT_OF_SCOPE = "out_of_scope"
DISMISS = "dismiss"
MAX_TEXT = 1000


def inbox_cap() -> int:
    return int(os.environ.get("BOT_INBOX_CAP", "5000"))


class InboxError(ValueError):
    """A staff request the inbox cannot carry out (Dutch message)."""


@dataclass(frozen=True)
class Assignment:
    status: str  # assigned | out_of_scope
    measure_id: Optional[str]
    item_id: Optional[str]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def record(session: Session, text: str, reason: str, reply: Optional[str] = None,
           candidates: Sequence[str] = (), now: Optional[dt.datetime] = None) -> Optional[InboxItem]:
    """Count the message in its item (a new one when none shares its words); None when the
    message has no words that could be grouped."""
    assert reason in INBOX_REASONS, reason
    redacted = redact(text or "")[:MAX_TEXT]
    key = message_key(redacted)
    if not key:
        return None
    now = now or _now()
    values = {"text": redacted, "reason": reason, "reply": (reply or "")[:MAX_TEXT] or None,
              "candidates": ",".join(candidates[:5]) or None, "last_seen": now}
    item = session.execute(select(InboxItem).where(InboxItem.key == key)).scalar_one_or_none()
    if item is None:
        _make_room(session)
        try:
            with session.begin_nested():
                item = InboxItem(key=key, count=1, first_seen=now, status="open", **values)
                session.add(item)
            return item
        except IntegrityError:  # another server recorded the same words a moment ago
            item = session.execute(select(InboxItem).where(InboxItem.key == key)).scalar_one()
    for name, value in values.items():
        setattr(item, name, value)
    item.count += 1
    session.flush()
    return item


def _make_room(session: Session) -> None:
    over = session.execute(select(func.count()).select_from(InboxItem)).scalar_one() - inbox_cap() + 1
    if over <= 0:
        return
    oldest = select(InboxItem.id).order_by(InboxItem.last_seen, InboxItem.id).limit(over)
    ids = list(session.execute(oldest).scalars())
    evicted = session.execute(delete(InboxItem).where(InboxItem.id.in_(ids)),
                              execution_options={"synchronize_session": False}).rowcount
    session.expire_all()
    state = session.get(InboxState, 1)
    if state is None:
        session.add(InboxState(id=1, evicted=evicted))
    else:
        state.evicted += evicted
    session.flush()


def evicted(session: Session) -> int:
    state = session.get(InboxState, 1)
    return state.evicted if state else 0


def assignment(session: Session, text: str) -> Optional[Assignment]:
    """What staff decided for a message with these words, if anything that changes the reply."""
    key = message_key(redact(text or ""))
    if not key:
        return None
    row = session.execute(
        select(InboxItem.status, InboxItem.measure_id, InboxItem.item_id)
        .where(InboxItem.key == key, InboxItem.status.in_(("assigned", OUT_OF_SCOPE)))
    ).first()
    return Assignment(*row) if row else None


def assign(session: Session, inbox_id: int, target: str, by: str,
           answer_item: Optional[str] = None) -> InboxItem:
    """Tie an inbox item to a measure (and optionally one of its answer items), mark it out of
    scope, or dismiss it. An unknown item, measure or answer item changes nothing."""
    item = session.get(InboxItem, inbox_id)
    if item is None:
        raise InboxError(f"Er is geen inbox-item met nummer {inbox_id}.")
    measure, status = None, {OUT_OF_SCOPE: OUT_OF_SCOPE, DISMISS: "dismissed"}.get(target)
    if status is None:
        if target not in queries.outline(session).titles:
            raise InboxError(f"'{target}' is geen maatregel. Kies een maatregel-id, "
                             f"'{OUT_OF_SCOPE}' of '{DISMISS}'.")
        measure, status = target, "assigned"
    if answer_item is not None:
        known = queries.items_by_id(session).get(answer_item)
        if known is None or known.measure_id != measure:
            raise InboxError(f"'{answer_item}' is geen antwoorditem van de maatregel '{target}'.")
    item.status, item.measure_id, item.item_id = status, measure, answer_item
    item.assigned_by, item.assigned_at = (by or "staff")[:100], _now()
    session.flush()
    return item


def list_items(session: Session, reason: Optional[str] = None, status: Optional[str] = "open",
               limit: int = 500) -> List[InboxItem]:
    """Most frequent first, then the most recent."""
    query = select(InboxItem)
    if reason:
        query = query.where(InboxItem.reason == reason)
    if status:
        query = query.where(InboxItem.status == status)
    return list(session.execute(
        query.order_by(InboxItem.count.desc(), InboxItem.last_seen.desc(), InboxItem.id).limit(limit)).scalars())


def open_counts(session: Session) -> Dict[str, int]:
    """reason -> how many items with that reason are open."""
    rows = session.execute(select(InboxItem.reason, func.count()).where(InboxItem.status == "open")
                           .group_by(InboxItem.reason)).all()
    return {reason: count for reason, count in rows}


def purge(session: Session, older_than_days: float, now: Optional[dt.datetime] = None) -> int:
    """Delete items last seen longer ago than the conversations' retention."""
    cutoff = (now or _now()) - dt.timedelta(days=older_than_days)
    return session.execute(delete(InboxItem).where(InboxItem.last_seen < cutoff),
                           execution_options={"synchronize_session": False}).rowcount


def training_examples(session: Session, known: Sequence[str]) -> Dict[str, List[str]]:
    """intent -> the texts staff assigned, in a stable order, leaving out texts the training
    data already has."""
    seen = {text.lower() for text in known}
    out: Dict[str, List[str]] = {}
    rows = session.execute(
        select(InboxItem.status, InboxItem.measure_id, InboxItem.text)
        .where(InboxItem.status.in_(("assigned", OUT_OF_SCOPE)))).all()
    for status, measure, text in sorted(rows, key=lambda r: (r.measure_id or "", r.text.lower())):
        text = " ".join(text.split())
        if not text or text.lower() in seen:
            continue
        seen.add(text.lower())
        intent = intent_for_measure(measure) if status == "assigned" else OUT_OF_SCOPE
        out.setdefault(intent, []).append(text)
    return dict(sorted(out.items()))
