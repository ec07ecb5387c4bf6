"""The real catalogue in data/catalogue/ (written by the content editors) validates and loads."""
from __future__ import annotations

import shutil

import pytest

from bot.catalogue.constants import MEASURE_IDS
from bot.catalogue.db import session_scope
from bot.catalogue.loader import load_catalogue
from bot.catalogue.queries import answer_items, list_measures
from bot.catalogue.search import search
from bot.catalogue.validate import validate_catalogue
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
        assert search(session, "opleidingscheques")
        items = answer_items(session)
        per_measure = {m: sum(i.measure_id == m for i in items) for m in MEASURE_IDS}
        # Question-level answers for every measure, about twelve or more per measure on average.
        assert min(per_measure.values()) >= 5 and len(items) / len(MEASURE_IDS) >= 12, per_measure
        assert all(len(i.questions) >= 3 and i.sources for i in items)
