"""`python -m bot catalogue ...` and `python -m bot db upgrade` (SQLite and PostgreSQL)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.catalogue.db import dispose_engines
from bot.catalogue.models import Measure
from bot.cli import main


@pytest.fixture
def cli_env(backend, monkeypatch, catalogue_copy):
    engine = backend.engine(migrated=False)
    monkeypatch.setenv("BOT_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("BOT_CATALOGUE_DIR", str(catalogue_copy))
    yield engine
    dispose_engines()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_ok(cli_env, capsys, catalogue_copy):
    code, out, _ = run(capsys, "catalogue", "check", "--any-ids")
    assert code == 0 and out.strip() == "OK: 3 maatregelen, 6 instrumenten"


def test_check_requires_the_16_fixed_ids(cli_env, capsys):
    code, out, err = run(capsys, "catalogue", "check")
    assert code == 1
    assert "measures/relanceplan.yml: relanceplan: file missing (required measure id)" in out
    assert "13 probleem/problemen" in err


def test_check_broken(cli_env, capsys, catalogue_copy):
    (catalogue_copy / "measures/telewerk.yml").write_text("- not a mapping\n")
    code, out, _ = run(capsys, "catalogue", "check", "--any-ids")
    assert code == 1 and "measures/telewerk.yml: top level must be a mapping, found list" in out


def test_load_list_show_search(cli_env, capsys, catalogue_copy):
    code, out, _ = run(capsys, "catalogue", "load", "--any-ids")
    assert code == 0 and out.startswith("Catalogus geladen: 3 maatregelen, 6 instrumenten")
    code, out, _ = run(capsys, "catalogue", "load", "--any-ids")
    assert code == 0 and "ongewijzigd" in out

    code, out, _ = run(capsys, "catalogue", "list", "--json")
    data = json.loads(out)
    assert [m["id"] for m in data] == ["stagebonus", "opleidingsportefeuille", "telewerk"]
    stagebonus = data[0]
    assert stagebonus["status"] == {
        "state": "abolished", "since": "2020-09-01", "until": "2023-07-01",
        "successor": "premie-kwalificerend-werkplekleren",
    }
    assert stagebonus["last_verified"] == "2026-11-26"
    assert stagebonus["source_urls"][0] == (
        "https://www.vlaanderen.be/stagebonus/stagebonus-volgens-de-regelgeving-na-1-september-2018"
    )
    assert len(stagebonus["source_urls"]) == len(set(stagebonus["source_urls"])) == 3

    code, out, _ = run(capsys, "catalogue", "list")
    assert code == 0 and "stagebonus" in out and "afgeschaft" in out

    code, out, _ = run(capsys, "catalogue", "show", "opleidingscheques")
    assert code == 0 and "Opleidingscheques (instrument: opleidingscheques)" in out and "Edenred" in out
    code, out, _ = run(capsys, "catalogue", "show", "telewerk")
    assert code == 0 and "[amount]" in out and "(S51)" in out
    code, _, err = run(capsys, "catalogue", "show", "bestaat-niet")
    assert code == 1 and "Niet gevonden" in err

    code, out, _ = run(capsys, "catalogue", "search", "Edenred")
    assert code == 0 and "opleidingsportefeuille/opleidingscheques [how_to_apply]" in out
    code, out, _ = run(capsys, "catalogue", "search", "'; DROP TABLE measures; --")
    assert code == 0


def test_load_broken_leaves_database_untouched(cli_env, capsys, catalogue_copy, dump_db):
    assert run(capsys, "catalogue", "load", "--any-ids")[0] == 0
    before = dump_db(cli_env)
    (catalogue_copy / "measures/telewerk.yml").write_bytes(b"\x00binary")
    (catalogue_copy / "measures/stagebonus.yml").unlink()
    code, out, err = run(capsys, "catalogue", "load", "--any-ids")
    assert code == 1
    assert "measures/telewerk.yml: binary file, expected YAML text" in out
    assert "niet gewijzigd" in err
    assert dump_db(cli_env) == before


def test_removed_file_removed_by_load(cli_env, capsys, catalogue_copy):
    assert run(capsys, "catalogue", "load", "--any-ids")[0] == 0
    (catalogue_copy / "measures/telewerk.yml").unlink()
    code, out, _ = run(capsys, "catalogue", "load", "--any-ids")
    assert code == 0 and "Verwijderd: telewerk (measure), esf-oproep-telewerk (instrument)" in out
    with cli_env.connect() as conn:
        assert sorted(r.id for r in conn.execute(select(Measure.id))) == ["opleidingsportefeuille", "stagebonus"]


def test_read_commands_before_load(cli_env, capsys):
    for argv in (["catalogue", "list"], ["catalogue", "show", "telewerk"], ["catalogue", "search", "x"]):
        code, _, err = run(capsys, *argv)
        assert code == 1 and "niet geladen" in err


def test_db_upgrade(cli_env, capsys):
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "bijgewerkt" in out
    assert run(capsys, "db", "upgrade")[0] == 0


def test_usage_errors(capsys):
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        main(["catalogue"])


def test_inbox_list_assign_and_export(cli_env, capsys, tmp_path):
    from bot import inbox
    from bot.catalogue.db import session_scope

    assert run(capsys, "catalogue", "load", "--any-ids")[0] == 0
    with session_scope() as session:
        item_id = inbox.record(session, "wat is de zotte thuiswerkcheque", "clarified", "Bedoel je ...?", ["telewerk"]).id
    code, out, _ = run(capsys, "inbox", "list", "--json")
    [row] = json.loads(out)["items"]
    assert code == 0 and (row["id"], row["reason"], row["count"], row["candidates"]) == (
        item_id, "clarified", 1, ["telewerk"])
    code, _, err = run(capsys, "inbox", "assign", str(item_id), "geen-maatregel")
    assert code == 1 and "geen maatregel" in err
    assert run(capsys, "inbox", "assign", str(item_id), "telewerk", "--by", "an")[0] == 0
    assert json.loads(run(capsys, "inbox", "list", "--json")[1])["items"] == []
    target = tmp_path / "nlu" / "inbox.yml"
    target.parent.mkdir()
    code, out, _ = run(capsys, "inbox", "export", "--file", str(target))
    assert code == 0 and "1 voorbeelden" in out
    assert "- intent: ask_telewerk" in target.read_text(encoding="utf-8")
    assert "    - wat is de zotte thuiswerkcheque" in target.read_text(encoding="utf-8")
