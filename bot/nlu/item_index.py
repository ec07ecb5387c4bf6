"""Rank the catalogue's answer items for a message: BM25 over lemmas.

Every item is one document: its questions and its label, plus its answer text. Words are
the lemmas of the Dutch pipeline, accent-free and stemmed, so "opleidingen" meets
"opleiding" and "cheques" meets "check". Question words ("hoeveel", "wie", "wanneer") stay:
they tell the items of one measure apart.

A long message tells a situation and then asks something: the question sentences weigh as
much as the whole message (QUESTION_WEIGHT), so the situation's words do not drown the question.

A score is normalised by the weight of the message's words that the items know at all
(the sum of their idf), so it reads as "how much of what the message says, this item says";
it is comparable across messages, which a raw BM25 score is not. The coverage of a message
is the share of its words' weight that the items know (a word no item has weighs as much as
the rarest known word): an English or off-topic message has a low coverage, however well
its one known word matches.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import AbstractSet, Callable, Dict, Iterable, List, Sequence, Tuple

import bm25s
import numpy as np

from bot.catalogue.queries import ItemRecord
from bot.catalogue.text import STOPWORDS, normalize, stem
from bot.nlu.typos import TypoFixer

Lemmatise = Callable[[str], List[str]]
QUESTION_WEIGHT = 0.5
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def question_span(text: str) -> Tuple[int, int]:
    """The character span from the first sentence that asks something (ends with "?") to the
    end; the last sentence when none does."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    sentences = [(a, b) for a, b in zip(starts, starts[1:] + [len(text)]) if text[a:b].strip()]
    if not sentences:
        return 0, len(text)
    asking = [a for a, b in sentences if text[a:b].rstrip().endswith("?")]
    return (asking[0] if asking else sentences[-1][0]), len(text)


@dataclass(frozen=True)
class ScoredItem:
    id: str
    measure_id: str
    score: float

    def as_dict(self) -> dict:
        return {"id": self.id, "measure": self.measure_id, "score": round(self.score, 4)}


def plain_words(lemmas: Iterable[str]) -> List[str]:
    """The content words of a text, accent-free, from its lemmas (not yet stemmed)."""
    return [word for lemma in lemmas for word in normalize(lemma).split() if word not in STOPWORDS]


class ItemIndex:
    """BM25 over the answer items of one catalogue version."""

    def __init__(self, items: Sequence[ItemRecord], lemmatise: Lemmatise,
                 dictionary: AbstractSet[str] = frozenset(), k1: float = 1.2, b: float = 0.3):
        self.items = list(items)
        self._lemmatise = lemmatise
        documents = [plain_words(lemmatise(self._document(item))) for item in self.items]
        # Typos are judged on words as written: a stem such as "check" (from "cheque") is
        # further from "ceque" than "cheque" is.
        self._stem_of = {word: stem(word) for words in documents for word in words}
        corpus = [[self._stem_of[word] for word in words] for words in documents]
        self._vocabulary = set(self._stem_of.values())
        self._typos = TypoFixer(self._stem_of, dictionary)
        self._idf = self._inverse_document_frequencies(corpus)
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        if self.items:
            self._bm25.index(corpus, show_progress=False)

    @staticmethod
    def _document(item: ItemRecord) -> str:
        return "\n".join([*item.questions, item.label, item.answer])

    def _inverse_document_frequencies(self, corpus: List[List[str]]) -> Dict[str, float]:
        count = len(corpus)
        frequency: Dict[str, int] = {}
        for words in corpus:
            for word in set(words):
                frequency[word] = frequency.get(word, 0) + 1
        # The same idf as BM25's Lucene variant, so the normaliser matches the scores.
        return {w: float(np.log(1 + (count - f + 0.5) / (f + 0.5))) for w, f in frequency.items()}

    def terms(self, lemmas: Iterable[str]) -> List[str]:
        """The BM25 terms of a message's lemmas, mistyped words read as the known ones."""
        words = plain_words(lemmas)
        stems = [stem(word) for word in words]
        unknown = [i for i, s in enumerate(stems) if s not in self._vocabulary]
        for i, fixed in zip(unknown, self._typos.fix([words[i] for i in unknown])):
            stems[i] = self._stem_of.get(fixed, stems[i])
        return stems

    def words(self, text: str) -> List[str]:
        """The BM25 terms of a text, lemmatised with the index's pipeline."""
        return self.terms(self._lemmatise(text))

    def information(self, words: Sequence[str]) -> float:
        """How much the message says that the items know: the sum of its known words' idf."""
        return sum(self._idf[w] for w in dict.fromkeys(words) if w in self._vocabulary)

    def coverage(self, words: Sequence[str]) -> float:
        distinct = list(dict.fromkeys(words))
        if not distinct or not self._idf:
            return 0.0
        unknown_weight = max(self._idf.values())
        known = sum(self._idf[w] for w in distinct if w in self._vocabulary)
        return known / (known + unknown_weight * sum(w not in self._vocabulary for w in distinct))

    def rank(self, words: Sequence[str]) -> List[Tuple[ItemRecord, float]]:
        """Every item with a score above zero, best first; scores normalised (see module)."""
        known = [w for w in dict.fromkeys(words) if w in self._vocabulary]
        if not known or not self.items:
            return []
        weight = sum(self._idf[w] for w in known)
        scores = self._bm25.get_scores([w for w in words if w in self._vocabulary])
        order = np.argsort(-scores, kind="stable")
        return [(self.items[i], float(scores[i]) / weight) for i in order if scores[i] > 0]

    def rank_message(self, words: Sequence[str], question: Sequence[str]) -> List[Tuple[ItemRecord, float]]:
        """Items ranked on the whole message and on its question part (see QUESTION_WEIGHT)."""
        whole = self.rank(words)
        if list(question) == list(words):
            return whole
        scores: Dict[str, float] = {}
        by_id = {}
        for share, ranked in ((1 - QUESTION_WEIGHT, whole), (QUESTION_WEIGHT, self.rank(question))):
            for item, score in ranked:
                scores[item.id] = scores.get(item.id, 0.0) + share * score
                by_id[item.id] = item
        return sorted(((by_id[i], score) for i, score in scores.items()), key=lambda pair: -pair[1])

    def best_per_measure(self, words: Sequence[str], question: Sequence[str],
                         per_measure: int = 3) -> List[ScoredItem]:
        """The best `per_measure` items of every measure with a match, best first."""
        kept: Dict[str, int] = {}
        out: List[ScoredItem] = []
        for item, score in self.rank_message(words, question):
            if kept.get(item.measure_id, 0) < per_measure:
                kept[item.measure_id] = kept.get(item.measure_id, 0) + 1
                out.append(ScoredItem(item.id, item.measure_id, score))
        return out
