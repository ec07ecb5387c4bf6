"""The benchmark table: rows with a project value, a stock value and their ratio, printed as
text with footnotes, and written with the raw measurements as JSON."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence


@dataclass
class Row:
    section: str
    key: str  # stable id, e.g. "latency.catalogue.p50"
    label: str
    unit: str  # %, ms, s, msg/s, MB, count, x
    project: Optional[float] = None
    stock: Optional[float] = None
    note: str = ""

    @property
    def ratio(self) -> Optional[float]:
        if self.project is None or self.stock is None or self.stock == 0:
            return None
        return self.project / self.stock

    def as_dict(self) -> Dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


def format_value(value: Optional[float], unit: str = "") -> str:
    if value is None:
        return "n/a"
    if unit == "count" or (unit in ("MB", "ms") and abs(value) >= 100):
        return f"{value:.0f}"
    return f"{value:.2f}" if unit == "x" else f"{value:.1f}"


def render(rows: Sequence[Row], title: str = "") -> str:
    """One text table: metric, unit, project, stock, project/stock; notes as footnotes."""
    notes: List[str] = []
    labels = []
    for row in rows:
        if row.note and row.note not in notes:
            notes.append(row.note)
        labels.append(f"{row.label} [{notes.index(row.note) + 1}]" if row.note else row.label)
    width = max([len(label) for label in labels] + [len("metric")])
    header = f"{'metric':<{width}}  {'unit':<6} {'project':>9} {'stock':>9} {'project/stock':>13}"
    lines = [title, "=" * len(header)] if title else []
    lines += [header, "-" * len(header)]
    section = None
    for row, label in zip(rows, labels):
        if row.section != section:
            section = row.section
            lines.append(section)
        ratio = "n/a" if row.ratio is None else f"{row.ratio:.2f}"
        lines.append(f"{label:<{width}}  {row.unit:<6} {format_value(row.project, row.unit):>9} "
                     f"{format_value(row.stock, row.unit):>9} {ratio:>13}")
    lines.append("-" * len(header))
    lines += [f"[{i}] {note}" for i, note in enumerate(notes, start=1)]
    return "\n".join(lines)


def write_results(out_dir: Path, text: str, rows: Sequence[Row], extra: Dict[str, Any]) -> None:
    """results.txt (what was printed) and results.json (the rows, then `extra`: ablation, meta, raw)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.txt").write_text(text + "\n", encoding="utf-8")
    data = {"columns": ["project", "stock", "ratio = project/stock"], "rows": [r.as_dict() for r in rows], **extra}
    (out_dir / "results.json").write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n",
                                          encoding="utf-8")
