"""Find catalogue names, target groups, interests and aspect cues in a chat message.

Phrases and messages are both turned into sequences of folded lemma keys, so a spaCy
PhraseMatcher on those keys is robust to case, accents, plurals and inflection. Words
that match no phrase word exactly are mapped to the closest phrase word when the
difference is a small typo ("opleidingsceques" -> "opleidingscheques"), unless they are
Dutch words in their own right ("meewerken" is not a typo of "telewerken").
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import AbstractSet, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans
from spacy.vocab import Vocab

from bot.catalogue.text import normalize, stem
from bot.nlu.pipeline import lemmatizer
from bot.nlu.typos import TypoFixer


@dataclass(frozen=True)
class Phrase:
    """A phrase to look for and what it stands for."""

    text: str
    entity: str  # measure, instrument, doelgroep, interesse, aspect
    value: str
    measure_id: str = ""
    weight: float = 1.0
    # Only exact matches count: short place names collide with typos ("samen" is not "Namen").
    exact_only: bool = False


@dataclass(frozen=True)
class Found:
    phrase: Phrase
    start: int  # character offsets in the message
    end: int
    exact: bool


def _lemma_words(doc: Doc) -> List[Tuple[str, int, int]]:
    """Accent-free lemmas of the words in `doc`, with the character span of each."""
    out: List[Tuple[str, int, int]] = []
    for token in doc:
        for word in normalize(token.lemma_ or token.text).split():
            out.append((word, token.idx, token.idx + len(token.text)))
    return out


def _per_tables(build: Callable[[Language], AbstractSet[str]]) -> Callable[[Language], AbstractSet[str]]:
    """Keeps what `build` makes of a pipeline by where its tables come from (language and
    pipeline folder), not by the pipeline: a cache keyed by the pipeline would keep every
    pipeline SpacyNLP has replaced, tables and vocabulary."""
    made: Dict[Tuple[str, str], AbstractSet[str]] = {}

    @functools.wraps(build)
    def cached(nlp: Language) -> AbstractSet[str]:
        tables = nlp.lang, str(nlp.path)
        if tables not in made:
            made[tables] = build(nlp)
        return made[tables]

    return cached


@_per_tables
def dictionary_words(nlp: Language) -> AbstractSet[str]:
    """The lemmas in the pipeline's lookup table: words a typo rarely produces, so a message
    word among them is taken as written."""
    lemmas = set(nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup").values())
    # normalize() is slow on 100,000 words and changes only those with capitals, accents or signs.
    plain = {w for w in lemmas if w.isascii() and w.isalnum() and w.islower()}
    return frozenset(plain.union(normalize(w) for w in lemmas - plain))


@_per_tables
def stemmed_dictionary(nlp: Language) -> AbstractSet[str]:
    """The stems of the lookup table's lemmas: a message word whose stem is among them is a
    Dutch word, no typo."""
    return frozenset(stem(w) for w in dictionary_words(nlp))


class PhraseIndex:
    """An index of phrases, built once, matched against many messages.

    `nlp` is the Dutch pipeline that lemmatises phrases and messages; inside Rasa it is the one
    SpacyNLP loaded, so the server holds the lemma tables once."""

    def __init__(self, phrases: Iterable[Phrase], nlp: Optional[Language] = None) -> None:
        self.nlp = nlp or lemmatizer()
        self.vocab = Vocab()
        self.matcher = PhraseMatcher(self.vocab)
        self.phrases: Dict[str, Dict[Tuple[str, str], Phrase]] = {}
        self.words: Dict[str, str] = {}  # phrase word as written -> its stem
        for phrase in phrases:
            words = [word for word, _, _ in _lemma_words(self.doc(phrase.text))]
            if not words:
                continue
            stems = [stem(word) for word in words]
            self.words.update(zip(words, stems))
            label = " ".join(stems)
            if label not in self.phrases:
                patterns = [Doc(self.vocab, words=stems)]
                if len(words) > 1:
                    # People write names together too: "kmoportefeuille".
                    joined = "".join(words)
                    self.words[joined] = stem(joined)
                    patterns.append(Doc(self.vocab, words=[stem(joined)]))
                self.matcher.add(label, patterns)
            same = self.phrases.setdefault(label, {})
            known = same.get((phrase.entity, phrase.value))
            if known is None or known.weight < phrase.weight:
                same[(phrase.entity, phrase.value)] = phrase
        self.stems = set(self.words.values())
        # A typo may sit on top of a spelling variant (cheque/check): stems are targets too.
        self._target_stems = {**{s: s for s in self.stems}, **self.words}
        self._typos = TypoFixer(self._target_stems, dictionary_words(self.nlp))

    def doc(self, text: str) -> Doc:
        """The lemmatised doc of `text` as `match_doc` expects it (lower case, as SpacyNLP
        makes it with `case_sensitive: false`)."""
        return self.nlp(text.lower())

    def match(self, text: str) -> List[Found]:
        return self.match_doc(self.doc(text))

    def _normalised(self, words: Sequence[str]) -> List[Tuple[str, bool]]:
        """The phrase-word stem each message word stands for, and whether it needed no typo fix."""
        keys = [stem(word) for word in words]
        unknown = [i for i, key in enumerate(keys) if key not in self.stems]
        fixed = self._typos.fix([words[i] for i in unknown])
        out = [(key, True) for key in keys]
        for i, target in zip(unknown, fixed):
            if target != words[i]:
                out[i] = (self._target_stems[target], False)
        return out

    def match_doc(self, doc: Doc) -> List[Found]:
        tokens = _lemma_words(doc)
        if not tokens:
            return []
        normalised = self._normalised([word for word, _, _ in tokens])
        doc = Doc(self.vocab, words=[key for key, _ in normalised])
        spans = self.matcher(doc, as_spans=True)
        found: List[Found] = []
        for span in filter_spans(spans):
            exact = all(normalised[i][1] for i in range(span.start, span.end))
            char_start, char_end = tokens[span.start][1], tokens[span.end - 1][2]
            for phrase in self.phrases[span.label_].values():
                if exact or not phrase.exact_only:
                    found.append(Found(phrase, char_start, char_end, exact))
        return found


def rank_aspects(found: Sequence[Found]) -> str:
    """The aspect whose cues weigh most in the message; `overview` when there is none."""
    totals: Dict[str, float] = {}
    for item in found:
        if item.phrase.entity == "aspect":
            totals[item.phrase.value] = totals.get(item.phrase.value, 0) + item.phrase.weight
    if not totals:
        return "overview"
    return max(totals.items(), key=lambda kv: kv[1])[0]
