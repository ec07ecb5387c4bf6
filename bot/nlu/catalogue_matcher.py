"""Rasa NLU component: entities for the measures, instruments, target groups, interests and
aspects named in a message.

Measure and instrument names come from the catalogue database, not from the trained model,
so a name added with `python -m bot catalogue load` is recognised by a running server: the
component re-reads the aliases when the catalogue's checksum changes.

It lemmatises with the pipeline SpacyNLP loaded and reads the doc SpacyNLP made of each
message: a second copy of the lemma tables cost the server about 80 MB and 2 s of start-up.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Dict, List, Optional, Text

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

from bot.nlu.catalogue_index import CatalogueIndex

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False, model_from="SpacyNLP"
)
class CatalogueEntityMatcher(GraphComponent, EntityExtractorMixin):
    @classmethod
    def required_components(cls) -> List[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # How often (seconds) to ask the database whether the catalogue changed.
        return {"refresh_seconds": 5.0}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._refresh_seconds = float(config.get("refresh_seconds", 5.0))
        self._index: Optional[CatalogueIndex] = None  # built on the first message, with SpacyNLP's pipeline
        self._checked_at = 0.0

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CatalogueEntityMatcher":
        return cls(config)

    def process_training_data(self, training_data: TrainingData, model: SpacyModel) -> TrainingData:
        # Entities are not annotated in the training data and DIET does not learn them.
        return training_data

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        if self._index is None:
            self._index = CatalogueIndex(model.model)
        now = time.monotonic()
        if now - self._checked_at >= self._refresh_seconds:
            self._checked_at = now
            self._index.refresh()
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            doc = message.get(SPACY_DOCS[TEXT]) or self._index.doc(text)
            found = self._index.entities(doc)
            if found:
                for entity in found:
                    entity["extractor"] = self.__class__.__name__
                message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
