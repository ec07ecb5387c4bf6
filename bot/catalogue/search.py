"""Full-text search over the catalogue's answers (`python -m bot catalogue search`).

It works the same on SQLite (FTS5) and PostgreSQL (tsvector); user text never reaches the
query syntax.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from bot.catalogue.text import stem, strip_accents, tokens


@dataclass(frozen=True)
class SearchHit:
    measure_id: str
    instrument_id: Optional[str]
    aspect: str
    snippet: str
    rank: float  # higher is better; comparable within one result list only


# ---------------------------------------------------------------------------- full text
STOPWORDS = frozenset(
    """aan al alle als ben bij dan dat de deze die dit doe doen door een en er ga gaat had heb hebben
    heeft het hier hij hoe hoeveel hun ik in is ja je jij jou jouw kan kun kunnen maar me meer mij
    mijn met mag moet moeten na naar nee niet nog nu of om ons onze ook op over te tot u uw van veel
    voor waar wanneer wat we wel welk welke werd wie wij wil willen word wordt zal ze zich zijn zo
    zou""".split()
)
MAX_TERMS = 12
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+")


def _terms(text: str) -> list[tuple[str, str, str]]:
    """(raw lowercase word, accent-free word, prefix stem) for the content words of `text`."""
    out, seen = [], set()
    for m in re.finditer(r"[^\W_]+", (text or "")[:1000]):
        raw = m.group(0).lower()
        plain = strip_accents(raw)
        plain = re.sub(r"[^a-z0-9]", "", plain)
        if not plain or plain in STOPWORDS or plain in seen:
            continue
        seen.add(plain)
        out.append((raw, plain, stem(plain, canonical=False)))
        if len(out) >= MAX_TERMS:
            break
    return out


def _fts5_query(terms) -> str:
    parts = []
    for _raw, plain, st in terms:
        word = st if len(st) >= 5 else plain
        phrase = '"' + word.replace('"', '""') + '"'
        parts.append(phrase + "*" if len(st) >= 5 else phrase)
    return " OR ".join(parts)


def _snippet(text: str, terms, width: int = 200) -> str:
    stems = [st if len(st) >= 5 else plain for _r, plain, st in terms]
    sentences = [s for s in _SENTENCE_RE.split(text.strip()) if s] or [text]
    chosen = sentences[0]
    for sentence in sentences:
        words = [t.norm for t in tokens(sentence)]
        if any(w.startswith(s) for w in words for s in stems):
            chosen = sentence
            break
    return chosen if len(chosen) <= width else chosen[: width - 1].rsplit(" ", 1)[0] + "…"


def search(session: Session, text: str, limit: int = 5) -> list[SearchHit]:
    """Ranked full-text search over all answers (FTS5 bm25 on SQLite, ts_rank on PostgreSQL).

    User text never reaches the query syntax: it is split into words, each word quoted
    (FTS5) or passed as a bound parameter (PostgreSQL).
    """
    terms = _terms(text)
    if not terms or limit <= 0:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        rows = session.execute(
            sql_text(
                "SELECT a.id, a.measure_id, a.instrument_id, a.aspect, a.text, -bm25(answers_fts) AS rank "
                "FROM answers_fts JOIN answers a ON a.id = answers_fts.rowid "
                "WHERE answers_fts MATCH :query ORDER BY rank DESC, a.id LIMIT :limit"
            ),
            {"query": _fts5_query(terms), "limit": limit},
        ).all()
    elif dialect == "postgresql":
        params: dict[str, object] = {"limit": limit}
        parts = []
        for i, (raw, plain, st) in enumerate(terms):
            # one operand per spelling (with/without accents): a prefix query on the Dutch
            # stem for longer words, the plain Dutch lexeme for short ones
            for j, word in enumerate(dict.fromkeys((raw, plain))):
                if len(st) >= 5:
                    params[f"w{i}_{j}"] = word + ":*"
                    parts.append(f"to_tsquery('dutch', :w{i}_{j})")
                else:
                    params[f"w{i}_{j}"] = word
                    parts.append(f"plainto_tsquery('dutch', :w{i}_{j})")
        rows = session.execute(
            sql_text(
                "SELECT a.id, a.measure_id, a.instrument_id, a.aspect, a.text, "
                "ts_rank(to_tsvector('dutch', a.text), q.query, 1) AS rank "
                f"FROM answers a, (SELECT ({' || '.join(parts)}) AS query) q "
                "WHERE to_tsvector('dutch', a.text) @@ q.query ORDER BY rank DESC, a.id LIMIT :limit"
            ),
            params,
        ).all()
    else:  # pragma: no cover
        raise NotImplementedError(f"full-text search is not implemented for {dialect}")
    return [
        SearchHit(r.measure_id, r.instrument_id, r.aspect, _snippet(r.text, terms), float(r.rank))
        for r in rows
    ]
