"""Rasa NLU components that read the live catalogue.

CatalogueEntityMatcher  entities for the measures, instruments, target groups, interests and
                        aspects named in a message.
AnswerItemRanker        the catalogue's answer items that best match the message
                        (`answer_items`: the best few per measure, with a score).

Both read the catalogue database, not the trained model: a name or an answer item added with
`python -m bot catalogue load` is used by a running server at the next message (see
CatalogueWatch). Both lemmatise with the pipeline SpacyNLP loaded and read the doc SpacyNLP
made of each message, so the server holds the lemma tables once.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.language import Language
from spacy.tokens import Doc, Token

from bot.catalogue import queries
from bot.catalogue.vocabulary import vocabulary
from bot.nlu.catalogue_index import entities, phrase_index, vocabulary_phrases
from bot.nlu.catalogue_watch import CatalogueWatch
from bot.nlu.item_index import ItemIndex, question_span
from bot.nlu.outputs import ANSWER_ITEMS
from bot.nlu.phrase_matcher import PhraseIndex, stemmed_dictionary


class _CatalogueComponent(GraphComponent):
    """What both components share: the spaCy pipeline, the watch on the catalogue, and no
    training (they learn nothing from the training data)."""

    what = "catalogue index"

    @classmethod
    def required_components(cls) -> List[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # How often (seconds) to ask the database whether the catalogue changed.
        return {"refresh_seconds": 5.0}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config
        self._watch: Optional[CatalogueWatch] = None  # made on the first message, with SpacyNLP's pipeline
        self._nlp: Optional[Language] = None  # the pipeline the watch builds with

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "_CatalogueComponent":
        return cls(config)

    def process_training_data(self, training_data: TrainingData, model: SpacyModel) -> TrainingData:
        return training_data

    def _build(self, session, nlp: Language):
        raise NotImplementedError

    def _fallback(self, nlp: Language):
        raise NotImplementedError

    def _annotate(self, message: Message, doc: Doc, index) -> None:
        raise NotImplementedError

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        nlp = model.model
        if self._watch is None or nlp is not self._nlp:  # SpacyNLP loads its pipeline afresh now and then
            self._nlp = nlp
            self._watch = CatalogueWatch(lambda session: self._build(session, nlp), self._fallback(nlp),
                                         self.what, float(self._config.get("refresh_seconds", 5.0)))
        index = self._watch.get()
        for message in messages:
            text = message.get(TEXT)
            if text:
                self._annotate(message, message.get(SPACY_DOCS[TEXT]) or nlp(text.lower()), index)
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False, model_from="SpacyNLP"
)
class CatalogueEntityMatcher(_CatalogueComponent, EntityExtractorMixin):
    what = "catalogue names"

    def _build(self, session, nlp: Language) -> PhraseIndex:
        return phrase_index(session, nlp)

    def _fallback(self, nlp: Language) -> PhraseIndex:
        return PhraseIndex(vocabulary_phrases(vocabulary()), nlp)

    def _annotate(self, message: Message, doc: Doc, index: PhraseIndex) -> None:
        found = entities(index, doc)
        for entity in found:
            entity["extractor"] = self.__class__.__name__
        if found:
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False, model_from="SpacyNLP"
)
class AnswerItemRanker(_CatalogueComponent):
    what = "answer item index"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"refresh_seconds": 5.0, "per_measure": 3}

    def _build(self, session, nlp: Language) -> ItemIndex:
        return ItemIndex(queries.answer_items(session), _lemmatiser(nlp), stemmed_dictionary(nlp))

    def _fallback(self, nlp: Language) -> ItemIndex:
        return ItemIndex((), _lemmatiser(nlp))

    def _annotate(self, message: Message, doc: Doc, index: ItemIndex) -> None:
        words = index.terms(_lemmas(doc))
        start, _ = question_span(doc.text)
        question = index.terms(_lemmas(t for t in doc if t.idx >= start))
        ranked = index.best_per_measure(words, question, int(self._config.get("per_measure", 3)))
        message.set(ANSWER_ITEMS, {"coverage": round(index.coverage(words), 4),
                                   "information": round(index.information(words), 3),
                                   "ranked": [item.as_dict() for item in ranked]}, add_to_output=True)


def _lemmas(tokens: Iterable[Token]) -> List[str]:
    return [token.lemma_ or token.text for token in tokens]


def _lemmatiser(nlp: Language):
    return lambda text: _lemmas(nlp(text.lower()))
