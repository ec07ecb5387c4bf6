"""`python -m bot ask "vraag"`, `python -m bot evaluate QUESTIONS [--report FILE] [--json FILE]`
and `python -m bot evaluate-conversations FILE`. They read var/local.env for tokens not set."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable

NOT_RUNNING = ("De chatbot antwoordt niet op {url}. Start hem eerst met `make run` "
               "(of zet BOT_RASA_URL en RASA_TOKEN, zie var/local.env).")


def register(subparsers) -> None:
    ask = subparsers.add_parser("ask", help="ask the running bot one question, show what it understood")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--url", help="Rasa's URL (default: BOT_RASA_URL or http://127.0.0.1:5005)")
    ask.set_defaults(func=_talks_to_rasa(_ask))

    evaluate = subparsers.add_parser("evaluate", help="run a question set through the running bot")
    evaluate.add_argument("questions", type=Path,
                          help="YAML with questions: (and conversations:), a YAML list, or CSV")
    evaluate.add_argument("--report", type=Path, help="write an HTML report here")
    evaluate.add_argument("--json", type=Path, dest="json_file", metavar="FILE",
                          help="write the figures as JSON here")
    evaluate.add_argument("--understand", action="store_true",
                          help="also ask /model/parse for intent and confidence (needs RASA_TOKEN)")
    evaluate.add_argument("--url", help="Rasa's URL (default: BOT_RASA_URL or http://127.0.0.1:5005)")
    evaluate.set_defaults(func=_talks_to_rasa(_evaluate))

    conversations = subparsers.add_parser(
        "evaluate-conversations", help="run multi-turn test conversations through the running bot")
    conversations.add_argument("conversations", type=Path)
    conversations.add_argument("--url", help="Rasa's URL (default: BOT_RASA_URL or http://127.0.0.1:5005)")
    conversations.set_defaults(func=_talks_to_rasa(_evaluate_conversations))


def _talks_to_rasa(command: Callable) -> Callable:
    """Read var/local.env first; turn the client's errors into a Dutch message and exit code 1."""
    def run(args) -> int:
        from bot.rasa_api import (RasaClient, RasaError, RasaTokenError, RasaUnreachable, default_url,
                                  load_local_env)

        load_local_env()
        try:
            client = RasaClient(args.url)
        except ValueError:
            print(f"Het adres van de chatbot is ongeldig: {args.url or default_url()} "
                  f"(--url of BOT_RASA_URL).", file=sys.stderr)
            return 1
        try:
            return command(args, client)
        except RasaTokenError as error:
            print(error, file=sys.stderr)
        except RasaUnreachable as error:
            print(f"{NOT_RUNNING.format(url=client.url)}\n{error}", file=sys.stderr)
        except RasaError as error:
            print(f"De chatbot gaf een fout: {error}", file=sys.stderr)
        finally:
            client.close()
        return 1

    return run


def _ask(args, client) -> int:
    from bot.evaluation.runner import new_sender

    parsed = client.parse(args.question)
    turn = client.say(new_sender(), args.question)
    intent = parsed.get("intent") or {}
    details = {"intent": intent.get("name"), "confidence": intent.get("confidence"),
               "measure": turn.primary_measure or "out_of_scope", "aspect": turn.aspect,
               "entities": [{"entity": e.get("entity"), "value": e.get("value")}
                            for e in parsed.get("entities") or []]}
    if args.json:
        print(json.dumps({"answer": turn.text, **details, "data": turn.data}, ensure_ascii=False, indent=2))
    else:
        print(turn.text)
        print()
        for key, value in details.items():
            print(f"{key:>10}: {json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value}")
    return 0


def _evaluate(args, client) -> int:
    from tqdm import tqdm

    from bot.evaluation.questions import QuestionFileError, load_question_set
    from bot.evaluation.runner import run_set
    from bot.evaluation.scoring import summary_lines

    try:
        questions = load_question_set(args.questions)
    except QuestionFileError as error:
        print(error, file=sys.stderr)
        return 1
    if not len(questions):
        print(f"{args.questions}: het bestand bevat geen vragen.", file=sys.stderr)
        return 1
    with tqdm(total=len(questions), desc="vragen", unit="vraag", file=sys.stderr) as bar:
        results = run_set(client, questions, understand=args.understand, progress=bar.update)
    print("\n".join(summary_lines(results)))
    if args.json_file:
        args.json_file.parent.mkdir(parents=True, exist_ok=True)
        figures = {"file": str(args.questions), **results.figures()}
        args.json_file.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"\nCijfers: {args.json_file}")
    if args.report:
        from bot.evaluation.report import write_report

        write_report(results, args.report, f"Evaluatie van de chatbot: {args.questions.name}")
        print(f"\nRapport: {args.report}")
    return 0


def _evaluate_conversations(args, client) -> int:
    import yaml

    from bot.evaluation.conversations import conversation_lines, run_conversations

    try:
        results = run_conversations(client, args.conversations)
    except (OSError, yaml.YAMLError) as error:
        print(f"{args.conversations}: kan het bestand niet lezen: {error}", file=sys.stderr)
        return 1
    print("\n".join(conversation_lines(results)))
    return 0
