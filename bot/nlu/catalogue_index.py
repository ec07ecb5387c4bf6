"""The phrases the catalogue matcher looks for: catalogue names plus the vocabulary."""
from __future__ import annotations

from typing import Any, Dict, List

from spacy.language import Language
from spacy.tokens import Doc
from sqlalchemy.orm import Session

from bot.catalogue import queries
from bot.catalogue.vocabulary import Vocabulary, vocabulary
from bot.nlu.phrase_matcher import Phrase, PhraseIndex, rank_aspects


def vocabulary_phrases(words: Vocabulary) -> List[Phrase]:
    out: List[Phrase] = []
    for group, entry in words.target_groups.items():
        out.extend(Phrase(cue, "doelgroep", group) for cue in entry["cues"])
    for interest, entry in words.interests.items():
        out.extend(Phrase(cue, "interesse", interest) for cue in entry["cues"])
    for aspect, cues in words.aspects.items():
        out.extend(Phrase(cue, "aspect", aspect, weight=float(w)) for cue, w in cues.items())
    for reason, cues in words.declines.items():
        out.extend(Phrase(cue, "afwijzing", reason, exact_only=True) for cue in cues)
    return out


def catalogue_phrases(session: Session) -> List[Phrase]:
    return [
        Phrase(alias, kind, entry_id, measure_id)
        for alias, kind, entry_id, measure_id in queries.all_aliases(session)
    ]


def phrase_index(session: Session, nlp: Language) -> PhraseIndex:
    return PhraseIndex(catalogue_phrases(session) + vocabulary_phrases(vocabulary()), nlp)


def entities(index: PhraseIndex, doc: Doc) -> List[Dict[str, Any]]:
    """Rasa entity dicts for the lemmatised message `doc`; `aspect` appears once, as the
    best-scoring aspect."""
    found = index.match_doc(doc)
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
