"""The real catalogue in data/catalogue/ (written by the content editors) validates and loads."""
from __future__ import annotations

import shutil

import pytest

from bot.catalogue.constants import MEASURE_IDS
from bot.catalogue.db import session_scope
from bot.catalogue.loader import load_catalogue
from bot.catalogue.queries import by_target_group_and_theme, find_by_words, list_measures, search
from bot.catalogue.schema import validate_catalogue
from bot.settings import REPO_ROOT

REAL_DIR = REPO_ROOT / "data" / "catalogue"
pytestmark = pytest.mark.skipif(
    not (REAL_DIR / "measures").is_dir() or not any((REAL_DIR / "measures").glob("*.yml")),
    reason="data/catalogue/measures is not written yet",
)


def test_real_catalogue_is_valid():
    catalogue, issues = validate_catalogue(REAL_DIR)
    assert [str(i) for i in issues] == []
    assert [m.id for m in catalogue.measures] == list(MEASURE_IDS)


def test_real_catalogue_loads_and_answers(engine, tmp_path):
    snapshot = tmp_path / "catalogue"  # the files may be edited while the tests run
    shutil.copytree(REAL_DIR, snapshot)
    report = load_catalogue(engine, snapshot)
    assert report.ok, report.errors
    assert report.counts["measures"] == 16
    assert load_catalogue(engine, snapshot).unchanged
    with session_scope(engine) as session:
        assert [m.id for m in list_measures(session)] == list(MEASURE_IDS)
        stagebonus = next(m for m in list_measures(session) if m.id == "stagebonus")
        assert stagebonus.status_state == "abolished"
        assert stagebonus.status_successor == "premie-kwalificerend-werkplekleren"
        ids = [m.id for m in find_by_words(session, "wat zijn opleidingschecks?")]
        assert ids[:1] == ["opleidingscheques"]
        assert [m.measure_id for m in find_by_words(session, "ik wil thuiswerken")][:1] == ["telewerk"]
        assert search(session, "opleidingscheques")
        assert by_target_group_and_theme(session, "werkgever")
