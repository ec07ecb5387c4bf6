"""`python -m bot ask "vraag"` and `python -m bot evaluate QUESTIONS --report report.html`."""
from __future__ import annotations

import json
import sys
import urllib.error
from pathlib import Path

NOT_RUNNING = ("De chatbot antwoordt niet op {url}. Start hem eerst met `make run` "
               "(of zet BOT_RASA_URL en RASA_TOKEN, zie var/local.env).")


def register(subparsers) -> None:
    ask = subparsers.add_parser("ask", help="ask the running bot one question, show what it understood")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(func=_ask)

    evaluate = subparsers.add_parser("evaluate", help="run a question set through the running bot")
    evaluate.add_argument("questions", type=Path, help="CSV (question, expected) or YAML list")
    evaluate.add_argument("--report", type=Path, help="write an HTML report here")
    evaluate.set_defaults(func=_evaluate)

    conversations = subparsers.add_parser(
        "evaluate-conversations", help="run multi-turn test conversations through the running bot")
    conversations.add_argument("conversations", type=Path)
    conversations.set_defaults(func=_evaluate_conversations)


def _client():
    from bot.evaluation.client import BotClient

    return BotClient()


def _ask(args) -> int:
    client = _client()
    try:
        turn = client.say(args.question, understand=True)
    except (urllib.error.URLError, OSError):
        print(NOT_RUNNING.format(url=client.rasa_url), file=sys.stderr)
        return 1
    details = {"intent": turn.intent, "confidence": turn.confidence, "measure": turn.primary_measure,
               "aspect": turn.aspect, "entities": turn.entities}
    if args.json:
        print(json.dumps({"answer": turn.answer, **details}, ensure_ascii=False, indent=2))
    else:
        print(turn.answer)
        print()
        for key, value in details.items():
            print(f"{key:>10}: {json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value}")
    return 0


def _evaluate(args) -> int:
    from tqdm import tqdm

    from bot.evaluation.questions import QuestionFileError, load_questions
    from bot.evaluation.report import write_report
    from bot.evaluation.scoring import Scores, summary_lines

    try:
        questions = load_questions(args.questions)
    except QuestionFileError as error:
        print(error, file=sys.stderr)
        return 1
    client = _client()
    rows = []
    try:
        for question in tqdm(questions, desc="vragen", unit="vraag"):
            rows.append((question, client.say(question.question, understand=True)))
    except (urllib.error.URLError, OSError):
        print(NOT_RUNNING.format(url=client.rasa_url), file=sys.stderr)
        return 1
    scores = Scores(rows)
    print("\n".join(summary_lines(scores)))
    if args.report:
        write_report(scores, args.report)
        print(f"\nRapport: {args.report}")
    return 0


def _evaluate_conversations(args) -> int:
    from bot.evaluation.conversations import conversation_lines, run_conversations

    client = _client()
    try:
        results = run_conversations(client, args.conversations)
    except (urllib.error.URLError, OSError):
        print(NOT_RUNNING.format(url=client.rasa_url), file=sys.stderr)
        return 1
    print("\n".join(conversation_lines(results)))
    return 0
