"""The HTML report of an evaluation (templates/report.html): the summary, the confusion matrix
(matplotlib PNG) and every failing question, worst first."""
from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Optional

import jinja2

from bot.evaluation.scoring import DECLINE, FOLLOW_UP, KIND_NL, MEASURE, OPENER, Results, pct

TEMPLATES = Path(__file__).resolve().parent / "templates"


def confusion_png(results: Results) -> Optional[str]:
    """The confusion matrix (expected label against the primary measure) as base64 PNG."""
    labelled = [j for j in results.judged if j.right is not None]
    if not labelled:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = results.labels()
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for judged in labelled:
        matrix[index[judged.expected_label]][index[judged.got]] += 1
    size = max(6, 0.45 * len(labels))
    figure, axes = plt.subplots(figsize=(size + 2, size))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels=labels, rotation=90, fontsize=8)
    axes.set_yticks(range(len(labels)), labels=labels, fontsize=8)
    axes.set_xlabel("gekregen")
    axes.set_ylabel("verwacht")
    for row, values in enumerate(matrix):
        for column, value in enumerate(values):
            if value:
                axes.text(column, row, str(value), ha="center", va="center", fontsize=7,
                          color="white" if row == column else "black")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def render_report(results: Results, title: str = "Evaluatie van de chatbot", matrix: bool = True) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = pct
    figures = results.figures()
    summary = [(KIND_NL[kind], results.rate(kind)) for kind in (MEASURE, DECLINE, OPENER, FOLLOW_UP)]
    summary.append(("Beantwoordt de vraag (antwoordsleutel)", figures["answers"]))
    return env.get_template("report.html").render(
        title=title, figures=figures, summary=summary, failures=results.failures_worst_first(),
        judged=len(results.judged), errors=results.errors,
        understood=any(j.intent for j in results.judged),
        matrix_png=confusion_png(results) if matrix else None)


def write_report(results: Results, path: Path, title: str = "Evaluatie van de chatbot") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(results, title), encoding="utf-8")
