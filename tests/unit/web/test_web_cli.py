"""`python -m bot web` is registered."""
from __future__ import annotations

from bot.cli import build_parser


def test_web_subcommand():
    args = build_parser().parse_args(["web", "--port", "8123"])
    assert args.port == 8123 and args.host == "127.0.0.1"
    assert callable(args.func)
