"""Loading the catalogue: all-or-nothing, idempotent, removals, feedback untouched."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select, text

from bot.catalogue import loader as loader_module
from bot.catalogue.db import session_scope
from bot.catalogue.loader import load_catalogue
from bot.catalogue.models import Alias, Answer, CatalogueMeta, Instrument, Measure
from bot.feedback import list_feedback, list_handoffs, record_feedback, record_handoff

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "catalogue"

T = "measures/telewerk.yml"


def load(engine, directory=FIXTURE_DIR, **kw):
    return load_catalogue(engine, directory, expected_ids=None, **kw)


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()


def edit(directory, rel, change):
    path = directory / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_load_fixture(engine):
    report = load(engine)
    assert report.ok and not report.unchanged
    assert report.counts == {"measures": 3, "instruments": 6, "answers": 54, "items": 3, "sources": 10, "aliases": 26}
    assert ("measure", "telewerk") in report.added and ("instrument", "kmo-portefeuille") in report.added
    assert report.changed == [] and report.removed == []
    assert "Catalogus geladen: 3 maatregelen, 6 instrumenten" in report.summary()
    with engine.connect() as conn:
        meta = conn.execute(select(CatalogueMeta.__table__)).one()
    assert meta.checksum == report.checksum and meta.measure_count == 3


def test_loading_twice_changes_nothing(engine, dump_db):
    load(engine)
    before = dump_db(engine)
    report = load(engine)
    assert report.ok and report.unchanged
    assert report.summary() == "Catalogus ongewijzigd (3 maatregelen, 6 instrumenten)."
    assert dump_db(engine) == before


def test_forced_reload_reports_no_changes(engine):
    load(engine)
    report = load(engine, force=True)
    assert report.ok and not report.unchanged
    assert report.added == report.changed == report.removed == []
    assert count(engine, Answer) == 54


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: (d / T).write_text("id: telewerk\ntitle: [kapot\n"),
        lambda d: (d / T).write_bytes(b"\x00\x01\x02binary"),
        lambda d: edit(d, T, lambda data: data["answers"]["amount"].update(sources=["S999"])),
        lambda d: edit(d, T, lambda data: data["answers"].pop("contact")),
        lambda d: (d / "sources.yml").unlink(),
    ],
    ids=["syntax", "binary", "unknown-source", "missing-aspect", "no-sources-file"],
)
def test_broken_catalogue_leaves_database_exactly_as_it_was(engine, catalogue_copy, breakage, dump_db):
    load(engine)
    with session_scope(engine) as session:
        record_feedback(session, "user-1", "vraag", "antwoord", "telewerk", 1, None)
    before = dump_db(engine)
    edit(catalogue_copy, "measures/stagebonus.yml", lambda data: data.update(summary="Nieuwe tekst."))
    breakage(catalogue_copy)
    report = load(engine, catalogue_copy)
    assert not report.ok and report.errors
    assert "de databank is niet gewijzigd" in report.summary()
    assert dump_db(engine) == before


def test_failure_while_writing_rolls_back_everything(engine, catalogue_copy, monkeypatch, dump_db):
    load(engine)
    before = dump_db(engine)
    edit(catalogue_copy, T, lambda data: data.update(summary="Andere samenvatting."))
    real_links = loader_module._links
    calls = {"n": 0}

    def failing_links(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 5:  # after several rows were written in this transaction
            raise RuntimeError("disk full")
        return real_links(*args, **kwargs)

    monkeypatch.setattr(loader_module, "_links", failing_links)
    with pytest.raises(RuntimeError):
        load(engine, catalogue_copy)
    assert dump_db(engine) == before


def test_removed_entries_are_removed(engine, catalogue_copy):
    load(engine, catalogue_copy)
    (catalogue_copy / T).unlink()
    edit(catalogue_copy, "measures/opleidingsportefeuille.yml", lambda d: d["instruments"].pop(2))
    report = load(engine, catalogue_copy)
    assert report.ok
    assert ("measure", "telewerk") in report.removed
    assert ("instrument", "esf-oproep-telewerk") in report.removed
    assert ("instrument", "kmo-portefeuille") in report.removed
    assert ("measure", "opleidingsportefeuille") not in report.changed  # only its instrument went
    with engine.connect() as conn:
        assert conn.execute(select(Measure.id).where(Measure.id == "telewerk")).first() is None
        assert conn.execute(select(Instrument.id).where(Instrument.id == "kmo-portefeuille")).first() is None
        assert conn.execute(select(Alias.id).where(Alias.measure_id == "telewerk")).first() is None
        assert conn.execute(select(Answer.id).where(Answer.measure_id == "telewerk")).first() is None
    assert count(engine, Measure) == 2


def test_changed_entry_is_reported(engine, catalogue_copy):
    load(engine, catalogue_copy)
    edit(catalogue_copy, T, lambda d: d["answers"]["amount"].update(text="Geen geld."))
    report = load(engine, catalogue_copy)
    assert report.changed == [("measure", "telewerk")]
    assert report.added == [] and report.removed == []
    assert "Gewijzigd: telewerk (measure)" in report.summary()


def test_feedback_and_handoffs_survive_reloads(engine, catalogue_copy):
    load(engine, catalogue_copy)
    with session_scope(engine) as session:
        record_feedback(session, "u1", "Wat is telewerk?", "Thuis werken.", "telewerk", -1, "te kort")
        record_handoff(session, "u1", "user asked", "ik wil iemand spreken")
    (catalogue_copy / T).unlink()
    assert load(engine, catalogue_copy).ok
    with session_scope(engine) as session:
        feedback = list_feedback(session)
        assert [(f.measure_id, f.rating, f.comment) for f in feedback] == [("telewerk", -1, "te kort")]
        assert [h.reason for h in list_handoffs(session)] == ["user asked"]


def test_fulltext_index_stays_in_sync(engine, catalogue_copy):
    load(engine, catalogue_copy)
    edit(catalogue_copy, T, lambda d: d["answers"]["amount"].update(text="Het kost zevenhonderdzeventig kwartjes."))
    load(engine, catalogue_copy)
    from bot.catalogue.search import search

    with session_scope(engine) as session:
        hits = search(session, "zevenhonderdzeventig")
        assert [(h.measure_id, h.aspect) for h in hits] == [("telewerk", "amount")]
        assert search(session, "kwalificerend werkplekleren")  # other answers still indexed
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO answers_fts(answers_fts) VALUES ('integrity-check')"))


def test_instrument_inherits_measure_target_groups(engine):
    load(engine)
    from bot.catalogue.queries import get_instrument

    with session_scope(engine) as session:
        inst = get_instrument(session, "esf-oproep-telewerk")
        assert list(inst.target_groups) == ["werkgever", "werknemer"]
        assert list(inst.themes) == ["telewerk", "werkbaar werk"]


def test_load_migrates_a_new_database(backend, catalogue_copy):
    from sqlalchemy import inspect

    fresh = backend.engine(migrated=False)
    (catalogue_copy / T).write_text("kapot: [\n")
    assert not load(fresh, catalogue_copy).ok
    assert inspect(fresh).get_table_names() == []  # a broken catalogue touches nothing
    assert load(fresh).ok
    assert count(fresh, Measure) == 3
