"""Question sets with answer keys, in three formats.

- YAML mapping (like ../shared/eval/dev_questions.yml): `questions:` and optional
  `conversations:`; a question has `id`, `text`, `expect` (a measure id, `out_of_scope`, or
  alternatives joined by `|`), optional `aspect`, `must` (groups of lowercase substrings: the
  reply must contain one string of every group) and `must_not` (strings that must not occur).
  A conversation has `id` and `turns` (questions without `id`).
- The old format: a YAML list or a CSV file with `question` and optionally `expected`.
- CSV with columns id, text, expect, aspect, must, must_not: groups in `must` separated by
  ";", alternatives by "|"; in `must_not` every string separated by ";" or "|".
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, List, Optional, Tuple

import yaml

from bot.rasa_api import OUT_OF_SCOPE

LABEL_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CSV_COLUMNS = ("id", "text", "expect", "aspect", "must", "must_not")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    expect: Optional[str] = None  # None: no expected measure, the question is only asked
    aspect: Optional[str] = None
    must: Tuple[Tuple[str, ...], ...] = ()
    must_not: Tuple[str, ...] = ()

    @property
    def alternatives(self) -> Tuple[str, ...]:
        return tuple(self.expect.split("|")) if self.expect else ()

    @property
    def keyed(self) -> bool:
        """Has an answer key (as in score.py: `must` groups; `must_not` alone is not scored)."""
        return bool(self.must)


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: Tuple[Question, ...]


@dataclass
class QuestionSet:
    questions: List[Question] = field(default_factory=list)
    conversations: List[Conversation] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.questions) + sum(len(c.turns) for c in self.conversations)


class QuestionFileError(ValueError):
    """A Dutch message naming the file and the row."""


def load_question_set(path: Path) -> QuestionSet:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise QuestionFileError(f"{path}: kan het bestand niet lezen: {error}") from error
    if path.suffix.lower() == ".csv":
        return QuestionSet(questions=_csv(path, text))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise QuestionFileError(f"{path}: geen geldige YAML: {error}") from error
    if isinstance(data, list):
        return QuestionSet(questions=_unique(path, [_item(f"{path}, vraag {n}", row, f"{n}", strict=False)
                                                    for n, row in enumerate(data, start=1)]))
    if isinstance(data, dict) and ("questions" in data or "conversations" in data):
        return _mapping(path, data)
    raise QuestionFileError(f"{path}: verwacht een lijst met vragen, of 'questions:' met een lijst.")


def _mapping(path: Path, data: dict) -> QuestionSet:
    questions, conversations = data.get("questions") or [], data.get("conversations") or []
    if not isinstance(questions, list) or not isinstance(conversations, list):
        raise QuestionFileError(f"{path}: 'questions' en 'conversations' moeten lijsten zijn.")
    result = QuestionSet(questions=[_item(f"{path}, vraag {n}", row, None, strict=True)
                                    for n, row in enumerate(questions, start=1)])
    for n, conversation in enumerate(conversations, start=1):
        where = f"{path}, gesprek {n}"
        if not isinstance(conversation, dict) or not _text(conversation.get("id")):
            raise QuestionFileError(f"{where}: het gesprek heeft geen 'id'.")
        cid = _text(conversation["id"])
        turns = conversation.get("turns")
        if not isinstance(turns, list) or not turns:
            raise QuestionFileError(f"{where} ({cid}): 'turns' moet een lijst met beurten zijn.")
        result.conversations.append(Conversation(cid, tuple(
            _item(f"{where} ({cid}), beurt {i + 1}", turn, f"{cid}#{i}", strict=True)
            for i, turn in enumerate(turns))))
    _unique(path, result.questions + [t for c in result.conversations for t in c.turns])
    return result


def _csv(path: Path, text: str) -> List[Question]:
    header = text.split("\n", 1)[0]
    dialect = "excel" if header.count(",") >= header.count(";") else _Semicolon
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    questions = []
    try:
        columns = {c.strip() for c in reader.fieldnames or [] if c}
        new = "text" in columns
        missing = [c for c in ("id", "text", "expect") if c not in columns]
        if new and missing:
            raise QuestionFileError(f"{path}: kolom ontbreekt: {', '.join(missing)} "
                                    f"(kolommen: {', '.join(CSV_COLUMNS)}).")
        if not new and "question" not in columns:
            raise QuestionFileError(f"{path}: verwacht de kolommen {', '.join(CSV_COLUMNS)}, "
                                    f"of question en expected.")
        for row in reader:
            row = {(k or "").strip(): v for k, v in row.items()}
            if new:
                row["must"] = [g.split("|") for g in (row.get("must") or "").split(";") if g.strip()]
                row["must_not"] = re.split(r"[;|]", row.get("must_not") or "")
            line = reader.line_num
            questions.append(_item(f"{path}, rij {line}", row, None if new else f"{line}", strict=new))
    except csv.Error as error:
        raise QuestionFileError(f"{path}, rij {reader.line_num}: geen geldige CSV: {error}") from error
    return _unique(path, questions)


class _Semicolon(csv.excel):
    delimiter = ";"


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value).strip()


def _item(where: str, row: Any, default_id: Optional[str], strict: bool) -> Question:
    """One question or turn: the new keys (id, text, expect, ...) or the old ones (question,
    expected). `strict`: the answer-key formats, where `expect` is required."""
    if not isinstance(row, dict):
        raise QuestionFileError(f"{where}: verwacht velden zoals text en expect.")
    new = "text" in row or "question" not in row
    text = _text(row.get("text") if new else row.get("question"))
    if not text:
        raise QuestionFileError(f"{where}: de vraag is leeg ('{'text' if new else 'question'}' ontbreekt).")
    qid = _text(row.get("id")) or default_id
    if not qid:
        raise QuestionFileError(f"{where}: 'id' ontbreekt.")
    expect = _text(row.get("expect") if new else row.get("expected")) or None
    if expect is None and strict:
        raise QuestionFileError(f"{where} ({qid}): 'expect' ontbreekt (een maatregel of {OUT_OF_SCOPE}).")
    if expect is not None and not all(LABEL_RE.match(a) for a in expect.split("|")):
        raise QuestionFileError(f"{where} ({qid}): 'expect' is geen maatregel of {OUT_OF_SCOPE}: {expect!r}.")
    return Question(qid, text, expect, _text(row.get("aspect")) or None,
                    _groups(f"{where} ({qid})", row.get("must")),
                    _strings(f"{where} ({qid})", "must_not", row.get("must_not")))


def _strings(where: str, name: str, value: Any) -> Tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int, float)):
        value = [value]
    if not isinstance(value, list):
        raise QuestionFileError(f"{where}: '{name}' moet een lijst met teksten zijn.")
    strings = tuple(s for s in (_text(v) for v in value) if s)
    upper = [s for s in strings if s != s.lower()]
    if upper:
        raise QuestionFileError(f"{where}: '{name}' moet in kleine letters (het antwoord wordt in kleine "
                                f"letters vergeleken): {upper[0]!r}.")
    return strings


def _groups(where: str, value: Any) -> Tuple[Tuple[str, ...], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise QuestionFileError(f"{where}: 'must' moet een lijst met groepen zijn, "
                                f"bv. [[\"190\"], [\"a\", \"b\"]].")
    groups = tuple(_strings(where, "must", group) for group in value)
    if any(not g for g in groups):
        raise QuestionFileError(f"{where}: 'must' heeft een lege groep.")
    return groups


def _unique(path: Path, questions: List[Question]) -> List[Question]:
    seen = set()
    for question in questions:
        if question.id in seen:
            raise QuestionFileError(f"{path}: de id {question.id!r} komt twee keer voor.")
        seen.add(question.id)
    return questions
