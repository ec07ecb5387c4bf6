"""Accuracy of the primary measure per expected label, and the confusions."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

from bot.evaluation.client import OUT_OF_SCOPE, BotTurn
from bot.evaluation.questions import Question


@dataclass
class Scores:
    rows: List[Tuple[Question, BotTurn]]

    @property
    def labelled(self) -> List[Tuple[Question, BotTurn]]:
        return [(q, t) for q, t in self.rows if q.expected]

    def correct(self, question: Question, turn: BotTurn) -> bool:
        return turn.primary_measure == question.expected

    def accuracy(self, in_scope: bool) -> Tuple[int, int]:
        rows = [(q, t) for q, t in self.labelled if (q.expected != OUT_OF_SCOPE) == in_scope]
        return sum(self.correct(q, t) for q, t in rows), len(rows)

    def per_label(self) -> Dict[str, Tuple[int, int]]:
        totals: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
        for question, turn in self.labelled:
            totals[question.expected][0] += self.correct(question, turn)
            totals[question.expected][1] += 1
        return {label: (c, n) for label, (c, n) in sorted(totals.items())}

    def confusions(self) -> Counter:
        return Counter((q.expected, t.primary_measure) for q, t in self.labelled
                       if not self.correct(q, t))

    def labels(self) -> List[str]:
        seen = {q.expected for q, _ in self.labelled} | {t.primary_measure for _, t in self.labelled}
        return sorted(seen - {OUT_OF_SCOPE}) + [OUT_OF_SCOPE]

    def misses_worst_first(self) -> List[Tuple[Question, BotTurn]]:
        """Wrong answers given with the most confidence first: those mislead people most."""
        misses = [(q, t) for q, t in self.labelled if not self.correct(q, t)]
        return sorted(misses, key=lambda qt: -(qt[1].confidence or 0.0))


def summary_lines(scores: Scores) -> Sequence[str]:
    def pct(c: int, n: int) -> str:
        return f"{100.0 * c / n:5.1f} % ({c}/{n})" if n else "  n/a"

    lines = [f"Primaire maatregel juist: {pct(*scores.accuracy(True))}",
             f"Buiten bereik correct geweigerd: {pct(*scores.accuracy(False))}",
             "", "Per verwachte maatregel:"]
    lines += [f"  {label:32} {pct(c, n)}" for label, (c, n) in scores.per_label().items()]
    confusions = scores.confusions()
    if confusions:
        lines += ["", "Verwisselingen (verwacht -> gekregen: aantal):"]
        lines += [f"  {e} -> {g}: {n}" for (e, g), n in confusions.most_common()]
    return lines
