"""The Rasa component on real Messages, after Rasa's SpacyNLP with the project's Dutch pipeline,
and the real catalogue database, including a catalogue change picked up by a running component
without retraining."""
import shutil

import pytest
import yaml
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.catalogue.db import get_engine
from bot.catalogue.loader import load_catalogue
from bot.nlu.catalogue_matcher import AnswerItemRanker, CatalogueEntityMatcher
from bot.nlu.outputs import ANSWER_ITEMS
from bot.settings import REPO_ROOT, catalogue_dir

SPACY = SpacyNLP.load_model(str(REPO_ROOT / "var" / "spacy-nl"))
SPACY_NLP = SpacyNLP(SPACY, {**SpacyNLP.get_default_config(), "model": str(REPO_ROOT / "var" / "spacy-nl")})


def processed(component, text):
    message = Message(data={TEXT: text})
    SPACY_NLP.process([message], SPACY)
    component.process([message], SPACY)
    return message


def entities(component, text):
    return {(e["entity"], e["value"]) for e in processed(component, text).get(ENTITIES, [])}


@pytest.fixture
def component(catalogue_database):
    return CatalogueEntityMatcher({"refresh_seconds": 0})


def test_lemmatises_with_the_pipeline_spacy_nlp_loaded(component):
    # plurals through the lookup lemmas: opleidingen -> opleiding, werklozen -> werkloze
    assert ("measure", "opleiding-tijdelijk-werklozen") in entities(component, "Opleidingen voor tijdelijk werklozen?")
    assert component._watch.get().nlp is SPACY.model


def test_reads_the_doc_spacy_nlp_made(component):
    message = Message(data={TEXT: "wat is een werkbaarheidscheque"})
    message.set(SPACY_DOCS[TEXT], SPACY.model("wat is een opleidingscheque"))
    component.process([message], SPACY)
    assert {e["value"] for e in message.get(ENTITIES)} >= {"opleidingscheques"}


def test_a_message_without_a_spacy_doc_is_lemmatised_by_the_same_pipeline(component):
    message = Message(data={TEXT: "Kan ik als tijdelijk werkloze opleidingscheques krijgen?"})
    component.process([message], SPACY)
    assert ("instrument", "opleidingscheques") in {(e["entity"], e["value"]) for e in message.get(ENTITIES)}


def test_measures_instruments_groups_and_aspects(component):
    found = entities(component, "Kan ik als tijdelijk werkloze opleidingscheques krijgen?")
    assert ("instrument", "opleidingscheques") in found
    assert ("doelgroep", "tijdelijk werkloze") in found
    assert ("aspect", "amount") not in found
    assert ("measure", "stagebonus") in entities(component, "bestaat de stage bonus nog")
    assert ("aspect", "status") in entities(component, "bestaat de stage bonus nog")


def test_the_three_priorities_named_together_name_the_agreement_not_werkbaar_werk(component):
    found = entities(component, "Hoeveel geld ging er naar opleidingen, digitalisering en werkbaar werk?")
    assert ("measure", "relanceplan") in found and ("measure", "werkbaar-werk") not in found
    assert ("measure", "werkbaar-werk") in entities(component, "Is er steun voor werkbaar werk in een kmo?")


def test_entities_carry_offsets_and_the_extractor(component):
    message = processed(component, "wat is een werkbaarheidscheque")
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


def test_the_item_ranker_ranks_items_and_sees_a_new_one_after_a_load_without_retraining(
        tmp_path, catalogue_database):
    ranker = AnswerItemRanker({"refresh_seconds": 0, "per_measure": 3})

    def ranked(text):
        message = Message(data={TEXT: text})
        ranker.process([message], SPACY)
        return message.get(ANSWER_ITEMS)

    found = ranked("hoeveel uur opleidingsverlof krijg ik per schooljaar?")
    assert found["ranked"][0]["measure"] == "opleidingsverlof-e-leren"
    assert 0 < found["coverage"] <= 1 and found["information"] > 0
    assert all(r["id"] != "telewerk-kotwerk" for r in ranked("mag ik kotwerken op mijn studentenkamer?")["ranked"])
    copy = tmp_path / "catalogue"
    shutil.copytree(catalogue_dir(), copy)
    path = copy / "measures" / "telewerk.yml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry["items"].append({"id": "telewerk-kotwerk", "aspect": "eligibility", "label": "Kotwerken?",
                           "questions": ["mag ik kotwerken op mijn studentenkamer?"],
                           "answer": "Daarover zegt het actieplan telewerk niets.", "sources": ["S51"]})
    path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        load_catalogue(get_engine(catalogue_database), copy)
        assert ranked("mag ik kotwerken op mijn studentenkamer?")["ranked"][0]["id"] == "telewerk-kotwerk"
    finally:
        load_catalogue(get_engine(catalogue_database), catalogue_dir())
