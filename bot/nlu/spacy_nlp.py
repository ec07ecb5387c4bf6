"""Rasa's SpacyNLP with a vocabulary that cannot grow without end.

spaCy 3.4 keeps every word it has ever seen in its vocabulary (and the tokenizer's cache), for
the life of the process: a stream of random words grows the Rasa server's memory with every
message and never gives it back. spaCy's advice is to start the vocabulary afresh now and then;
this component loads the pipeline again from disk once `max_new_words` words have been added
since the last load. The components that use the pipeline see the new one in the model they are
given and rebuild what they made with the old one.

The class keeps Rasa's name: components that need the pipeline ask for the provider by it.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils import spacy_utils
from rasa.nlu.utils.spacy_utils import SpacyModel

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False, model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**spacy_utils.SpacyNLP.get_default_config(), "max_new_words": 20000}

    def __init__(self, model: SpacyModel, config: Dict[Text, Any]) -> None:
        super().__init__(model, config)
        self._provided = 0  # times the current pipeline was provided
        self._settled_words = 0

    def provide(self) -> SpacyModel:
        words = len(self._model.model.vocab)
        self._provided += 1
        if self._provided <= 2:
            # The first message after a load also builds the catalogue indices with the
            # pipeline: their words are not new words, so counting starts after it.
            self._settled_words = words
        elif words - self._settled_words > int(self._config["max_new_words"]):
            logger.info("spaCy vocabulary grew by %d words: loading the pipeline afresh", words - self._settled_words)
            self._model = self.load_model(self._model.model_name)
            self._provided = 1
            self._settled_words = len(self._model.model.vocab)
        return self._model
