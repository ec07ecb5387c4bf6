"""`python -m bot` command line.

Subcommands live in small modules listed in SUBCOMMAND_MODULES; each module defines
`register(subparsers)` which adds its parsers and sets `func` (args -> exit code) as default.
To add a command (ask, evaluate, web, feedback, ...), write such a module and list it here.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Optional, Sequence

SUBCOMMAND_MODULES: list[str] = [
    "bot.catalogue.cli",  # catalogue check|load|list|show|search|match, db upgrade
    "bot.setup_cli",  # nlp build, announce
    "bot.evaluation.cli",  # ask, evaluate
    "bot.web.cli",  # web (chat page, feedback API, staff page)
    "bot.retention_cli",  # conversations purge --older-than-days N
    "bot.inbox_cli",  # inbox list|assign|export
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Alle hens aan dek chatbot tools")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(func(args) or 0)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
