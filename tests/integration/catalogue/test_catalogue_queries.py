"""The catalogue queries give the same measures on SQLite and PostgreSQL."""
from __future__ import annotations


import pytest
from sqlalchemy import func, select

from bot.catalogue.db import session_scope
from bot.catalogue.loader import load_catalogue
from bot.catalogue.models import Measure
from bot.catalogue.queries import (
    all_aliases,
    answer_items,
    catalogue_version,
    get_instrument,
    get_measure,
    items_by_id,
    list_measures,
    outline,
)
from bot.catalogue.search import search

INJECTIONS = [
    "'; DROP TABLE measures; --",
    "OR 1=1",
    "NEAR(",
    "*",
    '"',
    "telewerk\" OR \"1",
    "x' OR '1'='1",
    "); DELETE FROM answers; --",
    "NEAR(stagebonus premie, 2)",
    "stage* AND NOT bonus^",
    "a:* | b & !c",
    "%_\\",
    "\x00",
]


@pytest.fixture
def session(loaded_engine):
    with session_scope(loaded_engine) as s:
        yield s


def test_get_measure(session):
    m = get_measure(session, "stagebonus")
    assert m.title == "Stagebonus voor werkgevers" and m.kind == "measure" and m.measure_id == "stagebonus"
    assert m.status == {
        "state": "abolished",
        "since": "2020-09-01",
        "until": "2023-07-01",
        "successor": "premie-kwalificerend-werkplekleren",
        "note": "Vervangen door de premie kwalificerend werkplekleren.",
    }
    assert [a.aspect for a in m.answers] == ["overview", "eligibility", "how_to_apply", "amount", "status", "contact"]
    assert m.answer("status").source_ids == ["S16", "S17"]
    assert [s.url for s in m.answer("status").sources][0].startswith("https://www.prato.be/")
    assert [i.id for i in m.instruments] == ["aanvullende-stagebonus", "premie-kwalificerend-werkplekleren"]
    assert list(m.target_groups) == ["werkgever"] and list(m.themes) == ["opleiding", "aanwerving"]
    assert "stagebonussen" in [a.normalized for a in m.aliases]
    assert get_measure(session, "bestaat-niet") is None
    assert get_measure(session, "'; DROP TABLE measures; --") is None


def test_get_instrument(session):
    inst = get_instrument(session, "opleidingscheques")
    assert inst.measure_id == "opleidingsportefeuille" and inst.measure.title == "Opleidingsportefeuille"
    assert inst.kind == "instrument"
    assert inst.answer("how_to_apply").text.endswith("via Edenred.")
    assert list(inst.target_groups) == ["werknemer", "tijdelijk werkloze"]
    assert get_instrument(session, "telewerk") is None  # a measure, not an instrument


def test_entries_are_read_once_per_catalogue_version_and_a_load_is_seen(engine, catalogue_copy):
    """Entries are kept per database and catalogue version (they stay readable after the session
    that asked for them ended); a load with other content is a new version and is read anew."""
    assert load_catalogue(engine, catalogue_copy, expected_ids=None).ok
    with session_scope(engine) as session:
        first = get_instrument(session, "opleidingscheques")
        assert get_instrument(session, "opleidingscheques") is first
        first_outline = outline(session)
        assert outline(session) is first_outline
        assert first_outline.instrument_measures["opleidingscheques"] == "opleidingsportefeuille"
    assert first.measure.title == "Opleidingsportefeuille"  # readable after the session closed
    assert first.answer("how_to_apply").sources[0].url.startswith("https://")
    path = catalogue_copy / "measures" / "opleidingsportefeuille.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("via Edenred.", "via de website van Edenred."),
                    encoding="utf-8")
    assert load_catalogue(engine, catalogue_copy, expected_ids=None).ok
    with session_scope(engine) as session:
        changed = get_instrument(session, "opleidingscheques")
        assert changed is not first
        assert changed.answer("how_to_apply").text.endswith("via de website van Edenred.")
        assert get_instrument(session, "opleidingscheques") is changed
        assert outline(session) is not first_outline and outline(session) == first_outline


def test_list_measures_in_fixed_order(session):
    assert [m.id for m in list_measures(session)] == ["stagebonus", "opleidingsportefeuille", "telewerk"]


def test_answer_items_with_their_questions_and_sources_in_catalogue_order(session):
    items = answer_items(session)
    assert [i.id for i in items] == ["sb-bestaat-nog", "pkw-bedrag", "telewerk-wat"]
    premie = items_by_id(session)["pkw-bedrag"]
    assert (premie.measure_id, premie.instrument_id, premie.aspect) == (
        "stagebonus", "premie-kwalificerend-werkplekleren", "amount")
    assert premie.questions[0] == "Hoeveel is de premie kwalificerend werkplekleren?"
    assert [s.id for s in premie.sources] == ["S17", "S16"]
    assert premie.sources[0].published == "2023-09" and not premie.sources[0].official
    assert items_by_id(session)["sb-bestaat-nog"].sources[0].official  # vlaanderen.be


