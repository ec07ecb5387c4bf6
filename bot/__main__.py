"""`python -m bot ...` entry point (see bot.cli)."""
from bot.cli import main

raise SystemExit(main())
