"""Turns as the NLU would hand them to the dialogue: the answer items ranked by the real
index over the real catalogue, the intent and entities given by the test."""
from typing import Dict, List, Optional, Sequence, Tuple

import pytest
from sqlalchemy.orm import Session

from bot.catalogue import queries
from bot.catalogue.db import get_engine
from bot.dialogue.turn import Turn
from bot.nlu.item_index import ItemIndex, question_span
from bot.nlu.phrase_matcher import stemmed_dictionary
from bot.nlu.pipeline import lemmatizer


@pytest.fixture
def session(catalogue_database):
    with Session(get_engine(catalogue_database)) as session:
        yield session


@pytest.fixture(scope="session")
def item_index(catalogue_database):
    nlp = lemmatizer()
    with Session(get_engine(catalogue_database)) as session:
        items = queries.answer_items(session)
    return ItemIndex(items, lambda text: [t.lemma_ or t.text for t in nlp(text.lower())], stemmed_dictionary(nlp))


@pytest.fixture
def turn(item_index):
    def make(text: str, intent: str, confidence: float = 0.9, entities: Sequence[Tuple] = (),
             ranking: Sequence[Tuple[str, float]] = (), slots: Optional[Dict] = None) -> Turn:
        words = item_index.words(text)
        start, _ = question_span(text)
        ranked = item_index.best_per_measure(words, item_index.words(text[start:]))
        parse = {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}]
            + [{"name": n, "confidence": c} for n, c in ranking],
            "entities": [{"entity": e[0], "value": e[1], "confidence_entity": e[2] if len(e) > 2 else 1.0}
                         for e in entities],
            "answer_items": {"coverage": item_index.coverage(words), "ranked": [r.as_dict() for r in ranked]},
        }
        return Turn.from_parse(parse, slots or {})

    return make
