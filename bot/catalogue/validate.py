"""Validation of the catalogue files: every problem, with its file, entry and field.

validate_catalogue(directory) reads sources.yml, vocabulary.yml (optional) and measures/*.yml
and returns (Catalogue | None, issues). Each issue prints as
    "<file>: <entry id>: <field>: <what is wrong>"
e.g. "measures/telewerk.yml: werkbaarheidscheque: answers.amount.sources[1]: unknown source id 'S999'".
The catalogue is returned only when there are no issues: nothing is loaded half.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, List, Optional, Sequence

from pydantic import ValidationError

from bot.catalogue.constants import ASPECTS, MEASURE_IDS, PRIORITY_OPTIONAL_IDS
from bot.catalogue.files import Issue, checksum_of, read_yaml
from bot.catalogue.schema import InstrumentModel, MeasureModel, SourceModel, SourcesFileModel
from bot.catalogue.text import match_key, normalize


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
def _loc(parts: Iterable[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _convert(exc: ValidationError, rel: str, data: dict, default_entry: str) -> list[Issue]:
    """pydantic's errors, each named by the entry (measure, instrument or source) it is in."""
    issues = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if p != "__root__"]
        entry = default_entry
        if len(loc) >= 2 and loc[0] in ("instruments", "sources") and isinstance(loc[1], int):
            items = data.get(loc[0]) if isinstance(data.get(loc[0]), list) else []
            item = items[loc[1]] if loc[1] < len(items) else None
            raw_id = item.get("id") if isinstance(item, dict) else None
            entry = raw_id if isinstance(raw_id, str) and raw_id else f"{loc[0]}[{loc[1]}]"
            loc = loc[2:]
        issues.append(Issue(rel, str(entry), _loc(loc), err["msg"]))
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
