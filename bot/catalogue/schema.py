"""The catalogue YAML as pydantic 1.10 models: field types and the rules of one entry.

Rules across files (known source ids, unique ids and aliases, successors) are in
bot.catalogue.validate, which reads the files and reports every problem with its place.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any, List, Literal, Optional

from pydantic import AnyHttpUrl, BaseModel, constr, validator

from bot.catalogue.constants import ASPECTS, PRIORITIES, STATES, TARGET_GROUPS, THEMES
from bot.catalogue.text import normalize

Slug = constr(regex=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)
SourceId = constr(regex=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=64)
Text = constr(strip_whitespace=True, min_length=1)
Aspect = Literal[ASPECTS]  # type: ignore[valid-type]
TargetGroup = Literal[TARGET_GROUPS]  # type: ignore[valid-type]
Theme = Literal[THEMES]  # type: ignore[valid-type]

ITEM_ANSWER_MAX = 400  # characters: a direct answer, one sentence of context
ITEM_LABEL_MAX = 60  # characters: the item's button title
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def partial_date(value: Any) -> Optional[str]:
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (YAML may give a date or an int year)."""
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    match = _PARTIAL_DATE.match(text)
    try:
        year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
        dt.date(year, month, day)
        assert 1900 <= year <= 2100
    except (AttributeError, ValueError, AssertionError):
        raise ValueError(f"bad date '{value}': use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return text


def full_date(value: Any) -> dt.date:
    text = partial_date(value)
    if text is None or len(text) != 10:
        raise ValueError(f"bad date '{value}': use YYYY-MM-DD")
    return dt.date.fromisoformat(text)


def _list(value: Any) -> Any:
    """A single value where a list is expected is read as a list of one; null as empty."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


def _unique(values: List[Any]) -> List[Any]:
    return list(dict.fromkeys(values))


class _Model(BaseModel):
    class Config:
        extra = "forbid"
        validate_all = True


class StatusModel(_Model):
    state: Literal[STATES]  # type: ignore[valid-type]
    since: Optional[str] = None
    until: Optional[str] = None
    successor: Optional[Slug] = None
    note: Optional[str] = None

    _dates = validator("since", "until", pre=True, allow_reuse=True)(partial_date)

    @validator("note", pre=True)
    def _note(cls, v):
        return str(v).strip() or None if v is not None else None

    @validator("until")
    def _until(cls, v, values):
        if values.get("state") == "abolished" and not v:
            raise ValueError("an abolished entry needs its end date in 'until'")
        since = values.get("since")
        if v and since and v < since[: len(v)]:
            raise ValueError(f"'until' ({v}) is before 'since' ({since})")
        return v


class AnswerModel(_Model):
    text: Text
    sources: List[SourceId]

    _sources = validator("sources", pre=True, allow_reuse=True)(_list)

    @validator("sources")
    def _some(cls, v):
        if not v:
            raise ValueError("needs at least one source id")
        return v


class ItemModel(AnswerModel):
    """One question-level answer: the questions it answers and a short direct answer."""

    id: Slug
    aspect: Aspect
    label: constr(strip_whitespace=True, min_length=1, max_length=ITEM_LABEL_MAX)
    questions: List[Text]
    text: constr(strip_whitespace=True, min_length=1, max_length=ITEM_ANSWER_MAX)
    since: Optional[str] = None
    until: Optional[str] = None

    _dates = validator("since", "until", pre=True, allow_reuse=True)(partial_date)

    class Config:
        fields = {"text": "answer"}  # the YAML calls the item's text `answer`

    @validator("questions")
    def _questions(cls, v):
        if not v:
            raise ValueError("needs at least one question")
        return v


class AnswersModel(_Model):
    overview: AnswerModel
    eligibility: AnswerModel
    how_to_apply: AnswerModel
    amount: AnswerModel
    status: AnswerModel
    contact: AnswerModel


class _EntryModel(_Model):
    id: Slug
    title: Text
    summary: Text
    status: StatusModel
    target_groups: List[TargetGroup] = []
    themes: List[Theme] = []
    aliases: List[Text] = []
    answers: AnswersModel
    items: List[ItemModel] = []

    _lists = validator("target_groups", "themes", "aliases", "items", pre=True, allow_reuse=True)(_list)
    _deduplicated = validator("target_groups", "themes", allow_reuse=True)(_unique)

    @validator("aliases", each_item=True)
    def _alias(cls, v):
        if not normalize(v):
            raise ValueError(f"alias {v!r} has no letters or digits")
        return v

    def content_hash(self, exclude: Optional[set] = None) -> str:
        data = json.dumps(self.dict(exclude=exclude), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


class InstrumentModel(_EntryModel):
    last_verified: Optional[dt.date] = None

    @validator("last_verified", pre=True)
    def _verified(cls, v):
        return None if v is None else full_date(v)


class MeasureModel(_EntryModel):
    priority: Optional[Literal[PRIORITIES]] = None  # type: ignore[valid-type]
    last_verified: dt.date
    instruments: List[InstrumentModel] = []

    _verified = validator("last_verified", pre=True, allow_reuse=True)(full_date)
    _instruments = validator("instruments", pre=True, allow_reuse=True)(_list)


class SourceModel(_Model):
    id: SourceId
    url: AnyHttpUrl
    title: Text
    published: Optional[str] = None

    _published = validator("published", pre=True, allow_reuse=True)(partial_date)


class SourcesFileModel(_Model):
    sources: List[SourceModel]
