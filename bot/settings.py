"""Environment-driven configuration.

BOT_DATABASE_URL   SQLAlchemy URL; default sqlite:///<repo>/var/bot.db
BOT_CATALOGUE_DIR  catalogue YAML directory; default <repo>/data/catalogue
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT: Path = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The database URL; creates <repo>/var/ when the default SQLite file is used."""
    url = os.environ.get("BOT_DATABASE_URL", "").strip()
    if url:
        return url
    var = REPO_ROOT / "var"
    var.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var / 'bot.db'}"


def catalogue_dir() -> Path:
    """Directory holding sources.yml, vocabulary.yml and measures/<id>.yml."""
    value = os.environ.get("BOT_CATALOGUE_DIR", "").strip()
    return Path(value) if value else REPO_ROOT / "data" / "catalogue"
