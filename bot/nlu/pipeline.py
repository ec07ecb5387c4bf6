"""The Dutch spaCy pipeline: a blank pipeline plus the lookup lemmatizer.

No pretrained Dutch pipeline can be installed here, so the pipeline is built from
`spacy.blank("nl")` and the lookup tables that `spacy-lookups-data` ships. Rasa's
SpacyNLP loads the folder by path, and the catalogue matcher uses the same lemmas.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language


def build_pipeline() -> Language:
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def write_pipeline(folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline().to_disk(folder)


@lru_cache(maxsize=1)
def lemmatizer() -> Language:
    """A process-wide pipeline for lemmatising short texts outside Rasa."""
    return build_pipeline()
