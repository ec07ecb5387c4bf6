"""Scoring: right measure and answer keys with the rules of the shared score.py, and the figures."""
from __future__ import annotations

import importlib.util

import pytest

from bot.settings import REPO_ROOT
from bot.evaluation.questions import Question
from bot.evaluation.scoring import (DECLINE, FOLLOW_UP, MEASURE, OPENER, Results, judge, right_measure,
                                    summary_lines)
from bot.rasa_api import Turn

SCORE_PY = REPO_ROOT.parent / "shared" / "eval" / "score.py"
KEYED = Question("d1", "Hoeveel geld?", "relanceplan", "amount", (("190",), ("opleiding", "loopbaan")),
                 ("250 miljoen",))


def turn(text: str = "", *measures: str, aspect: str = None) -> Turn:
    return Turn(texts=[text] if text else [], measures=[{"id": m} for m in measures], aspect=aspect)


@pytest.mark.parametrize("expect, ids, right", [
    ("telewerk", ["telewerk"], True),
    ("telewerk", ["werkbaar-werk", "telewerk"], False),  # only the first measure counts
    ("telewerk|werkbaar-werk", ["werkbaar-werk"], True),
    ("out_of_scope", [], True),
    ("out_of_scope", ["telewerk"], False),
    ("telewerk|out_of_scope", [], True),
    ("telewerk", [], False),
])
def test_right_measure(expect, ids, right):
    assert right_measure(expect, ids) is right


def test_a_reply_that_answers():
    judged = judge(KEYED, turn("Het plan kost 190 miljoen, vooral voor Opleiding.", "relanceplan"), MEASURE)
    assert judged.right and judged.answers and not judged.failed
    assert judged.missing == [] and judged.forbidden == []


def test_a_reply_missing_a_group():
    judged = judge(KEYED, turn("Het plan kost 190 miljoen.", "relanceplan"), MEASURE)
    assert judged.right and judged.answers is False and judged.failed
    assert judged.missing == [("opleiding", "loopbaan")] and judged.forbidden == []


def test_a_reply_with_a_forbidden_string():
    judged = judge(KEYED, turn("190 miljoen voor opleiding, niet 250 MILJOEN.", "relanceplan"), MEASURE)
    assert judged.answers is False and judged.missing == [] and judged.forbidden == ["250 miljoen"]


def test_must_not_alone_is_not_scored_and_unlabelled_is_not_counted():
    only_forbidden = Question("d2", "x", "telewerk", must_not=("fout",))
    assert judge(only_forbidden, turn("fout", "telewerk"), MEASURE).answers is None
    assert judge(Question("3", "Hallo"), turn("Hoi!"), MEASURE).right is None


@pytest.mark.skipif(not SCORE_PY.is_file(), reason="the shared score.py is not here")
@pytest.mark.parametrize("reply", ["190 en opleiding", "190", "190 opleiding 250 miljoen", "",
                                   "LOOPBAAN 190"])
@pytest.mark.parametrize("expect, ids", [("relanceplan", ["relanceplan"]), ("relanceplan|out_of_scope", []),
                                         ("out_of_scope", ["x"]), ("a|b", ["b", "a"])])
def test_same_verdicts_as_the_shared_score_py(reply, expect, ids):
    spec = importlib.util.spec_from_file_location("shared_score", SCORE_PY)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    item = {"expect": expect, "must": [list(g) for g in KEYED.must], "must_not": list(KEYED.must_not)}
    question = Question("x", "x", expect, None, KEYED.must, KEYED.must_not)
    judged = judge(question, turn(reply, *ids), MEASURE)
    assert judged.right == score.right(expect, ids)
    assert judged.answers == score.answers(item, reply)


def results() -> Results:
    oos = Question("d2", "Hoe laat is het?", "out_of_scope")
    plain = Question("d3", "Bestaat de stagebonus nog?", "stagebonus", "status", (("afgeschaft",),))
    opener = Question("c1#0", "Wat is telewerk?", "telewerk", None, (("actieplan",),))
    follow = Question("c1#1", "En wie?", "telewerk", None, (("crevits",),))
    return Results([
        judge(KEYED, turn("190 voor opleiding", "relanceplan"), MEASURE, seconds=0.1),
        judge(plain, turn("Ja, die bestaat nog.", "stagebonus"), MEASURE, seconds=0.2, confidence=0.5),
        judge(oos, turn("Over telewerk ...", "telewerk"), DECLINE, seconds=0.3, confidence=0.99),
        judge(opener, turn("Het actieplan telewerk ...", "telewerk"), OPENER, conversation="c1"),
        judge(follow, turn("Sorry."), FOLLOW_UP, conversation="c1"),
    ])


def test_figures():
    figures = results().figures()
    assert figures["right_measure"] == {"hits": 2, "total": 2, "pct": 100.0}
    assert figures["out_of_scope"] == {"hits": 0, "total": 1, "pct": 0.0}
    assert figures["follow_ups"]["total"] == 1 and figures["follow_ups"]["hits"] == 0
    assert figures["answers"] == {"hits": 2, "total": 4, "pct": 50.0}
    assert set(figures["answers_per_aspect"]) == {"amount", "status", "turn"}
    assert figures["per_measure"]["telewerk"]["right"]["total"] == 2
    assert figures["confusions"] == [{"expected": "out_of_scope", "got": "telewerk", "count": 1},
                                     {"expected": "telewerk", "got": "out_of_scope", "count": 1}]
    assert figures["questions"] == 3 and figures["conversation_turns"] == 2
    assert figures["latency_ms"]["p50"] is not None


def test_failures_worst_first():
    order = [j.question.id for j in results().failures_worst_first()]
    # wrong measure and failing key, then wrong measure (most confident first), then key only
    assert order == ["c1#1", "d2", "d3"]


def test_summary_in_dutch():
    text = "\n".join(summary_lines(results()))
    assert "Juiste maatregel (binnen bereik):" in text and "Beantwoordt de vraag" in text
    assert "Vervolgvragen" in text and "out_of_scope -> telewerk: 1" in text