def hit_set(hits):
    return {(h.measure_id, h.instrument_id, h.aspect) for h in hits}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Edenred", {("opleidingsportefeuille", "opleidingscheques", "how_to_apply")}),
        ("werkbaarwerk", {("telewerk", None, "how_to_apply"), ("telewerk", None, "contact")}),
        (
            "Mijn Burgerprofiel",
            {("opleidingsportefeuille", None, "how_to_apply"), ("opleidingsportefeuille", "opleidingstegoed", "how_to_apply")},
        ),
        ("zevenduizend vijfhonderd", set()),
        ("zelfstandigen", {("opleidingsportefeuille", "kmo-portefeuille", "eligibility")}),  # plural
        ("zelfstandige", {("opleidingsportefeuille", "kmo-portefeuille", "eligibility")}),
        ("coördineert", {("stagebonus", None, "contact")}),
    ],
)
def test_search_hits(session, text, expected):
    hits = search(session, text, limit=50)
    assert hit_set(hits) == expected
    assert all(h.rank > 0 and h.snippet for h in hits)


def test_search_top_hit(session):
    hits = search(session, "Hoe bestel ik opleidingscheques via Edenred?")
    assert (hits[0].instrument_id, hits[0].aspect) == ("opleidingscheques", "how_to_apply")
    assert "Edenred" in hits[0].snippet


def test_search_plural_finds_singular(session):
    found = hit_set(search(session, "opleidingscheque", limit=50))
    assert ("opleidingsportefeuille", "opleidingscheques", "overview") in found
    assert {m for m, _i, _a in found} == {"opleidingsportefeuille"}
    assert {m for m, _i, _a in hit_set(search(session, "leerlingen", limit=50))} == {"stagebonus"}


def test_search_snippet_and_ranking(session):
    hits = search(session, "premie leerling", limit=10)
    assert len(hits) >= 3
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)
    assert "leerling" in hits[0].snippet.lower()
    assert {h.measure_id for h in hits} == {"stagebonus"}
    assert len(search(session, "premie leerling", limit=2)) == 2
    assert search(session, "premie", limit=0) == []


@pytest.mark.parametrize("text", INJECTIONS + ["", "   ", "de het een", "?!"])
def test_search_injection_safe(session, text):
    hits = search(session, text)
    assert all(isinstance(h.rank, float) for h in hits)
    assert session.execute(select(func.count()).select_from(Measure)).scalar_one() == 3


def test_all_aliases_and_version(session, loaded_engine):
    rows = all_aliases(session)
    assert ("kmo portefeuille", "instrument", "kmo-portefeuille", "opleidingsportefeuille") in rows
    assert ("thuiswerk", "measure", "telewerk", "telewerk") in rows
    assert ("telewerk", "measure", "telewerk", "telewerk") in rows  # the id is an implicit alias
    assert len({r[0] for r in rows}) == len(rows)
    assert len(catalogue_version(session)) == 64


def test_catalogue_version_empty_before_load(engine):
    with session_scope(engine) as session:
        assert catalogue_version(session) == ""
        assert answer_items(session) == ()
        assert search(session, "telewerk") == []
        assert list_measures(session) == []


# ---------------------------------------------------------------------------- cross-backend
CROSS_QUERIES = [
    "opleidingscheques", "premie leerling", "Edenred", "kmo-portefeuille zelfstandigen",
    "thuiswerk tips", "Hoeveel krijg ik voor een leerling?", "stagebonus afgeschaft", "werkgevers",
    *INJECTIONS,
]


DISTINCTIVE = [
    "Edenred", "Hoe bestel ik opleidingscheques via Edenred?", "coördineert", "Mijn Burgerprofiel inloggen",
    "vzw zelfstandigen", "leidinggeven op afstand",
]


def _results(engine):
    out = {}
    with session_scope(engine) as session:
        for q in CROSS_QUERIES:
            hits = search(session, q, limit=100)
            out[("search", q)] = sorted((h.measure_id, h.instrument_id or "", h.aspect) for h in hits)
        # bm25 and ts_rank order generic words differently; distinctive queries share the top hit
        for q in DISTINCTIVE:
            hit = search(session, q, limit=1)[0]
            out[("search-top", q)] = (hit.measure_id, hit.instrument_id, hit.aspect)
        out["items"] = answer_items(session)
        out["list"] = [m.id for m in list_measures(session)]
        out["aliases"] = sorted(all_aliases(session))
        out["version"] = catalogue_version(session)
    return out


def test_same_results_on_sqlite_and_postgresql(both_engines, fixture_dir):
    results = {}
    for name, engine in both_engines.items():
        assert load_catalogue(engine, fixture_dir, expected_ids=None).ok
        results[name] = _results(engine)
    assert results["sqlite"] == results["postgresql"]
    assert results["sqlite"][("search-top", "Edenred")] == ("opleidingsportefeuille", "opleidingscheques", "how_to_apply")
