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

HERE = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def client(stack):
    return BotClient(stack.rasa_url, stack.rasa_token)


def test_every_test_story_message_is_understood_as_labelled(client):
    misses = []
    stories = yaml.safe_load((HERE / "stories" / "test_stories.yml").read_text(encoding="utf-8"))
    for story in stories["stories"]:
        for step in story["steps"]:
            if "user" in step:
                intent = client.parse(step["user"].strip())["intent"]["name"]
                if intent != step["intent"]:
                    misses.append((story["story"], step["user"].strip(), step["intent"], intent))
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
