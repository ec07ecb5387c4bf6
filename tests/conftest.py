"""Fixtures shared by the end-to-end and browser tests: one running bot per test session."""
from __future__ import annotations

import os

import pytest

from tests.servers import MODEL, Stack, serving

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """Action server + Rasa server + web app on test ports, on a copy of the catalogue database."""
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make setup` first")
    workdir = tmp_path_factory.mktemp("stack")
    database = f"sqlite:///{workdir / 'bot.db'}"
    env = {"BOT_DATABASE_URL": database}
    from bot.catalogue.db import get_engine
    from bot.catalogue.loader import load_catalogue
    from bot.settings import catalogue_dir

    load_catalogue(get_engine(database), catalogue_dir())
    with serving(Stack(workdir, env)) as running:
        running.start_actions()
        running.start_rasa()
        running.start_web()
        yield running


@pytest.fixture(scope="session")
def catalogue_database(tmp_path_factory):
    """The real catalogue loaded into a fresh SQLite file, made the default database
    (BOT_DATABASE_URL) for code under test that opens its own sessions."""
    from bot.catalogue.db import get_engine
    from bot.catalogue.loader import load_catalogue
    from bot.settings import catalogue_dir

    url = f"sqlite:///{tmp_path_factory.mktemp('catalogue') / 'bot.db'}"
    load_catalogue(get_engine(url), catalogue_dir())
    previous = os.environ.get("BOT_DATABASE_URL")
    os.environ["BOT_DATABASE_URL"] = url
    yield url
    if previous is None:
        os.environ.pop("BOT_DATABASE_URL", None)
    else:
        os.environ["BOT_DATABASE_URL"] = previous


@pytest.fixture(scope="session")
def item_index(catalogue_database):
    """The answer item index the NLU builds, over the real catalogue."""
    from sqlalchemy.orm import Session

    from bot.catalogue import queries
    from bot.catalogue.db import get_engine
    from bot.nlu.item_index import ItemIndex
    from bot.nlu.phrase_matcher import stemmed_dictionary
    from bot.nlu.pipeline import lemmatizer

    nlp = lemmatizer()
    with Session(get_engine(catalogue_database)) as session:
        items = queries.answer_items(session)
    return ItemIndex(items, lambda text: [t.lemma_ or t.text for t in nlp(text.lower())], stemmed_dictionary(nlp))


@pytest.fixture
def parse_data(item_index):
    """A parsed message as the Rasa server hands it on: the intent and entities the test gives,
    the answer items ranked by the real index."""
    from bot.nlu.item_index import question_span

    def make(text, intent, confidence=0.9, entities=(), ranking=()):
        words = item_index.words(text)
        start, _ = question_span(text)
        ranked = item_index.best_per_measure(words, item_index.words(text[start:]))
        return {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}]
            + [{"name": n, "confidence": c} for n, c in ranking],
            "entities": [{"entity": e[0], "value": e[1], "confidence_entity": e[2] if len(e) > 2 else 1.0}
                         for e in entities],
            "answer_items": {"coverage": item_index.coverage(words), "information": item_index.information(words),
                             "ranked": [r.as_dict() for r in ranked]},
        }

    return make
