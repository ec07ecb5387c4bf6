"""`python -m bench.rankers`: which ranking picks the answer item that holds the asked fact.

For every keyed in-scope question of the dev set and the blind own set, the items of the
expected measure whose reply passes the question's answer keys are the good ones; a ranker is
right when its best item of that measure is one of them. No server is needed: the items come
from the catalogue database, the lemmas from the Dutch pipeline. The README records the table
this prints, which decided the choice of bm25s.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Dict, List, Sequence

import numpy as np
import yaml
from rank_bm25 import BM25Okapi, BM25Plus
from sklearn.feature_extraction.text import TfidfVectorizer

from bench.serve import QUESTION_SETS
from bot.catalogue import queries
from bot.catalogue.db import session_scope
from bot.catalogue.queries import ItemRecord
from bot.catalogue.text import normalize, stem
from bot.dialogue.compose import shown_source, source_line
from bot.nlu.item_index import ItemIndex, plain_words
from bot.nlu.phrase_matcher import stemmed_dictionary
from bot.nlu.pipeline import lemmatizer

SETS = {"dev set": QUESTION_SETS["dev"], "blind own set": QUESTION_SETS["blind"]}


class _Ranker:
    """Items best first for a message: a subclass sets `scores(text) -> array over items`."""

    def __init__(self, items: Sequence[ItemRecord]) -> None:
        self.items = list(items)

    def best_of(self, text: str, measure: str) -> str:
        scores = self.scores(text)
        own = [i for i, item in enumerate(self.items) if item.measure_id == measure]
        return self.items[max(own, key=lambda i: scores[i])].id


class _Bm25(_Ranker):
    def __init__(self, items, index: ItemIndex) -> None:
        super().__init__(items)
        self.index = index

    def scores(self, text: str):
        by_id = {item.id: score for item, score in self.index.rank(self.index.words(text))}
        return np.array([by_id.get(item.id, 0.0) for item in self.items])


class _RankBm25(_Ranker):
    def __init__(self, items, lemmatise, kind) -> None:
        super().__init__(items)
        self.lemmatise = lemmatise
        self.model = kind([self._words(ItemIndex._document(item)) for item in self.items])

    def _words(self, text: str) -> List[str]:
        return [stem(w) for w in plain_words(self.lemmatise(text))]

    def scores(self, text: str):
        return self.model.get_scores(self._words(text))


class _Tfidf(_Ranker):
    """Character 3-5-grams; an item scores as its best question, label or answer."""

    def __init__(self, items) -> None:
        super().__init__(items)
        texts, self.owner = [], []
        for n, item in enumerate(self.items):
            for text in (*item.questions, item.label, item.answer):
                texts.append(normalize(text))
                self.owner.append(n)
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform(texts)

    def scores(self, text: str):
        similarity = (self.matrix @ self.vectorizer.transform([normalize(text)]).T).toarray().ravel()
        best = np.zeros(len(self.items))
        np.maximum.at(best, np.array(self.owner), similarity)
        return best


def _passes(question: dict, item: ItemRecord) -> bool:
    reply = f"{item.answer}\n{source_line(shown_source(item.sources))}".lower()
    return all(any(s in reply for s in group) for group in question["must"]) and not any(
        s in reply for s in question.get("must_not") or [])


def _keyed(path: Path) -> List[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    turns = [c["turns"][0] for c in data.get("conversations") or []]
    return [q for q in [*data["questions"], *turns]
            if q.get("must") and q["expect"] != "out_of_scope" and "|" not in q["expect"]]


def main() -> int:
    nlp = lemmatizer()

    def lemmatise(text: str) -> List[str]:
        return [t.lemma_ or t.text for t in nlp(text.lower())]

    with session_scope() as session:
        items = queries.answer_items(session)
    dictionary = stemmed_dictionary(nlp)
    rankers: Dict[str, Callable[[], _Ranker]] = {
        "bm25s (Lucene BM25, k1 1.2, b 0.3) with typo fixing, as served": lambda: _Bm25(items, ItemIndex(items, lemmatise, dictionary)),
        "bm25s, b 0.75 (the library's default)": lambda: _Bm25(items, ItemIndex(items, lemmatise, dictionary, b=0.75)),
        "rank-bm25 BM25Okapi": lambda: _RankBm25(items, lemmatise, BM25Okapi),
        "rank-bm25 BM25Plus": lambda: _RankBm25(items, lemmatise, BM25Plus),
        "scikit-learn TF-IDF, character 3-5-grams": lambda: _Tfidf(items),
    }
    sets = {name: _keyed(path) for name, path in SETS.items() if path.is_file()}
    print("| ranking | " + " | ".join(f"{name}: best item holds the fact" for name in sets) + " |")
    print("|---|" + "---|" * len(sets))
    for label, make in rankers.items():
        ranker, cells = make(), []
        for questions in sets.values():
            by_id = {item.id: item for item in items}
            judged = [q for q in questions if any(_passes(q, i) for i in items if i.measure_id == q["expect"])]
            right = sum(_passes(q, by_id[ranker.best_of(q["text"], q["expect"])]) for q in judged)
            cells.append(f"{100 * right / len(judged):.1f} % ({right}/{len(judged)})")
        print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
