"""The phrase index of the live catalogue plus the vocabulary, rebuilt when the catalogue changes."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from spacy.language import Language
from spacy.tokens import Doc
from sqlalchemy.exc import SQLAlchemyError

from bot.catalogue import queries
from bot.catalogue.db import session_scope
from bot.nlu.phrase_matcher import Phrase, PhraseIndex, rank_aspects
from bot.nlu.vocabulary import vocabulary

logger = logging.getLogger(__name__)


def catalogue_phrases() -> List[Phrase]:
    with session_scope() as session:
        return [
            Phrase(alias, kind, entry_id, measure_id)
            for alias, kind, entry_id, measure_id in queries.all_aliases(session)
        ]


class CatalogueIndex:
    def __init__(self, nlp: Optional[Language] = None) -> None:
        self._version: Optional[str] = None
        self._index = PhraseIndex(vocabulary().phrases(), nlp)

    def refresh(self) -> None:
        """Rebuild from the database when its catalogue checksum changed; keep the old index
        when the database cannot be read, so a database outage does not blind the bot."""
        try:
            with session_scope() as session:
                version = queries.catalogue_version(session)
            if version == self._version:
                return
            phrases = catalogue_phrases() + vocabulary().phrases()
        except SQLAlchemyError as error:
            logger.warning("Catalogue not readable, keeping the previous names: %s", error)
            return
        self._index = PhraseIndex(phrases, self.nlp)
        self._version = version
        logger.info("Catalogue index rebuilt (%s phrases, version %s)", len(phrases), version)

    @property
    def nlp(self) -> Language:
        return self._index.nlp

    def doc(self, text: str) -> Doc:
        return self._index.doc(text)

    def entities(self, doc: Doc) -> List[Dict[str, Any]]:
        """Rasa entity dicts for the message `doc` (see `doc`); `aspect` appears once, as the
        best-scoring aspect."""
        found = self._index.match_doc(doc)
        out: List[Dict[str, Any]] = []
        seen = set()
        for item in found:
            phrase = item.phrase
            if phrase.entity == "aspect" or (phrase.entity, phrase.value) in seen:
                continue
            seen.add((phrase.entity, phrase.value))
            out.append(
                {
                    "entity": phrase.entity,
                    "value": phrase.value,
                    "start": item.start,
                    "end": item.end,
                    "confidence_entity": 1.0 if item.exact else 0.8,
                }
            )
        aspect = rank_aspects(found)
        if aspect != "overview":
            cue = next(i for i in found if i.phrase.entity == "aspect" and i.phrase.value == aspect)
            out.append(
                {"entity": "aspect", "value": aspect, "start": cue.start, "end": cue.end,
                 "confidence_entity": 1.0}
            )
        return out
