"""SQL fragments in the catalogue search (bot.catalogue.search.search and
`python -m bot catalogue search`) are just words: no error, no effect on the database."""
from __future__ import annotations

import os
import subprocess

import pytest
from sqlalchemy import text

from tests.servers import REPO, VENV_BIN

FRAGMENTS = [
    "'; DROP TABLE measures; --",
    "telewerk' OR '1'='1",
    "\" OR 1=1 --",
    "telewerk UNION SELECT * FROM feedback",
    "opleiding) OR (1=1",
    "NEAR(telewerk opleiding) AND *",
    "telewerk:* & !opleiding | (x",
    "\\x00 \u0000 %' --",
    "😀 <script>alert(1)</script>",
]


def _counts(url):
    from bot.catalogue.db import get_engine

    with get_engine(url).connect() as connection:
        return {table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
                for table in ("measures", "instruments", "answers", "feedback")}


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_search_treats_sql_fragments_as_words(catalogue_database, fragment):
    from bot.catalogue.db import get_engine, session_scope
    from bot.catalogue.search import search

    before = _counts(catalogue_database)
    with session_scope(get_engine(catalogue_database)) as session:
        hits = search(session, fragment, limit=5)
    assert isinstance(hits, list)
    assert _counts(catalogue_database) == before


def test_the_search_command_treats_sql_fragments_as_words(catalogue_database):
    before = _counts(catalogue_database)
    for fragment in FRAGMENTS[:3]:
        result = subprocess.run([str(VENV_BIN / "python"), "-m", "bot", "catalogue", "search", fragment],
                                cwd=REPO, env={**os.environ, "BOT_DATABASE_URL": catalogue_database},
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, (fragment, result.stderr[-500:])
        assert "Traceback" not in result.stderr
    assert _counts(catalogue_database) == before
