"""Scoring, with the rules of ../shared/eval/score.py.

- right measure: the first measure id equals one alternative of `expect`; `out_of_scope`: the
  reply names no measure.
- answers the question: the lowercased reply text contains one string of every `must` group
  and none of `must_not` (scored only for questions with `must`).
- kinds: a single question is `measure` or `out_of_scope` (by its `expect`); in a conversation
  the first turn is an opener, the turns after it are follow-ups.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from bot.evaluation.questions import Question
from bot.rasa_api import OUT_OF_SCOPE, Turn

MEASURE, DECLINE, OPENER, FOLLOW_UP = "measure", "out_of_scope", "conversation openers", "follow-ups"
NO_ASPECT = "turn"
KIND_NL = {MEASURE: "Juiste maatregel (binnen bereik)", DECLINE: "Buiten bereik correct geweigerd",
           OPENER: "Eerste vraag van een gesprek", FOLLOW_UP: "Vervolgvragen"}


def right_measure(expect: str, ids: List[str]) -> bool:
    return any((alt == OUT_OF_SCOPE and not ids) or (bool(ids) and ids[0] == alt)
               for alt in expect.split("|"))


def key_failures(question: Question, reply: str) -> Tuple[List[Tuple[str, ...]], List[str]]:
    """The `must` groups of which the reply contains no string, and the `must_not` strings it contains."""
    text = reply.lower()
    missing = [group for group in question.must if not any(s in text for s in group)]
    return missing, [s for s in question.must_not if s in text]


@dataclass
class Judged:
    question: Question
    kind: str
    turn: Turn
    seconds: float = 0.0
    conversation: Optional[str] = None
    intent: Optional[str] = None
    confidence: Optional[float] = None
    right: Optional[bool] = None  # None: no expected measure
    answers: Optional[bool] = None  # None: no answer key
    missing: List[Tuple[str, ...]] = field(default_factory=list)
    forbidden: List[str] = field(default_factory=list)

    @property
    def got(self) -> str:
        return self.turn.primary_measure or OUT_OF_SCOPE

    @property
    def expected_label(self) -> str:
        """For the confusion matrix: the alternative that was met, else the first one."""
        alternatives = self.question.alternatives
        return self.got if self.right and self.got in alternatives else alternatives[0]

    @property
    def failed(self) -> bool:
        return self.right is False or self.answers is False


def judge(question: Question, turn: Turn, kind: str, **details) -> Judged:
    result = Judged(question, kind, turn, **details)
    if question.expect:
        result.right = right_measure(question.expect, turn.measure_ids)
    if question.keyed:
        result.missing, result.forbidden = key_failures(question, turn.text)
        result.answers = not result.missing and not result.forbidden
    return result


def question_kind(question: Question) -> str:
    return DECLINE if question.expect == OUT_OF_SCOPE else MEASURE


def _rate(pairs) -> Dict[str, object]:
    pairs = list(pairs)
    hits = sum(1 for ok in pairs if ok)
    return {"hits": hits, "total": len(pairs), "pct": round(100.0 * hits / len(pairs), 1) if pairs else None}


@dataclass
class Results:
    judged: List[Judged] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)  # failed requests, when the run went on

    def rate(self, kind: str) -> Dict[str, object]:
        return _rate(j.right for j in self.judged if j.kind == kind and j.right is not None)

    def answers(self, key=None) -> Dict[str, Dict[str, object]]:
        """The answer-key rate per group (`key(judged)`), or overall with key None."""
        groups: Dict[str, list] = defaultdict(list)
        for j in self.judged:
            if j.answers is not None:
                groups[key(j) if key else "all"].append(j.answers)
        return {name: _rate(values) for name, values in sorted(groups.items())}

    def per_measure(self) -> Dict[str, Dict[str, object]]:
        labelled = [j for j in self.judged if j.right is not None]
        answers = self.answers(lambda j: j.question.expect)
        return {expect: {"right": _rate(j.right for j in labelled if j.question.expect == expect),
                         "answers": answers.get(expect, _rate([]))}
                for expect in sorted({j.question.expect for j in labelled})}

    def confusions(self) -> Counter:
        return Counter((j.expected_label, j.got) for j in self.judged if j.right is False)

    def labels(self) -> List[str]:
        labelled = [j for j in self.judged if j.right is not None]
        seen = {j.expected_label for j in labelled} | {j.got for j in labelled}
        return sorted(seen - {OUT_OF_SCOPE}) + [OUT_OF_SCOPE]

    def failures_worst_first(self) -> List[Judged]:
        """Wrong measure before a failing key, more failed key parts first, then the most
        confident (with --understand): those mislead people most."""
        return sorted((j for j in self.judged if j.failed), key=lambda j: (
            j.right is False, j.answers is False, len(j.missing) + len(j.forbidden), j.confidence or 0.0),
            reverse=True)

    def latency_ms(self) -> Dict[str, Optional[float]]:
        times = sorted(j.seconds * 1000 for j in self.judged)
        if not times:
            return {"p50": None, "p95": None}
        return {"p50": round(statistics.median(times), 1),
                "p95": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1)}

    def figures(self) -> dict:
        """Everything the summary shows, for --json and the benchmark."""
        return {
            "questions": sum(1 for j in self.judged if j.conversation is None),
            "conversation_turns": sum(1 for j in self.judged if j.conversation is not None),
            "right_measure": self.rate(MEASURE), "out_of_scope": self.rate(DECLINE),
            "conversation_openers": self.rate(OPENER), "follow_ups": self.rate(FOLLOW_UP),
            "answers": self.answers().get("all", _rate([])),
            "answers_per_aspect": self.answers(lambda j: j.question.aspect or NO_ASPECT),
            "per_measure": self.per_measure(),
            "confusions": [{"expected": e, "got": g, "count": n}
                           for (e, g), n in self.confusions().most_common()],
            "latency_ms": self.latency_ms(),
            "failing": [j.question.id for j in self.failures_worst_first()],
            "failed_requests": self.errors,
        }


def pct(rate: Dict[str, object]) -> str:
    return f"{rate['pct']:5.1f} % ({rate['hits']}/{rate['total']})" if rate["total"] else "    –"


def summary_lines(results: Results) -> List[str]:
    figures = results.figures()
    lines = [f"{KIND_NL[kind] + ':':40} {pct(results.rate(kind))}" for kind in (MEASURE, DECLINE, FOLLOW_UP)]
    lines.append(f"{'Beantwoordt de vraag (antwoordsleutel):':40} {pct(figures['answers'])}")
    if figures["latency_ms"]["p50"] is not None:
        lines.append(f"{'Antwoordtijd (mediaan):':40} {figures['latency_ms']['p50']:.0f} ms")
    lines += ["", f"{'Per maatregel':32} {'juiste maatregel':>20} {'beantwoordt de vraag':>22}"]
    lines += [f"  {name:30} {pct(row['right']):>20} {pct(row['answers']):>22}"
              for name, row in figures["per_measure"].items()]
    if figures["answers_per_aspect"]:
        lines += ["", "Beantwoordt de vraag, per aspect:"]
        lines += [f"  {name:30} {pct(rate)}" for name, rate in figures["answers_per_aspect"].items()]
    if figures["confusions"]:
        lines += ["", "Verwisselingen (verwacht -> gekregen: aantal):"]
        lines += [f"  {c['expected']} -> {c['got']}: {c['count']}" for c in figures["confusions"]]
    if results.errors:
        lines += ["", f"Mislukte verzoeken: {len(results.errors)}"]
    return lines
