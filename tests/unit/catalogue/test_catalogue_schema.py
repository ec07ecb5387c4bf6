"""Schema validation: the valid mini catalogue, and one broken variant per kind of error."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.catalogue.constants import MEASURE_IDS
from bot.catalogue.validate import validate_catalogue

FIXTURE_IDS = ("stagebonus", "opleidingsportefeuille", "telewerk")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def save(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit(directory: Path, name: str, change) -> None:
    path = directory / name
    data = load(path)
    change(data)
    save(path, data)


def errors(directory: Path, expected_ids=None) -> list[str]:
    catalogue, issues = validate_catalogue(directory, expected_ids)
    assert (catalogue is None) == bool(issues)
    return [str(i) for i in issues]


def test_fixture_catalogue_is_valid(fixture_dir):
    catalogue, issues = validate_catalogue(fixture_dir, expected_ids=None)
    assert issues == []
    assert [m.id for m in catalogue.measures] == ["stagebonus", "opleidingsportefeuille", "telewerk"]
    assert len(catalogue.instruments) == 6
    assert len(catalogue.checksum) == 64
    stagebonus = catalogue.measures[0]
    assert stagebonus.status.state == "abolished"
    assert stagebonus.status.until == "2023-07-01"
    assert stagebonus.last_verified.isoformat() == "2026-11-26"
    # unquoted YAML dates are accepted and kept as ISO text
    premie = stagebonus.instruments[1]
    assert premie.status.since == "2023-09-01"


def test_fixture_subset_passes_with_matching_expected_ids(fixture_dir):
    assert errors(fixture_dir, FIXTURE_IDS) == []


def set_in(path_keys, value):
    def change(data):
        target = data
        for key in path_keys[:-1]:
            target = target[key]
        target[path_keys[-1]] = value

    return change


def delete_in(path_keys):
    def change(data):
        target = data
        for key in path_keys[:-1]:
            target = target[key]
        del target[path_keys[-1]]

    return change


T = "measures/telewerk.yml"
O = "measures/opleidingsportefeuille.yml"
S = "measures/stagebonus.yml"

BROKEN = [
    # (id, file to edit, change, expected error line)
    ("unknown-source", T, set_in(["answers", "amount", "sources"], ["S51", "S999"]),
     "measures/telewerk.yml: telewerk: answers.amount.sources[1]: unknown source id 'S999'"),
    ("missing-aspect", T, delete_in(["answers", "contact"]),
     "measures/telewerk.yml: telewerk: answers.contact: field required"),
    ("unknown-aspect", T, set_in(["answers", "costs"], {"text": "x", "sources": ["S50"]}),
     "measures/telewerk.yml: telewerk: answers.costs: extra fields not permitted"),
    ("no-sources", T, set_in(["answers", "status", "sources"], []),
     "measures/telewerk.yml: telewerk: answers.status.sources: needs at least one source id"),
    ("empty-text", T, set_in(["answers", "overview", "text"], "   "),
     "measures/telewerk.yml: telewerk: answers.overview.text: ensure this value has at least 1 characters"),
    ("empty-title", T, set_in(["title"], ""), "measures/telewerk.yml: telewerk: title: ensure this value has at least 1 characters"),
    ("bad-target-group", T, set_in(["target_groups"], ["werkgever", "ouders"]),
     "measures/telewerk.yml: telewerk: target_groups[1]: unexpected value; permitted: 'werkzoekende'"),
    ("bad-theme", T, set_in(["themes"], ["mobiliteit"]),
     "measures/telewerk.yml: telewerk: themes[0]: unexpected value; permitted: 'opleiding'"),
    ("bad-successor", S, set_in(["status", "successor"], "startbonus"),
     "measures/stagebonus.yml: stagebonus: status.successor: 'startbonus' is not a measure or instrument id"),
    ("self-successor", T, set_in(["status", "successor"], "telewerk"),
     "measures/telewerk.yml: telewerk: status.successor: an entry cannot succeed itself"),
    ("duplicate-alias", T, set_in(["aliases"], ["thuiswerk", "Opleidingscheque"]),
     "measures/telewerk.yml: telewerk: aliases[1]: duplicate alias 'Opleidingscheque'"),
    ("id-mismatch", T, set_in(["id"], "werkbaar-werk"),
     "measures/telewerk.yml: werkbaar-werk: id: does not match the file name (expected 'telewerk')"),
    ("bad-id", T, set_in(["id"], "Telewerk!"), "measures/telewerk.yml: Telewerk!: id: string does not match regex"),
    ("bad-date", T, set_in(["status", "since"], "2021-13-01"),
     "measures/telewerk.yml: telewerk: status.since: bad date '2021-13-01'"),
    ("bad-last-verified", T, set_in(["last_verified"], "gisteren"),
     "measures/telewerk.yml: telewerk: last_verified: bad date"),
    ("partial-last-verified", T, set_in(["last_verified"], "2026-11"),
     "measures/telewerk.yml: telewerk: last_verified: bad date '2026-11': use YYYY-MM-DD"),
    ("until-before-since", T, set_in(["status", "until"], "2020-01-01"),
     "measures/telewerk.yml: telewerk: status.until: 'until' (2020-01-01) is before 'since'"),
    ("abolished-without-until", T, set_in(["status", "state"], "abolished"),
     "measures/telewerk.yml: telewerk: status.until: an abolished entry needs its end date"),
    ("bad-state", T, set_in(["status", "state"], "stopped"),
     "measures/telewerk.yml: telewerk: status.state: unexpected value; permitted: 'announced'"),
    ("missing-priority", T, delete_in(["priority"]),
     "measures/telewerk.yml: telewerk: priority: missing (1, 2 or 3)"),
    ("bad-priority", T, set_in(["priority"], 4), "measures/telewerk.yml: telewerk: priority: unexpected value; permitted: 1, 2, 3"),
    ("unknown-field", T, set_in(["sumary"], "typo"), "measures/telewerk.yml: telewerk: sumary: extra fields not permitted"),
    ("missing-summary", T, delete_in(["summary"]), "measures/telewerk.yml: telewerk: summary: field required"),
    ("instrument-error-names-instrument", O,
     lambda d: d["instruments"][2]["answers"]["amount"].update(sources=["S404"]),
     "measures/opleidingsportefeuille.yml: kmo-portefeuille: answers.amount.sources[0]: unknown source id 'S404'"),
    ("instrument-missing-field", O, lambda d: d["instruments"][1].pop("title"),
     "measures/opleidingsportefeuille.yml: opleidingscheques: title: field required"),
    ("instrument-id-equals-measure-id", O, lambda d: d["instruments"][0].update(id="telewerk"),
     "measures/opleidingsportefeuille.yml: telewerk: id: already used by a measure in measures/telewerk.yml"),
    ("duplicate-instrument-id", O, lambda d: d["instruments"][1].update(id="opleidingstegoed", aliases=[]),
     "measures/opleidingsportefeuille.yml: opleidingstegoed: id: already used by a instrument"),
    ("alias-without-letters", T, set_in(["aliases"], ["thuiswerk", "?!"]),
     "measures/telewerk.yml: telewerk: aliases[1]: alias '?!' has no letters or digits"),
    ("bad-source-url", "sources.yml", lambda d: d["sources"][0].update(url="www.example.org"),
     "sources.yml: S10: url: invalid or missing URL scheme"),
    ("duplicate-source-id", "sources.yml", lambda d: d["sources"][1].update(id="S10"),
     "sources.yml: S10: id: duplicate source id"),
    ("bad-published", "sources.yml", lambda d: d["sources"][2].update(published="n.d."),
     "sources.yml: S16: published: bad date 'n.d.'"),
    ("source-missing-title", "sources.yml", lambda d: d["sources"][3].pop("title"),
     "sources.yml: S17: title: field required"),
]


@pytest.mark.parametrize("name, file, change, expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_variant_gives_clear_message(catalogue_copy, name, file, change, expected):
    edit(catalogue_copy, file, change)
    found = errors(catalogue_copy)
    assert any(line.startswith(expected) for line in found), found


def write(directory: Path, rel: str, content) -> None:
    path = directory / rel
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def test_yaml_syntax_error_reports_line(catalogue_copy):
    text = (catalogue_copy / T).read_text(encoding="utf-8").splitlines()
    text[3] = "summary: [unclosed"
    write(catalogue_copy, T, "\n".join(text) + "\n")
    found = errors(catalogue_copy)
    assert len(found) == 1
    assert found[0].startswith("measures/telewerk.yml: line ")
    assert "YAML syntax error" in found[0]


def test_duplicate_yaml_key(catalogue_copy):
    path = catalogue_copy / T
    write(catalogue_copy, T, path.read_text(encoding="utf-8") + "title: Nog een titel\n")
    found = errors(catalogue_copy)
    assert len(found) == 1 and "duplicate key 'title'" in found[0] and found[0].startswith(T + ": line ")


def test_binary_file(catalogue_copy):
    write(catalogue_copy, T, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert errors(catalogue_copy) == [f"{T}: binary file, expected YAML text"]


def test_non_utf8_file(catalogue_copy):
    write(catalogue_copy, T, "title: caf\xe9\n".encode("latin-1"))
    found = errors(catalogue_copy)
    assert len(found) == 1 and "not UTF-8" in found[0]


@pytest.mark.parametrize("content, kind", [("- telewerk\n- thuiswerk\n", "list"), ("just text\n", "str")])
def test_top_level_must_be_mapping(catalogue_copy, content, kind):
    write(catalogue_copy, T, content)
    assert errors(catalogue_copy) == [f"{T}: top level must be a mapping, found {kind}"]


def test_empty_file(catalogue_copy):
    write(catalogue_copy, T, "# nothing yet\n")
    assert errors(catalogue_copy) == [f"{T}: file is empty"]


def test_sources_file_missing(catalogue_copy):
    (catalogue_copy / "sources.yml").unlink()
    found = errors(catalogue_copy)
    assert "sources.yml: file missing" in found
    assert any("unknown source id" in line for line in found)


def test_sources_top_level_not_list(catalogue_copy):
    write(catalogue_copy, "sources.yml", "sources: S1\n")
    found = errors(catalogue_copy)
    assert found[0].startswith("sources.yml: sources: ")


def test_broken_vocabulary_is_reported(catalogue_copy):
    write(catalogue_copy, "vocabulary.yml", "target_groups: [unclosed\n")
    found = errors(catalogue_copy)
    assert len(found) == 1 and found[0].startswith("vocabulary.yml: line ")


def test_fixed_ids_all_present_and_no_others(catalogue_copy):
    write(catalogue_copy, "measures/vakantiegeld.yml", (catalogue_copy / T).read_text().replace(
        "id: telewerk", "id: vakantiegeld").replace("aliases: [", "aliases: [vakantie, "))
    found = errors(catalogue_copy, expected_ids=MEASURE_IDS)
    missing = [line for line in found if line.endswith("file missing (required measure id)")]
    assert len(missing) == 13  # 16 fixed ids, 3 present in the fixture
    assert "measures/relanceplan.yml: relanceplan: file missing (required measure id)" in found
    assert "measures/vakantiegeld.yml: vakantiegeld: not one of the 16 fixed measure ids" in found


def test_all_errors_reported_at_once(catalogue_copy):
    edit(catalogue_copy, T, set_in(["themes"], ["mobiliteit"]))
    edit(catalogue_copy, S, set_in(["status", "successor"], "niets"))
    write(catalogue_copy, O, "- kapot\n")
    found = errors(catalogue_copy)
    assert len(found) == 3, found


def test_relanceplan_may_have_null_priority(catalogue_copy):
    data = load(catalogue_copy / T)
    data.update(id="relanceplan", priority=None, aliases=["alle hens aan dek"], instruments=[])
    (catalogue_copy / T).unlink()
    save(catalogue_copy / "measures/relanceplan.yml", data)
    assert errors(catalogue_copy, expected_ids=("relanceplan", "stagebonus", "opleidingsportefeuille")) == []


def test_checksum_changes_only_with_content(catalogue_copy):
    first, _ = validate_catalogue(catalogue_copy, None)
    again, _ = validate_catalogue(catalogue_copy, None)
    assert first.checksum == again.checksum
    (catalogue_copy / "README.md").write_text("not part of the catalogue")
    assert validate_catalogue(catalogue_copy, None)[0].checksum == first.checksum
    edit(catalogue_copy, T, set_in(["summary"], "Een andere samenvatting."))
    assert validate_catalogue(catalogue_copy, None)[0].checksum != first.checksum


def test_missing_directory(tmp_path):
    found = errors(tmp_path / "nope")
    assert found == [f"{tmp_path / 'nope'}: catalogue directory not found"]
