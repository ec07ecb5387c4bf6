"""The answer item ranker on the real catalogue: BM25 over lemmas finds the item that answers
a question, tolerates typos, weighs the question of a long message, and scores are comparable
across messages."""
import pytest

from bot.catalogue import queries
from bot.catalogue.db import session_scope
from bot.nlu.item_index import ItemIndex, question_span
from bot.nlu.phrase_matcher import stemmed_dictionary
from bot.nlu.pipeline import lemmatizer


@pytest.fixture(scope="module")
def index(catalogue_database):
    nlp = lemmatizer()
    with session_scope() as session:
        items = queries.answer_items(session)
    return ItemIndex(items, lambda text: [t.lemma_ or t.text for t in nlp(text.lower())], stemmed_dictionary(nlp))


def best(index, text, measure=None):
    ranked = [(item, score) for item, score in index.rank(index.words(text))
              if measure is None or item.measure_id == measure]
    return ranked[0] if ranked else (None, 0.0)


@pytest.mark.parametrize("question, measure, fact", [
    ("telt een live les via teams mee voor opleidingsverlof?", "opleidingsverlof-e-leren", "ja"),
    ("hoeveel is de premie kwalificerend werkplekleren per leerling?", "stagebonus", "1.000"),
    ("wanneer werd het akkoord alle hens aan dek ondertekend?", "relanceplan", "14 december 2020"),
    ("hoeveel keer kan een bedrijf een werkbaarheidscheque krijgen?", "werkbaar-werk", "3"),
])
def test_the_item_that_holds_the_asked_fact_comes_first(index, question, measure, fact):
    item, score = best(index, question, measure)
    assert item is not None and fact in item.answer.lower(), (item and item.id, item and item.answer)
    assert 0 < score <= 1.5


def test_a_typo_finds_the_same_item(index):
    right, _ = best(index, "hoeveel bedraagt de werkbaarheidscheque maximaal?")
    typo, _ = best(index, "hoeveel bedraagt de werkbaarhiedscheque maximaal?")
    assert typo.id == right.id


def test_off_topic_and_foreign_messages_have_a_low_coverage(index):
    dutch = index.coverage(index.words("hoeveel uur opleidingsverlof krijg ik per schooljaar?"))
    english = index.coverage(index.words("could you help me write a cover letter for a warehouse job"))
    assert dutch > 0.6 > english


def test_nothing_known_ranks_nothing(index):
    assert index.rank(index.words("qwzx plorf")) == []
    assert index.rank([]) == []


def test_the_question_of_a_long_message_is_found():
    text = "Ik ben 47 en woon in Mechelen. Mijn zus zei iets over cursussen. Kan ik dat gratis doen? Groetjes."
    start, end = question_span(text)
    assert text[start:end].startswith("Kan ik dat gratis doen?")
    assert question_span("hoeveel kost dat") == (0, len("hoeveel kost dat"))


def test_the_best_items_per_measure_are_capped_and_sorted(index):
    words = index.words("hoeveel kost een opleiding en wie betaalt dat")
    ranked = index.best_per_measure(words, words, per_measure=2)
    per_measure = {}
    for item in ranked:
        per_measure[item.measure_id] = per_measure.get(item.measure_id, 0) + 1
    assert max(per_measure.values()) <= 2
    assert [i.score for i in ranked] == sorted((i.score for i in ranked), reverse=True)
