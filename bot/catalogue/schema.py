"""Validation of the catalogue YAML files (pydantic 1.10).

validate_catalogue(directory) reads sources.yml, vocabulary.yml (optional) and measures/*.yml
and returns (Catalogue | None, issues). Each issue prints as
    "<file>: <entry id>: <field>: <what is wrong>"
e.g. "measures/telewerk.yml: werkbaarheidscheque: answers.amount.sources[1]: unknown source id 'S999'".
The catalogue is returned only when there are no issues.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, List, Literal, Optional, Sequence

from pydantic import BaseModel, ValidationError, conint, validator

from bot.catalogue.constants import (
    ASPECTS,
    MEASURE_IDS,
    PRIORITY_OPTIONAL_IDS,
    STATES,
    TARGET_GROUPS,
    THEMES,
)
from bot.catalogue.files import Issue, checksum_of, read_yaml
from bot.catalogue.text import match_key, normalize

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SOURCE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
URL_RE = re.compile(r"^https?://[^\s/]+\S*$")


# ---------------------------------------------------------------------------- field types
def _partial_date(value: Any) -> Optional[str]:
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (YAML may give a date or an int year)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise ValueError(f"bad date '{value}': use YYYY, YYYY-MM or YYYY-MM-DD (no time)")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"bad date {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    text = str(value).strip()
    m = PARTIAL_DATE_RE.match(text)
    try:
        if not m:
            raise ValueError
        year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        dt.date(year, month, day)
        if not 1900 <= year <= 2100:
            raise ValueError
    except ValueError:
        raise ValueError(f"bad date '{text}': use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return text


def _full_date(value: Any) -> dt.date:
    text = _partial_date(value)
    if text is None or len(text) != 10:
        raise ValueError(f"bad date '{value}': use YYYY-MM-DD")
    return dt.date.fromisoformat(text)


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > 64:
        raise ValueError(f"bad id {value!r}: use lowercase a-z, 0-9 and '-'")
    return value


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise ValueError("must be text")
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValueError("empty text")
    return text


def _source_ids(value: Any) -> List[str]:
    if isinstance(value, str):
        value = [value]
    if not value:
        raise ValueError("needs at least one source id")
    if not isinstance(value, list):
        raise ValueError("must be a list of source ids")
    return [str(s).strip() for s in value]


class _Model(BaseModel):
    class Config:
        extra = "forbid"
        validate_all = True


class StatusModel(_Model):
    state: Literal["announced", "implemented", "changed", "abolished"]
    since: Optional[str] = None
    until: Optional[str] = None
    successor: Optional[str] = None
    note: Optional[str] = None

    _dates = validator("since", "until", pre=True, allow_reuse=True)(_partial_date)

    @validator("successor", pre=True)
    def _successor(cls, v):
        return None if v is None else _slug(v)

    @validator("note", pre=True)
    def _note(cls, v):
        return None if v is None or not str(v).strip() else _text(v)

    @validator("until")
    def _until(cls, v, values):
        if values.get("state") == "abolished" and not v:
            raise ValueError("an abolished entry needs its end date in 'until'")
        since = values.get("since")
        if v and since and v < since[: len(v)]:
            raise ValueError(f"'until' ({v}) is before 'since' ({since})")
        return v


class AnswerModel(_Model):
    text: str
    sources: List[str]

    _check_text = validator("text", pre=True, allow_reuse=True)(_text)
    _sources = validator("sources", pre=True, allow_reuse=True)(_source_ids)


ITEM_ANSWER_MAX = 400  # characters: a direct answer, one sentence of context
ITEM_LABEL_MAX = 60  # characters: the item's button title


class ItemModel(_Model):
    """One question-level answer: the questions it answers and a short direct answer."""

    id: str
    aspect: Literal[ASPECTS]  # type: ignore[valid-type]
    label: str
    questions: List[str]
    answer: str
    sources: List[str]
    since: Optional[str] = None
    until: Optional[str] = None

    _id = validator("id", pre=True, allow_reuse=True)(_slug)
    _dates = validator("since", "until", pre=True, allow_reuse=True)(_partial_date)
    _sources = validator("sources", pre=True, allow_reuse=True)(_source_ids)

    @validator("label", pre=True)
    def _label(cls, v):
        text = _text(v)
        if len(text) > ITEM_LABEL_MAX:
            raise ValueError(f"longer than {ITEM_LABEL_MAX} characters ({len(text)})")
        return text

    @validator("answer", pre=True)
    def _answer(cls, v):
        text = _text(v)
        if len(text) > ITEM_ANSWER_MAX:
            raise ValueError(f"longer than {ITEM_ANSWER_MAX} characters ({len(text)}): "
                             "give the direct answer and at most one sentence of context")
        return text

    @validator("questions", pre=True)
    def _questions(cls, v):
        if not isinstance(v, list) or not v:
            raise ValueError("needs a list of at least one question")
        return [_text(q) for q in v]

    @validator("until")
    def _until(cls, v, values):
        since = values.get("since")
        if v and since and v < since[: len(v)]:
            raise ValueError(f"'until' ({v}) is before 'since' ({since})")
        return v


class AnswersModel(_Model):
    overview: AnswerModel
    eligibility: AnswerModel
    how_to_apply: AnswerModel
    amount: AnswerModel
    status: AnswerModel
    contact: AnswerModel


def _vocab(allowed: Sequence[str], what: str):
    def check(cls, v):
        if v is None:
            return []
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list):
            raise ValueError(f"must be a list of {what}s")
        out = []
        for item in v:
            if item not in allowed:
                raise ValueError(f"unknown {what} {item!r} (allowed: {', '.join(allowed)})")
            if item not in out:
                out.append(item)
        return out

    return check


def _aliases(cls, v):
    if v is None:
        return []
    if not isinstance(v, list):
        raise ValueError("must be a list of texts")
    out = []
    for item in v:
        text = _text(item)
        if not normalize(text):
            raise ValueError(f"alias {text!r} has no letters or digits")
        out.append(text)
    return out


class _EntryModel(_Model):
    id: str
    title: str
    summary: str
    status: StatusModel
    target_groups: List[str] = []
    themes: List[str] = []
    aliases: List[str] = []
    answers: AnswersModel
    items: List[ItemModel] = []

    _id = validator("id", pre=True, allow_reuse=True)(_slug)
    _texts = validator("title", "summary", pre=True, allow_reuse=True)(_text)
    _groups = validator("target_groups", pre=True, allow_reuse=True)(_vocab(TARGET_GROUPS, "target group"))
    _themes = validator("themes", pre=True, allow_reuse=True)(_vocab(THEMES, "theme"))
    _aliases = validator("aliases", pre=True, allow_reuse=True)(_aliases)

    @validator("items", pre=True)
    def _items(cls, v):
        return [] if v is None else v

    def content_hash(self, exclude: Optional[set] = None) -> str:
        data = json.dumps(self.dict(exclude=exclude), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


class InstrumentModel(_EntryModel):
    last_verified: Optional[dt.date] = None

    @validator("last_verified", pre=True)
    def _verified(cls, v):
        return None if v is None else _full_date(v)


class MeasureModel(_EntryModel):
    priority: Optional[conint(ge=1, le=3)] = None
    last_verified: dt.date
    instruments: List[InstrumentModel] = []

    _verified = validator("last_verified", pre=True, allow_reuse=True)(_full_date)

    @validator("instruments", pre=True)
    def _instruments(cls, v):
        return [] if v is None else v


class SourceModel(_Model):
    id: str
    url: str
    title: str
    published: Optional[str] = None

    _title = validator("title", pre=True, allow_reuse=True)(_text)
    _published = validator("published", pre=True, allow_reuse=True)(_partial_date)

    @validator("id", pre=True)
    def _id(cls, v):
        if not isinstance(v, str) or not SOURCE_ID_RE.match(v):
            raise ValueError(f"bad source id {v!r}")
        return v

    @validator("url", pre=True)
    def _url(cls, v):
        if not isinstance(v, str) or not URL_RE.match(v.strip()):
            raise ValueError(f"bad url {v!r}: must start with http:// or https://")
        return v.strip()


class SourcesFileModel(_Model):
    sources: List[SourceModel]


# ---------------------------------------------------------------------------- results
@dataclass
class Catalogue:
    directory: Path
    sources: List[SourceModel]
    measures: List[MeasureModel]  # in the fixed display order
    checksum: str
    files: List[str] = field(default_factory=list)

    @property
    def instruments(self) -> List[InstrumentModel]:
        return [i for m in self.measures for i in m.instruments]


# ---------------------------------------------------------------------------- pydantic errors
_MESSAGES = {
    "value_error.missing": "missing",
    "type_error.none.not_allowed": "missing (null)",
    "value_error.number.not_ge": "must be 1, 2 or 3",
    "value_error.number.not_le": "must be 1, 2 or 3",
}


def _loc(parts: Iterable[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _convert(exc: ValidationError, rel: str, data: dict, default_entry: str) -> list[Issue]:
    issues = []
    for err in exc.errors():
        loc = list(err["loc"])
        if loc and loc[-1] == "__root__":
            loc.pop()
        entry = default_entry
        if len(loc) >= 2 and loc[0] in ("instruments", "sources") and isinstance(loc[1], int):
            items = data.get(loc[0]) if isinstance(data.get(loc[0]), list) else []
            item = items[loc[1]] if loc[1] < len(items) else None
            raw_id = item.get("id") if isinstance(item, dict) else None
            entry = raw_id if isinstance(raw_id, str) and raw_id else f"{loc[0]}[{loc[1]}]"
            loc = loc[2:]
        kind = err["type"]
        message = _MESSAGES.get(kind, err["msg"])
        if kind == "value_error.extra":
            message = (
                f"unknown aspect (allowed: {', '.join(ASPECTS)})"
                if len(loc) == 2 and loc[0] == "answers"
                else "unknown field"
            )
        elif kind.startswith("value_error.const") or "permitted" in err["msg"]:
            message = f"unknown value ({err['msg']})"
        elif kind.startswith("type_error") and kind not in _MESSAGES:
            message = f"wrong type: {err['msg']}"
        issues.append(Issue(rel, str(entry), _loc(loc), message))
    return issues


# ---------------------------------------------------------------------------- validation
def _measure_files(directory: Path) -> list[Path]:
    folder = directory / "measures"
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix in (".yml", ".yaml")
    )


def validate_catalogue(
    directory: Path | str, expected_ids: Optional[Sequence[str]] = MEASURE_IDS
) -> tuple[Optional[Catalogue], list[Issue]]:
    """Validate every file. expected_ids=None accepts any set of measure ids (test fixtures)."""
    directory = Path(directory)
    issues: list[Issue] = []
    raw_parts: list[tuple[str, bytes]] = []
    if not directory.is_dir():
        return None, [Issue(str(directory), "", "", "catalogue directory not found")]

    # sources.yml
    sources: list[SourceModel] = []
    data, errs, raw = read_yaml(directory / "sources.yml", "sources.yml") if (
        directory / "sources.yml"
    ).is_file() else (None, [Issue("sources.yml", "", "", "file missing")], b"")
    issues += errs
    raw_parts.append(("sources.yml", raw))
    if data is not None:
        try:
            sources = SourcesFileModel.parse_obj(data).sources
        except ValidationError as exc:
            issues += _convert(exc, "sources.yml", data, "")
    seen_sources: set[str] = set()
    for s in sources:
        if s.id in seen_sources:
            issues.append(Issue("sources.yml", s.id, "id", "duplicate source id"))
        seen_sources.add(s.id)

    # vocabulary.yml (owned by the NLU side; only checked for readability here)
    vocab_path = directory / "vocabulary.yml"
    if vocab_path.is_file():
        _, errs, raw = read_yaml(vocab_path, "vocabulary.yml")
        issues += errs
        raw_parts.append(("vocabulary.yml", raw))

    # measures/*.yml
    measures: list[tuple[str, MeasureModel]] = []
    files = _measure_files(directory)
    if not (directory / "measures").is_dir():
        issues.append(Issue("measures/", "", "", "directory missing"))
    found_ids: dict[str, str] = {}
    for path in files:
        rel = f"measures/{path.name}"
        stem = path.stem
        data, errs, raw = read_yaml(path, rel)
        raw_parts.append((rel, raw))
        issues += errs
        if stem in found_ids:
            issues.append(Issue(rel, stem, "", f"duplicate file for this id (also {found_ids[stem]})"))
            continue
        found_ids[stem] = rel
        if expected_ids is not None and stem not in expected_ids:
            issues.append(Issue(rel, stem, "", f"not one of the {len(expected_ids)} fixed measure ids"))
        if data is None:
            continue
        raw_id = data.get("id")
        entry = raw_id if isinstance(raw_id, str) and raw_id else stem
        try:
            model = MeasureModel.parse_obj(data)
        except ValidationError as exc:
            issues += _convert(exc, rel, data, entry)
            continue
        if model.id != stem:
            issues.append(Issue(rel, model.id, "id", f"does not match the file name (expected '{stem}')"))
        if model.priority is None and model.id not in PRIORITY_OPTIONAL_IDS:
            issues.append(Issue(rel, model.id, "priority", "missing (1, 2 or 3)"))
        measures.append((rel, model))
    if expected_ids is not None:
        for mid in expected_ids:
            if mid not in found_ids:
                issues.append(Issue(f"measures/{mid}.yml", mid, "", "file missing (required measure id)"))

    issues += _cross_check(measures, seen_sources)
    if issues:
        return None, issues
    order = {mid: i for i, mid in enumerate(expected_ids or MEASURE_IDS)}
    ordered = sorted((m for _, m in measures), key=lambda m: (order.get(m.id, len(order)), m.id))
    checksum = checksum_of(raw_parts)
    return Catalogue(directory, sources, ordered, checksum, sorted(r for r, _ in raw_parts)), []


def _cross_check(measures: list[tuple[str, MeasureModel]], source_ids: set[str]) -> list[Issue]:
    issues: list[Issue] = []
    owners: dict[str, tuple[str, str]] = {}  # id -> (file, kind)
    for rel, m in measures:
        owners.setdefault(m.id, (rel, "measure"))
    for rel, m in measures:
        for inst in m.instruments:
            if inst.id in owners:
                other = owners[inst.id]
                issues.append(Issue(rel, inst.id, "id", f"already used by a {other[1]} in {other[0]}"))
            else:
                owners[inst.id] = (rel, "instrument")

    alias_owner: dict[str, tuple[str, str, str]] = {}  # match key -> (file, entry, alias)
    item_owner: dict[str, str] = {}  # item id -> file
    for rel, m in measures:
        for entry in [m, *m.instruments]:
            for aspect in ASPECTS:
                answer = getattr(entry.answers, aspect)
                for i, sid in enumerate(answer.sources):
                    if sid not in source_ids:
                        issues.append(
                            Issue(rel, entry.id, f"answers.{aspect}.sources[{i}]", f"unknown source id '{sid}'")
                        )
            for n, item in enumerate(entry.items):
                if item.id in item_owner:
                    issues.append(Issue(rel, entry.id, f"items[{n}].id",
                                        f"duplicate item id '{item.id}' (also in {item_owner[item.id]})"))
                item_owner.setdefault(item.id, rel)
                for i, sid in enumerate(item.sources):
                    if sid not in source_ids:
                        issues.append(Issue(rel, entry.id, f"items[{n}].sources[{i}]", f"unknown source id '{sid}'"))
            successor = entry.status.successor
            if successor is not None:
                if successor == entry.id:
                    issues.append(Issue(rel, entry.id, "status.successor", "an entry cannot succeed itself"))
                elif successor not in owners:
                    issues.append(
                        Issue(rel, entry.id, "status.successor", f"'{successor}' is not a measure or instrument id")
                    )
            seen_here: set[str] = set()
            for i, alias in enumerate(entry.aliases):
                key = match_key(normalize(alias))
                if key in seen_here:
                    continue
                seen_here.add(key)
                if key in alias_owner:
                    o_rel, o_entry, o_alias = alias_owner[key]
                    issues.append(
                        Issue(rel, entry.id, f"aliases[{i}]",
                              f"duplicate alias {alias!r}: also {o_alias!r} of {o_entry} ({o_rel})")
                    )
                else:
                    alias_owner[key] = (rel, entry.id, alias)
    return issues
