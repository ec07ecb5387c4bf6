"""Question sets: a CSV file (columns question and, optionally, expected) or a YAML list."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import yaml


@dataclass(frozen=True)
class Question:
    question: str
    expected: Optional[str] = None  # a measure id or out_of_scope


class QuestionFileError(ValueError):
    pass


def load_questions(path: Path) -> List[Question]:
    try:
        if path.suffix.lower() == ".csv":
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
        else:
            rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, csv.Error) as error:
        raise QuestionFileError(f"{path}: kan het bestand niet lezen: {error}") from error
    if not isinstance(rows, list):
        raise QuestionFileError(f"{path}: verwacht een lijst met vragen")
    questions = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not str(row.get("question") or "").strip():
            raise QuestionFileError(f"{path}: rij {number} heeft geen 'question'")
        expected = str(row.get("expected") or "").strip() or None
        questions.append(Question(str(row["question"]).strip(), expected))
    return questions
