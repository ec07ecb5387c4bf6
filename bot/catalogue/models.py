"""SQLAlchemy models of the catalogue tables (replaced by the loader); what staff and people
leave behind (feedback, handoffs, the inbox) is in bot.catalogue.records, on the same metadata.

Answers and aliases belong to a measure (measure_id, always the owning measure) and,
optionally, to one of its instruments (instrument_id). Feedback/handoff rows never reference
catalogue rows by foreign key, so reloading the catalogue leaves them untouched.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.associationproxy import association_proxy
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING_CONVENTION)
Base = declarative_base(metadata=metadata)

ID = 64  # length of slug ids


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value


class _Entry:
    """Shared read helpers of Measure and Instrument."""

    kind: str

    @property
    def status(self) -> dict:
        return {
            "state": self.status_state,
            "since": self.status_since,
            "until": self.status_until,
            "successor": self.status_successor,
            "note": self.status_note,
        }

    def answer(self, aspect: str):
        return next((a for a in self.answers if a.aspect == aspect), None)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


class Measure(_Entry, Base):
    __tablename__ = "measures"
    kind = "measure"

    id = Column(String(ID), primary_key=True)
    position = Column(Integer, nullable=False)
    title = Column(String(300), nullable=False)
    priority = Column(SmallInteger, nullable=True)
    summary = Column(Text, nullable=False)
    status_state = Column(String(16), nullable=False)
    status_since = Column(String(10), nullable=True)
    status_until = Column(String(10), nullable=True)
    status_successor = Column(String(ID), nullable=True)  # a measure or an instrument id
    status_note = Column(Text, nullable=True)
    last_verified = Column(Date, nullable=False)
    content_hash = Column(String(64), nullable=False)

    instruments = relationship(
        "Instrument", back_populates="measure", order_by="Instrument.position", viewonly=True
    )
    answers = relationship(
        "Answer",
        primaryjoin="and_(Answer.measure_id == Measure.id, Answer.instrument_id.is_(None))",
        order_by="Answer.position",
        viewonly=True,
    )
    aliases = relationship(
        "Alias",
        primaryjoin="and_(Alias.measure_id == Measure.id, Alias.instrument_id.is_(None))",
        order_by="Alias.id",
        viewonly=True,
    )
    target_group_links = relationship("MeasureTargetGroup", viewonly=True, order_by="MeasureTargetGroup.position")
    theme_links = relationship("MeasureTheme", viewonly=True, order_by="MeasureTheme.position")
    target_groups = association_proxy("target_group_links", "target_group")
    themes = association_proxy("theme_links", "theme")

    @property
    def measure_id(self) -> str:
        return self.id


class Instrument(_Entry, Base):
    __tablename__ = "instruments"
    kind = "instrument"

    id = Column(String(ID), primary_key=True)
    measure_id = Column(String(ID), ForeignKey("measures.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    title = Column(String(300), nullable=False)
    summary = Column(Text, nullable=False)
    status_state = Column(String(16), nullable=False)
    status_since = Column(String(10), nullable=True)
    status_until = Column(String(10), nullable=True)
    status_successor = Column(String(ID), nullable=True)
    status_note = Column(Text, nullable=True)
    last_verified = Column(Date, nullable=True)  # null: same as its measure
    content_hash = Column(String(64), nullable=False)

    measure = relationship("Measure", back_populates="instruments", viewonly=True)
    answers = relationship("Answer", back_populates="instrument", order_by="Answer.position", viewonly=True)
    aliases = relationship("Alias", order_by="Alias.id", viewonly=True)
    target_group_links = relationship(
        "InstrumentTargetGroup", viewonly=True, order_by="InstrumentTargetGroup.position"
    )
    theme_links = relationship("InstrumentTheme", viewonly=True, order_by="InstrumentTheme.position")
    target_groups = association_proxy("target_group_links", "target_group")
    themes = association_proxy("theme_links", "theme")


class Source(Base):
    __tablename__ = "sources"

    id = Column(String(ID), primary_key=True)
    position = Column(Integer, nullable=False)
    url = Column(Text, nullable=False)
    title = Column(Text, nullable=False)
    published = Column(String(10), nullable=True)  # YYYY, YYYY-MM, YYYY-MM-DD or null (n.d.)

    def __repr__(self) -> str:
        return f"<Source {self.id}>"


answer_sources = Table(
    "answer_sources",
    metadata,
    Column("answer_id", Integer, ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", String(ID), ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
    Index("ix_answer_sources_source_id", "source_id"),
)


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("measure_id", "instrument_id", "aspect", name="uq_answers_owner_aspect"),)

    id = Column(Integer, primary_key=True, autoincrement=True)
    measure_id = Column(String(ID), ForeignKey("measures.id", ondelete="CASCADE"), nullable=False, index=True)
    instrument_id = Column(
        String(ID), ForeignKey("instruments.id", ondelete="CASCADE"), nullable=True, index=True
    )
    aspect = Column(String(16), nullable=False)
    position = Column(Integer, nullable=False)
    text = Column(Text, nullable=False)

    instrument = relationship("Instrument", back_populates="answers", viewonly=True)
    sources = relationship(
        "Source", secondary=answer_sources, order_by=answer_sources.c.position, viewonly=True
    )

    @property
    def source_ids(self) -> list[str]:
        return [s.id for s in self.sources]

    def __repr__(self) -> str:
        return f"<Answer {self.instrument_id or self.measure_id}.{self.aspect}>"


answer_item_sources = Table(
    "answer_item_sources",
    metadata,
    Column("item_id", String(ID), ForeignKey("answer_items.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", String(ID), ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False),
    Index("ix_answer_item_sources_source_id", "source_id"),
)


class AnswerItem(Base):
    """A question-level answer: the questions it answers and a short direct answer."""

    __tablename__ = "answer_items"

    id = Column(String(ID), primary_key=True)
    measure_id = Column(String(ID), ForeignKey("measures.id", ondelete="CASCADE"), nullable=False, index=True)
    instrument_id = Column(
        String(ID), ForeignKey("instruments.id", ondelete="CASCADE"), nullable=True, index=True
    )
    position = Column(Integer, nullable=False)
    aspect = Column(String(16), nullable=False)
    label = Column(String(100), nullable=False)
    answer = Column(Text, nullable=False)
    since = Column(String(10), nullable=True)
    until = Column(String(10), nullable=True)

    questions = relationship("AnswerItemQuestion", order_by="AnswerItemQuestion.position", viewonly=True)
    sources = relationship(
        "Source", secondary=answer_item_sources, order_by=answer_item_sources.c.position, viewonly=True
    )

    def __repr__(self) -> str:
        return f"<AnswerItem {self.id}>"


class AnswerItemQuestion(Base):
    __tablename__ = "answer_item_questions"

    item_id = Column(String(ID), ForeignKey("answer_items.id", ondelete="CASCADE"), primary_key=True)
    position = Column(Integer, primary_key=True, autoincrement=False)
    text = Column(Text, nullable=False)


class Alias(Base):
    __tablename__ = "aliases"

    id = Column(Integer, primary_key=True, autoincrement=True)
    measure_id = Column(String(ID), ForeignKey("measures.id", ondelete="CASCADE"), nullable=False, index=True)
    instrument_id = Column(
        String(ID), ForeignKey("instruments.id", ondelete="CASCADE"), nullable=True, index=True
    )
    text = Column(String(300), nullable=False)
    normalized = Column(String(300), nullable=False, unique=True)

    @property
    def kind(self) -> str:
        return "instrument" if self.instrument_id else "measure"

    def __repr__(self) -> str:
        return f"<Alias {self.normalized!r} -> {self.instrument_id or self.measure_id}>"


class MeasureTargetGroup(Base):
    __tablename__ = "measure_target_groups"
    measure_id = Column(String(ID), ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True)
    target_group = Column(String(64), primary_key=True, index=True)
    position = Column(Integer, nullable=False)


class MeasureTheme(Base):
    __tablename__ = "measure_themes"
    measure_id = Column(String(ID), ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True)
    theme = Column(String(64), primary_key=True, index=True)
    position = Column(Integer, nullable=False)


class InstrumentTargetGroup(Base):
    __tablename__ = "instrument_target_groups"
    instrument_id = Column(String(ID), ForeignKey("instruments.id", ondelete="CASCADE"), primary_key=True)
    target_group = Column(String(64), primary_key=True, index=True)
    position = Column(Integer, nullable=False)


class InstrumentTheme(Base):
    __tablename__ = "instrument_themes"
    instrument_id = Column(String(ID), ForeignKey("instruments.id", ondelete="CASCADE"), primary_key=True)
    theme = Column(String(64), primary_key=True, index=True)
    position = Column(Integer, nullable=False)


class CatalogueMeta(Base):
    """One row (id 1): checksum of the loaded YAML files."""

    __tablename__ = "catalogue_meta"
    id = Column(Integer, primary_key=True, autoincrement=False)
    checksum = Column(String(64), nullable=False)
    loaded_at = Column(UTCDateTime(), nullable=False)
    measure_count = Column(Integer, nullable=False)
    instrument_count = Column(Integer, nullable=False)


CATALOGUE_TABLES = (
    "answer_item_sources",
    "answer_item_questions",
    "answer_items",
    "answer_sources",
    "answers",
    "aliases",
    "measure_target_groups",
    "measure_themes",
    "instrument_target_groups",
    "instrument_themes",
    "instruments",
    "measures",
    "sources",
)
"""Tables the loader replaces, in a safe delete order (children first)."""


FULLTEXT_OBJECTS = ("answers_fts", "ix_answers_text_fts")
"""Full-text objects made by raw SQL in the migrations (FTS5 table + shadow tables, GIN index)."""


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic autogenerate filter: leave the hand-made full-text objects alone."""
    return not (name or "").startswith(FULLTEXT_OBJECTS)
