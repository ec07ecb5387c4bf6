"""The project's SpacyNLP: spaCy's vocabulary stays bounded under a stream of new words, the
catalogue components follow the pipeline it loads afresh, and nothing keeps the old one."""
import gc
import random
import string
import weakref

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.catalogue_matcher import AnswerItemRanker, CatalogueEntityMatcher
from bot.nlu.spacy_nlp import SpacyNLP
from bot.settings import REPO_ROOT

PIPELINE = str(REPO_ROOT / "var" / "spacy-nl")
MAX_NEW_WORDS = 300


def spacy_nlp() -> SpacyNLP:
    config = {**SpacyNLP.get_default_config(), "model": PIPELINE, "max_new_words": MAX_NEW_WORDS}
    return SpacyNLP(SpacyNLP.load_model(PIPELINE), config)


def random_words(rng: random.Random, count: int = 20) -> str:
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 10))) for _ in range(count))


def run(nlp: SpacyNLP, components, text: str) -> Message:
    model = nlp.provide()
    message = Message(data={TEXT: text})
    nlp.process([message], model)
    for each in components:
        each.process([message], model)
    return message


def test_a_stream_of_new_words_does_not_grow_the_vocabulary_without_end():
    nlp, rng = spacy_nlp(), random.Random(7)
    first = nlp.provide().model
    start = len(first.vocab)
    sizes = [len(run(nlp, (), random_words(rng)).get("text_spacy_doc").vocab) for _ in range(40)]
    assert max(sizes) <= start + MAX_NEW_WORDS + 20 * 2  # one message's words over the limit at most
    assert nlp.provide().model is not first


def test_a_fresh_pipeline_lemmatises_as_before():
    nlp, rng = spacy_nlp(), random.Random(8)
    text = "Opleidingen voor tijdelijk werklozen en werkbaarheidscheques"
    before = [t.lemma_ for t in run(nlp, (), text).get("text_spacy_doc")]
    first = nlp.provide().model
    for _ in range(40):
        run(nlp, (), random_words(rng))
    doc = run(nlp, (), text).get("text_spacy_doc")
    assert doc.vocab is not first.vocab
    assert [t.lemma_ for t in doc] == before and before[0] == "opleiding"


def test_a_fresh_pipeline_shares_the_lemma_tables_instead_of_reading_a_second_copy():
    nlp, rng = spacy_nlp(), random.Random(10)
    first = nlp.provide().model
    while nlp.provide().model is first:
        run(nlp, (), random_words(rng))
    fresh = nlp.provide().model
    assert fresh.pipe_names == first.pipe_names
    assert fresh.get_pipe("lemmatizer").lookups is first.get_pipe("lemmatizer").lookups
    assert fresh.get_pipe("lemmatizer").mode == "lookup"


def test_the_catalogue_components_follow_the_fresh_pipeline(catalogue_database):
    nlp, rng = spacy_nlp(), random.Random(9)
    component = CatalogueEntityMatcher({"refresh_seconds": 0})
    components = (component, AnswerItemRanker({"refresh_seconds": 0}))
    question = "Kan ik als tijdelijk werkloze opleidingscheques krijgen?"
    assert ("instrument", "opleidingscheques") in {(e["entity"], e["value"]) for e in run(nlp, components, question).get(ENTITIES)}
    first = weakref.ref(nlp.provide().model)
    while nlp.provide().model is first():
        run(nlp, components, random_words(rng))
    run(nlp, components, "hallo")  # the components meet the new pipeline
    gc.collect()
    assert first() is None  # nothing keeps a replaced pipeline alive
    message = run(nlp, components, question)
    assert ("instrument", "opleidingscheques") in {(e["entity"], e["value"]) for e in message.get(ENTITIES)}
    assert component._watch.get().nlp.vocab is message.get("text_spacy_doc").vocab
