"""Commands that `make` uses: build the Dutch spaCy pipeline, write the catalogue's training
examples, announce when the bot answers."""
from __future__ import annotations

import os
import time
from pathlib import Path


def register(subparsers) -> None:
    nlp = subparsers.add_parser("nlp", help="Dutch spaCy pipeline")
    nlp_commands = nlp.add_subparsers(dest="nlp_command", metavar="ACTION")
    nlp_commands.required = True
    build = nlp_commands.add_parser("build", help="write the blank Dutch pipeline with lemmas")
    build.add_argument("folder", type=Path)
    build.set_defaults(func=_build)
    examples = nlp_commands.add_parser(
        "examples", help="write the answer items' questions as Rasa training examples")
    examples.add_argument("file", type=Path)
    examples.add_argument("--nlu", type=Path, default=Path("data/nlu"),
                          help="the hand-written training data (its texts are left out)")
    examples.set_defaults(func=_examples)

    announce = subparsers.add_parser(
        "announce", help="wait until the bot answers, then print the page address")
    announce.add_argument("--page", default=None,
                          help="the address people open (default http://localhost:$WEB_PORT)")
    announce.add_argument("--timeout", type=float, default=300.0)
    announce.set_defaults(func=_announce)


def _build(args) -> int:
    from bot.nlu.pipeline import write_pipeline

    write_pipeline(args.folder)
    print(f"Dutch spaCy pipeline written to {args.folder}")
    return 0


def _examples(args) -> int:
    from bot.catalogue.db import session_scope
    from bot.nlu.training_data import catalogue_examples, existing_examples, write_examples

    with session_scope() as session:
        count = write_examples(catalogue_examples(session, existing_examples(args.nlu)), args.file)
    print(f"{count} training examples from the catalogue written to {args.file}")
    return 0


def _announce(args) -> int:
    from bot.rasa_api import RasaClient, load_local_env

    load_local_env()
    page = args.page or f"http://localhost:{os.environ.get('WEB_PORT', '8000')}"
    deadline = time.monotonic() + args.timeout
    with RasaClient(timeout=10) as rasa:
        while time.monotonic() < deadline:
            if rasa.ready():
                print(f"De chatbot is klaar. Open {page} (stoppen: Ctrl-C).", flush=True)
                return 0
            time.sleep(1)
    print(f"De chatbot antwoordde niet binnen {args.timeout:.0f} s; kijk in de logs hierboven.")
    return 1
