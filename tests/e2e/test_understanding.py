"""Quality gates on the trained model through the running server. The thresholds are the
acceptance figures; the full figures are printed (pytest -s) and in the README's note."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.evaluation.client import BotClient
from bot.evaluation.conversations import conversation_lines, run_conversations
from bot.evaluation.questions import load_questions
from bot.evaluation.scoring import Scores, summary_lines
from bot.guidance import GUIDANCE_QUESTIONS

HERE = Path(__file__).resolve().parent.parent
GUIDANCE = {"start_guidance", "inform"}
DECLINED = {"out_of_scope", "oos_federal", "oos_other_region", "oos_personal_data", "oos_opinion",
            "oos_manipulation"}


@pytest.fixture(scope="module")
def client(stack):
    return BotClient(stack.rasa_url, stack.rasa_token)


def test_every_test_story_runs_end_to_end(stack, client):
    """Each story in one conversation through the running bot: every message gets its
    labelled intent, or at least the labelled outcome (an answer about a measure for a
    question, no measure for an out-of-scope message, the next guidance question or a
    recommendation in the guided path), since the actions also read the words and the
    context."""
    misses = []
    stories = yaml.safe_load((HERE / "stories" / "test_stories.yml").read_text(encoding="utf-8"))
    for story in stories["stories"]:
        sender = f"story-{abs(hash(story['story']))}"
        for step in story["steps"]:
            if "user" not in step:
                continue
            text, label = step["user"].strip(), step["intent"]
            turn = client.say(text, sender=sender)
            if client.parse(text)["intent"]["name"] == label:
                continue
            if label.startswith("ask_") and turn.measures:
                continue
            if label in DECLINED and not turn.measures and turn.texts:
                continue
            if label in GUIDANCE and (turn.aspect == "recommendation"
                                      or any(q in turn.answer for q in GUIDANCE_QUESTIONS.values())):
                continue
            misses.append((story["story"], text, label))
    assert not misses


def test_question_set_accuracy(client):
    questions = load_questions(HERE / "evaluation" / "questions.yml")
    scores = Scores([(q, client.say(q.question)) for q in questions])
    print("\n".join(summary_lines(scores)))
    in_scope, in_total = scores.accuracy(True)
    declined, oos_total = scores.accuracy(False)
    assert in_scope / in_total >= 0.92
    assert declined / oos_total >= 0.90


def test_multi_turn_conversations_keep_context(client):
    results = run_conversations(client, HERE / "evaluation" / "conversations.yml")
    print("\n".join(conversation_lines(results)))
    checked = [r for r in results if r.declined or r.expected_measure]
    assert sum(r.ok for r in checked) / len(checked) >= 0.85
