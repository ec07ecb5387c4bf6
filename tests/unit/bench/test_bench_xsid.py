"""xSID CoNLL -> Rasa NLU conversion on tiny inputs."""
from __future__ import annotations

import json

import pytest
import yaml

from bot.bench import xsid

SAMPLE = """# id = 1
# text-en = Is it going to rain today?
# text = Gaat het regenen vandaag?
# intent = weather/find
1\tGaat\tweather/find\tO
2\thet\tweather/find\tO
3\tregenen\tweather/find\tB-weather/attribute
4\tvandaag\tweather/find\tB-datetime
5\t?\tweather/find\tO

# id = 2
# text: Zet een [wekker] om 7 uur
# intent: alarm/set_alarm
1\tZet\talarm/set_alarm\tO

# id = 3
1\tspeel\tPlayMusic\tO
2\tiets\tPlayMusic\tO
"""


def test_parse_conll_reads_both_header_styles_and_falls_back_to_tokens():
    utterances = xsid.parse_conll(SAMPLE)
    assert utterances == [
        xsid.Utterance("Gaat het regenen vandaag?", "weather/find"),
        xsid.Utterance("Zet een [wekker] om 7 uur", "alarm/set_alarm"),
        xsid.Utterance("speel iets", "PlayMusic"),
    ]


def test_parse_conll_rejects_a_block_without_intent():
    with pytest.raises(xsid.XsidFormatError):
        xsid.parse_conll("# text = iets zonder intent\n")


def test_intent_names_are_not_retrieval_intents():
    assert xsid.rasa_intent("alarm/set_alarm") == "alarm_set_alarm"
    assert xsid.rasa_intent("PlayMusic") == "PlayMusic"
    assert "/" not in xsid.rasa_intent("a/b/c")


def test_yaml_is_valid_rasa_nlu_without_entity_syntax():
    text = xsid.to_rasa_yaml(xsid.parse_conll(SAMPLE) + [xsid.Utterance("speel iets", "PlayMusic")])
    data = yaml.safe_load(text)
    assert data["version"] == "3.1"
    intents = {item["intent"]: item["examples"].splitlines() for item in data["nlu"]}
    assert intents["alarm_set_alarm"] == ["- Zet een (wekker) om 7 uur"]
    assert intents["PlayMusic"] == ["- speel iets"]  # duplicates dropped
    assert intents["weather_find"] == ["- Gaat het regenen vandaag?"]


def test_convert_writes_train_yaml_and_test_json(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "nl.valid.conll").write_text(SAMPLE, encoding="utf-8")
    (source / "nl.test.conll").write_text(
        "# text = wordt het warm\n# intent = weather/find\n\n"
        "# text = hoelang nog\n# intent = alarm/time_left_on_alarm\n", encoding="utf-8")
    split = xsid.convert(source, tmp_path / "out")
    assert split.train_yaml.exists()
    test = json.loads(split.test_json.read_text(encoding="utf-8"))
    assert test == [{"text": "wordt het warm", "intent": "weather_find"},
                    {"text": "hoelang nog", "intent": "alarm_time_left_on_alarm"}]
    assert split.unseen_test_intents == ["alarm_time_left_on_alarm"]
    assert split.train_counts["weather_find"] == 1


def test_accuracy():
    assert xsid.accuracy([("a", "a"), ("b", "a")]) == (1, 2)
