"""Training inputs, the one-example change, the NLU-only configs, the stock config, xSID
conversion and reading what `rasa test nlu` writes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bench import nlu, training
from bench.training import PROJECT, STOCK


def test_the_added_example_is_one_more_example_of_an_existing_intent(tmp_path):
    from rasa.shared.nlu.training_data.loading import load_data

    data = training.copy_data(tmp_path / "data")
    before = load_data(str(data / "nlu"))
    change = training.add_one_example(data)
    after = load_data(str(data / "nlu"))
    intent, example = change.split(": ", 1)
    assert example.endswith(" alsjeblieft")
    assert len(after.intent_examples) == len(before.intent_examples) + 1
    assert after.number_of_examples_per_intent[intent] == before.number_of_examples_per_intent[intent] + 1
    assert not (training.DATA / "nlu" / "zz-bench-change.yml").exists()  # the repository is untouched


def test_the_fingerprint_follows_the_training_inputs(tmp_path):
    project, stock = training.training_inputs(PROJECT), training.training_inputs(STOCK)
    assert training.CONFIGS[PROJECT] in project and training.CONFIGS[STOCK] in stock
    assert any(p.parent.name == "nlu" and p.suffix == ".py" for p in project)  # the custom components
    assert not any(p.suffix == ".py" for p in stock)
    copy = tmp_path / "config.yml"
    copy.write_bytes(training.CONFIGS[PROJECT].read_bytes())
    before = training.fingerprint([copy])
    copy.write_text(copy.read_text() + "\n# changed\n")
    assert training.fingerprint([copy]) != before


def test_stock_config_is_rasas_default_for_dutch():
    import rasa

    default = yaml.safe_load((Path(rasa.__file__).parent / "engine" / "recipes" / "config_files"
                              / "default_config.yml").read_text())
    stock = yaml.safe_load(training.CONFIGS[STOCK].read_text())
    assert stock["language"] == "nl"
    assert (stock["pipeline"], stock["policies"]) == (default["pipeline"], default["policies"])


def test_nlu_config_leaves_out_the_policies_and_the_catalogue_components(tmp_path):
    path = training.nlu_config(PROJECT, tmp_path / "project.yml", nlu.CATALOGUE_COMPONENTS)
    config = yaml.safe_load(path.read_text())
    names = [c["name"] for c in config["pipeline"]]
    original = [c["name"] for c in yaml.safe_load(training.CONFIGS[PROJECT].read_text())["pipeline"]]
    assert "policies" not in config
    assert not any(n.endswith(("CatalogueEntityMatcher", "AnswerItemRanker")) for n in names)
    assert len(names) == len(original) - 2 and names[0] == original[0] and original[0].endswith("SpacyNLP")


SAMPLE = """# id = 1
# text-en = Is it going to rain today?
# text = Gaat het regenen vandaag?
# intent = weather/find
1\tGaat\tweather/find\tO
2\thet\tweather/find\tO

# id = 2
# text: Zet een [wekker] om 7 uur
# intent: alarm/set_alarm
1\tZet\talarm/set_alarm\tO

# id = 3
1\tspeel\tPlayMusic\tO
2\tiets\tPlayMusic\tO
"""


def test_xsid_blocks_in_both_header_styles_and_from_tokens():
    assert nlu.parse_conll(SAMPLE) == [nlu.Utterance("Gaat het regenen vandaag?", "weather/find"),
                                       nlu.Utterance("Zet een [wekker] om 7 uur", "alarm/set_alarm"),
                                       nlu.Utterance("speel iets", "PlayMusic")]
    with pytest.raises(nlu.XsidFormatError):
        nlu.parse_conll("# text = iets zonder intent\n")


def test_xsid_becomes_rasa_training_data_without_entity_syntax_or_retrieval_intents(tmp_path):
    from rasa.shared.nlu.training_data.loading import load_data

    path = tmp_path / "xsid.yml"
    path.write_text(nlu.to_rasa_yaml(nlu.parse_conll(SAMPLE) + [nlu.Utterance("speel iets", "PlayMusic")]))
    data = load_data(str(path))
    assert data.number_of_examples_per_intent == {"weather_find": 1, "alarm_set_alarm": 1, "PlayMusic": 1}
    assert {m.get("text") for m in data.intent_examples} >= {"Zet een (wekker) om 7 uur"}
    assert not data.entity_examples


def test_scores_are_read_from_rasas_intent_report(tmp_path):
    (tmp_path / "intent_report.json").write_text(json.dumps({
        "greet": {"precision": 1.0, "recall": 0.5, "f1-score": 0.667, "support": 2},
        "accuracy": 0.75, "macro avg": {"f1-score": 0.7, "support": 4},
        "weighted avg": {"precision": 0.8, "recall": 0.75, "f1-score": 0.74, "support": 4}}))
    assert nlu.intent_report(tmp_path) == {"accuracy": 75.0, "f1": 74.0, "n": 4}
