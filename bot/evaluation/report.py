"""The HTML report of an evaluation: summary, confusion matrix (matplotlib), every question."""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from bot.evaluation.scoring import Scores, summary_lines


def confusion_png(scores: Scores) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = scores.labels()
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for question, turn in scores.labelled:
        matrix[index[question.expected]][index[turn.primary_measure]] += 1
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


def write_report(scores: Scores, path: Path) -> None:
    e = html.escape
    parts = ["<!doctype html><html lang='nl'><head><meta charset='utf-8'>",
             "<title>Evaluatie chatbot</title><style>body{font-family:sans-serif;margin:2em}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 6px;"
             "vertical-align:top;font-size:13px}.miss{background:#fde2e2}pre{white-space:pre-wrap}"
             "</style></head><body><h1>Evaluatie van de chatbot</h1>",
             f"<pre>{e(chr(10).join(summary_lines(scores)))}</pre>"]
    if scores.labelled:
        parts.append(f"<h2>Verwarringsmatrix</h2><img alt='verwarringsmatrix' "
                     f"src='data:image/png;base64,{confusion_png(scores)}'>")
    misses = scores.misses_worst_first()
    ordered = misses + [row for row in scores.rows if row not in misses]
    parts.append("<h2>Alle vragen (ergste fouten eerst)</h2><table><tr><th>vraag</th>"
                 "<th>verwacht</th><th>maatregel</th><th>intent</th><th>zekerheid</th>"
                 "<th>antwoord</th></tr>")
    for question, turn in ordered:
        css = " class='miss'" if (question, turn) in misses else ""
        confidence = f"{turn.confidence:.2f}" if turn.confidence is not None else ""
        parts.append(f"<tr{css}><td>{e(question.question)}</td><td>{e(question.expected or '')}</td>"
                     f"<td>{e(turn.primary_measure)}</td><td>{e(turn.intent or '')}</td>"
                     f"<td>{confidence}</td><td><pre>{e(turn.answer)}</pre></td></tr>")
    parts.append("</table></body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), encoding="utf-8")
