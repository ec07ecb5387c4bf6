"""Feedback (thumbs up/down on an answer) and handoff requests.

Functions add rows to the given session and flush; the caller commits (session_scope does).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, Optional, Union

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue.records import Feedback, Handoff
from bot.privacy import redact_optional

MAX_TEXT = 2000
MAX_SENDER = 255
RATINGS = (1, -1)
CSV_FIELDS = ("id", "created_at", "sender_id", "question", "answer", "measure_id", "rating", "comment")


def _clip(value: Optional[str], limit: int = MAX_TEXT) -> Optional[str]:
    if value is None:
        return None
    value = str(value)
    return value if len(value) <= limit else value[:limit]


def _sender(sender_id: str) -> str:
    sender = _clip(str(sender_id or "").strip(), MAX_SENDER)
    if not sender:
        raise ValueError("sender_id is required")
    return sender


def record_feedback(
    session: Session,
    sender_id: str,
    question: Optional[str],
    answer: Optional[str],
    measure_id: Optional[str],
    rating: int,
    comment: Optional[str] = None,
) -> Feedback:
    """Store one rating (+1 or -1). Long texts are cut to 2000 characters. Personal data in
    what the person typed is redacted; the bot's answer is kept as it was (it holds VDAB's
    own phone number)."""
    if isinstance(rating, bool) or rating not in RATINGS:
        raise ValueError(f"rating must be +1 or -1, got {rating!r}")
    row = Feedback(
        sender_id=_sender(sender_id),
        question=_clip(redact_optional(question)),
        answer=_clip(answer),
        measure_id=_clip(measure_id, 64) or None,
        rating=int(rating),
        comment=_clip(redact_optional(comment)) or None,
    )
    session.add(row)
    session.flush()
    if row.rating < 0 and question:
        # A thumbs-down is something staff should look at: it joins the inbox.
        from bot import inbox

        inbox.record(session, question, "thumbs_down", answer, [measure_id] if measure_id else [])
    return row


def list_feedback(session: Session, limit: Optional[int] = 100) -> list[Feedback]:
    """Newest first."""
    query = select(Feedback).order_by(Feedback.created_at.desc(), Feedback.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def _cell(value: Optional[str]) -> str:
    """Text cell; a leading =, +, -, @ is escaped so spreadsheets do not run it as a formula."""
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_csv(session: Session, file: Union[str, Path, IO[str]]) -> int:
    """Write all feedback (oldest first) as CSV to a path or text file object; returns the row count."""
    if isinstance(file, (str, Path)):
        with open(file, "w", newline="", encoding="utf-8") as handle:
            return export_csv(session, handle)
    writer = csv.writer(file)
    writer.writerow(CSV_FIELDS)
    count = 0
    for row in session.execute(select(Feedback).order_by(Feedback.created_at, Feedback.id)).scalars():
        writer.writerow(
            [
                row.id,
                row.created_at.isoformat() if row.created_at else "",
                _cell(row.sender_id),
                _cell(row.question),
                _cell(row.answer),
                row.measure_id or "",
                row.rating,
                _cell(row.comment),
            ]
        )
        count += 1
    return count


def export_csv_text(session: Session) -> str:
    buffer = io.StringIO()
    export_csv(session, buffer)
    return buffer.getvalue()


def record_handoff(
    session: Session, sender_id: str, reason: Optional[str], last_message: Optional[str]
) -> Handoff:
    row = Handoff(sender_id=_sender(sender_id), reason=_clip(reason),
                  last_message=_clip(redact_optional(last_message)))
    session.add(row)
    session.flush()
    return row


def list_handoffs(session: Session, limit: Optional[int] = None) -> list[Handoff]:
    """Newest first."""
    query = select(Handoff).order_by(Handoff.created_at.desc(), Handoff.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query).scalars())
