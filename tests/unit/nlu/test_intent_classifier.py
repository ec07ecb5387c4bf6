"""DIET loaded without a training step predicts exactly what the trained DIET predicted: a small
DIET is trained, persisted and loaded back through Rasa's graph-component API."""
import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_classifier import PredictionLoadedDIETClassifier

EXAMPLES = {
    "opleiding": ["ik wil een opleiding volgen", "welke cursus kan ik doen", "opleidingsverlof aanvragen",
                  "kan ik studeren met behoud van loon", "waar vind ik een e-learning"],
    "telewerk": ["mag ik thuiswerken", "premie voor telewerk", "thuiswerk in een satellietkantoor",
                 "telewerken voor mijn bedrijf", "werken van thuis uit"],
    "groet": ["hallo", "dag", "goeiemorgen", "hey daar", "hoi"],
}
QUESTIONS = ["ik wil thuiswerken", "een opleiding voor mij", "hallo daar", "cursus telewerk", "iets anders"]
CONFIG = {**DIETClassifier.get_default_config(), "epochs": 5, "number_of_transformer_layers": 0,
          "constrain_similarities": True, "evaluate_every_number_of_epochs": -1,
          "entity_recognition": False, "random_seed": 1}


def featurized(tokenizer, featurizer, texts):
    messages = [Message(data={TEXT: text}) for text in texts]
    tokenizer.process(messages)
    featurizer.process(messages)
    return messages


def ranking(classifier, messages):
    classifier.process(messages)
    return [{r["name"]: r["confidence"] for r in m.get(INTENT_RANKING_KEY)} for m in messages]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("diet"))
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(), storage,
                                               Resource("featurizer"), context)
    data = TrainingData([Message(data={TEXT: text, INTENT: intent})
                         for intent, texts in EXAMPLES.items() for text in texts])
    tokenizer.process_training_data(data)
    featurizer.train(data)
    data = featurizer.process_training_data(data)
    resource = Resource("diet")
    classifier = PredictionLoadedDIETClassifier.create(CONFIG, storage, resource, context)
    classifier.train(data)
    expected = ranking(classifier, featurized(tokenizer, featurizer, QUESTIONS))
    return storage, resource, tokenizer, featurizer, expected


def load(storage, resource, finetuning=False):
    context = ExecutionContext(GraphSchema({}), "test", is_finetuning=finetuning)
    return PredictionLoadedDIETClassifier.load(CONFIG, storage, resource, context)


def test_loaded_classifier_predicts_what_the_trained_one_did_without_a_training_step(trained):
    storage, resource, tokenizer, featurizer, expected = trained
    loaded = load(storage, resource)
    assert loaded.model.train_function is None  # no training graph was traced
    assert getattr(loaded.model, "optimizer", None) is None
    got = ranking(loaded, featurized(tokenizer, featurizer, QUESTIONS))
    assert [max(r, key=r.get) for r in got] == [max(r, key=r.get) for r in expected]
    for got_ranking, expected_ranking in zip(got, expected):
        assert got_ranking.keys() == expected_ranking.keys()
        np.testing.assert_allclose([got_ranking[k] for k in expected_ranking],
                                   list(expected_ranking.values()), rtol=1e-5)


def test_finetuning_still_loads_through_rasas_training_step(trained):
    storage, resource, *_ = trained
    loaded = load(storage, resource, finetuning=True)
    assert loaded.model.optimizer is not None
    assert loaded.model.train_function is not None
