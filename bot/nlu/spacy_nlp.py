"""Rasa's SpacyNLP with a vocabulary that cannot grow without end.

spaCy 3.4 keeps every word it has ever seen in its vocabulary (and the tokenizer's cache), for
the life of the process: a stream of random words grows the Rasa server's memory with every
message and never gives it back. spaCy's advice is to start the vocabulary afresh now and then;
this component loads the pipeline again from disk once `max_new_words` words have been added
since the last load. The components that use the pipeline see the new one in the model they are
given and rebuild what they made with the old one.

The lemmatizer's lookup tables are most of the pipeline's memory and never change: the fresh
pipeline is handed the same tables instead of reading a second copy, so a reload does not raise
the process's high-water mark by a whole pipeline.

The class keeps Rasa's name: components that need the pipeline ask for the provider by it.
"""
from __future__ import annotations

import ctypes
import gc
import logging
from typing import Any, Dict, Text

import spacy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils import spacy_utils
from rasa.nlu.utils.spacy_utils import SpacyModel
from spacy.language import Language

logger = logging.getLogger(__name__)

LEMMATIZER = "lemmatizer"


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
        self._replaced_one = False  # the current pipeline replaced another

    def provide(self) -> SpacyModel:
        words = len(self._model.model.vocab)
        self._provided += 1
        if self._provided <= 2:
            # The first message after a load also builds the catalogue indices with the
            # pipeline: their words are not new words, so counting starts after it.
            self._settled_words = words
            if self._provided == 2 and self._replaced_one:
                # The components let go of the replaced pipeline during that message; its
                # objects refer to each other, so only the cycle collector frees them.
                gc.collect()
                give_back_freed_memory()
        elif words - self._settled_words > int(self._config["max_new_words"]):
            logger.info("spaCy vocabulary grew by %d words: loading the pipeline afresh", words - self._settled_words)
            self._model = SpacyModel(model=fresh_pipeline(self._model), model_name=self._model.model_name)
            self._provided = 1
            self._replaced_one = True
            self._settled_words = len(self._model.model.vocab)
        return self._model


def give_back_freed_memory() -> None:
    """glibc keeps freed memory for reuse; between a load's allocations other objects pin it
    and the process stays at its high-water mark unless the allocator is told to trim."""
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc only: the process's own symbols
    if trim is not None:
        trim(0)


def fresh_pipeline(current: SpacyModel) -> Language:
    """The pipeline read again from disk, with a new vocabulary and the current lemma tables."""
    old = current.model
    if LEMMATIZER not in old.pipe_names:
        return SpacyNLP.load_model(current.model_name).model
    nlp = spacy.load(current.model_name, disable=["parser"], exclude=[LEMMATIZER])
    before = old.pipe_names[old.pipe_names.index(LEMMATIZER) + 1:]
    config = {key: value for key, value in old.get_pipe_config(LEMMATIZER).items() if key != "factory"}
    lemmatizer = nlp.add_pipe(LEMMATIZER, config=config, before=before[0] if before else None)
    lemmatizer.lookups = old.get_pipe(LEMMATIZER).lookups
    return nlp
