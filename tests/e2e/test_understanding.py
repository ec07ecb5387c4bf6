"""Quality gates on the trained model through the running server. The thresholds are the
acceptance figures; the full figures are printed (pytest -s) and in the README's note."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.dialogue.guidance import GUIDANCE_QUESTIONS
from bot.evaluation.conversations import conversation_lines, run_conversations
from bot.evaluation.questions import load_question_set
from bot.evaluation.runner import run_set
from bot.evaluation.scoring import DECLINE, MEASURE, summary_lines
from bot.rasa_api import RasaClient

HERE = Path(__file__).resolve().parent.parent
GUIDANCE = {"start_guidance", "inform"}
DECLINED = {"out_of_scope", "oos_federal", "oos_other_region", "oos_personal_data", "oos_opinion",
            "oos_manipulation"}


@pytest.fixture(scope="module")
def client(stack):
    with RasaClient(stack.rasa_url, stack.rasa_token) as rasa:
        yield rasa


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
            turn = client.say(sender, text)
            if client.parse(text)["intent"]["name"] == label:
                continue
            if label.startswith("ask_") and turn.measures:
                continue
            if label in DECLINED and not turn.measures and turn.texts:
                continue
            if label in GUIDANCE and (turn.aspect == "recommendation"
                                      or any(q in turn.text for q in GUIDANCE_QUESTIONS.values())):
                continue
            misses.append((story["story"], text, label))
    assert not misses


def test_question_set_accuracy(client):
    results = run_set(client, load_question_set(HERE / "evaluation" / "questions.yml"))
    print("\n".join(summary_lines(results)))
    in_scope, declined = results.rate(MEASURE), results.rate(DECLINE)
    assert in_scope["hits"] / in_scope["total"] >= 0.92
    assert declined["hits"] / declined["total"] >= 0.90


def test_multi_turn_conversations_keep_context(client):
    results = run_conversations(client, HERE / "evaluation" / "conversations.yml")
    print("\n".join(conversation_lines(results)))
    checked = [r for r in results if r.declined or r.expected_measure]
    assert sum(r.ok for r in checked) / len(checked) >= 0.85
