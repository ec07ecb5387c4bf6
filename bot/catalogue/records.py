"""What people and staff leave behind, kept apart from the catalogue the loader replaces:
feedback on answers, requests for a person, and the staff inbox of messages the bot could not
place. None of these rows references catalogue rows by foreign key, so reloading the catalogue
leaves them untouched.
"""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Integer, SmallInteger, String, Text

from bot.catalogue.models import ID, Base, UTCDateTime, utcnow


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (CheckConstraint("rating IN (-1, 1)", name="rating"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    sender_id = Column(String(255), nullable=False, index=True)
    question = Column(Text, nullable=True)
    answer = Column(Text, nullable=True)
    measure_id = Column(String(ID), nullable=True, index=True)  # deliberately not a foreign key
    rating = Column(SmallInteger, nullable=False)
    comment = Column(Text, nullable=True)


class Handoff(Base):
    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True, autoincrement=True)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    sender_id = Column(String(255), nullable=False, index=True)
    reason = Column(Text, nullable=True)
    last_message = Column(Text, nullable=True)


INBOX_REASONS = ("declined", "clarified", "fallback", "no_context", "thumbs_down")
INBOX_STATES = ("open", "assigned", "out_of_scope", "dismissed")


class InboxItem(Base):
    """Messages the bot could not place, grouped on their words (`key`): the latest wording,
    why, what the bot said, its candidate measures, how often and when last; and what staff
    decided."""

    __tablename__ = "inbox_items"
    __table_args__ = (CheckConstraint("count >= 1", name="count"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    key = Column(String(300), nullable=False, unique=True)
    text = Column(Text, nullable=False)  # redacted
    reason = Column(String(16), nullable=False)
    reply = Column(Text, nullable=True)
    candidates = Column(Text, nullable=True)  # measure ids, comma-separated, best first
    count = Column(Integer, nullable=False, default=1)
    first_seen = Column(UTCDateTime(), nullable=False, default=utcnow)
    last_seen = Column(UTCDateTime(), nullable=False, default=utcnow, index=True)
    status = Column(String(16), nullable=False, default="open", index=True)
    measure_id = Column(String(ID), nullable=True)  # deliberately not a foreign key
    item_id = Column(String(ID), nullable=True)
    assigned_by = Column(String(100), nullable=True)
    assigned_at = Column(UTCDateTime(), nullable=True)


class InboxState(Base):
    """One row (id 1): how many items the cap pushed out."""

    __tablename__ = "inbox_state"
    id = Column(Integer, primary_key=True, autoincrement=False)
    evicted = Column(Integer, nullable=False, default=0)
