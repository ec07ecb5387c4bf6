"""The Rasa component on real Messages and the real catalogue database, including a catalogue
change picked up by a running component without retraining."""
import shutil

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.catalogue.db import get_engine
from bot.catalogue.loader import load_catalogue
from bot.nlu.catalogue_matcher import CatalogueEntityMatcher
from bot.settings import catalogue_dir


def entities(component, text):
    message = Message(data={TEXT: text})
    component.process([message])
    return {(e["entity"], e["value"]) for e in message.get(ENTITIES, [])}


@pytest.fixture
def component(catalogue_database):
    return CatalogueEntityMatcher({"refresh_seconds": 0})


def test_measures_instruments_groups_and_aspects(component):
    found = entities(component, "Kan ik als tijdelijk werkloze opleidingscheques krijgen?")
    assert ("instrument", "opleidingscheques") in found
    assert ("doelgroep", "tijdelijk werkloze") in found
    assert ("aspect", "amount") not in found
    assert ("measure", "stagebonus") in entities(component, "bestaat de stage bonus nog")
    assert ("aspect", "status") in entities(component, "bestaat de stage bonus nog")


def test_entities_carry_offsets_and_the_extractor(component):
    message = Message(data={TEXT: "wat is een werkbaarheidscheque"})
    component.process([message])
    [entity] = [e for e in message.get(ENTITIES) if e["entity"] == "instrument"]
    assert message.get(TEXT)[entity["start"]:entity["end"]] == "werkbaarheidscheque"
    assert entity["extractor"] == "CatalogueEntityMatcher"


def test_a_new_alias_is_recognised_after_a_catalogue_load_without_retraining(
        component, tmp_path, catalogue_database):
    assert ("measure", "telewerk") not in entities(component, "hoe zit het met kotwerken?")
    copy = tmp_path / "catalogue"
    shutil.copytree(catalogue_dir(), copy)
    path = copy / "measures" / "telewerk.yml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry["aliases"].append("kotwerken")
    path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        load_catalogue(get_engine(catalogue_database), copy)
        assert ("measure", "telewerk") in entities(component, "hoe zit het met kotwerken?")
    finally:
        load_catalogue(get_engine(catalogue_database), catalogue_dir())
