"""The benchmark table: rows with a project value, a stock value and their ratio; printed as
text and written as JSON."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from bot.bench.stats import ratio

PROJECT = "project"
STOCK = "stock"


@dataclass
class Row:
    section: str
    key: str  # stable id, e.g. "latency.catalogue.p50"
    label: str
    unit: str  # %, ms, s, msg/s, MB, count
    project: Optional[float] = None
    stock: Optional[float] = None
    better: Optional[str] = "lower"  # lower | higher | None (neither)
    note: str = ""

    @property
    def ratio(self) -> Optional[float]:
        return ratio(self.project, self.stock)

    def as_dict(self) -> Dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        return data


def format_value(value: Optional[float], unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "count":
        return f"{value:.0f}"
    if unit == "MB":
        return f"{value:.0f}" if abs(value) >= 100 else f"{value:.1f}"
    if unit == "ms" and abs(value) >= 1000:
        return f"{value:.0f}"
    return f"{value:.1f}"


def format_ratio(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def render(rows: Sequence[Row], title: str = "") -> str:
    """One text table: metric, unit, project, stock, project/stock; notes as footnotes."""
    notes: List[str] = []
    labels = []
    for row in rows:
        label = row.label
        if row.note:
            if row.note not in notes:
                notes.append(row.note)
            label = f"{label} [{notes.index(row.note) + 1}]"
        labels.append(label)
    width = max([len(label) for label in labels] + [len("metric")])
    header = f"{'metric':<{width}}  {'unit':<6} {'project':>9} {'stock':>9} {'project/stock':>13}"
    lines = [title, "=" * len(header)] if title else []
    lines += [header, "-" * len(header)]
    section = None
    for row, label in zip(rows, labels):
        if row.section != section:
            section = row.section
            lines.append(f"{section}")
        lines.append(f"{label:<{width}}  {row.unit:<6} {format_value(row.project, row.unit):>9} "
                     f"{format_value(row.stock, row.unit):>9} {format_ratio(row.ratio):>13}")
    lines.append("-" * len(header))
    lines += [f"[{i}] {note}" for i, note in enumerate(notes, start=1)]
    return "\n".join(lines)


def to_json(rows: Sequence[Row], meta: Dict[str, Any], raw: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    return {"meta": meta, "columns": [PROJECT, STOCK, "ratio = project/stock"],
            "rows": [row.as_dict() for row in rows], "raw": raw or {}}


def write_json(path: Path, rows: Sequence[Row], meta: Dict[str, Any],
               raw: Optional[Dict[str, Any]] = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_json(rows, meta, raw), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")


def rows_from_json(data: Dict[str, Any]) -> List[Row]:
    fields = {"section", "key", "label", "unit", "project", "stock", "better", "note"}
    return [Row(**{k: v for k, v in item.items() if k in fields}) for item in data.get("rows", [])]
