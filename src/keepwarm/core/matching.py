"""Who would benefit from a resource: weighted TF-IDF over stemmed terms and phrases, and why.

Each resource and person becomes a vector of matching terms (core.terms: stems, synonyms, word pairs).
A term's weight adds up over the fields it appears in, each field counting by how telling it is (a topic
or an interest says more than a word of the body text); ``1 + ln(count)`` keeps a word repeated in a long
article from outweighing a topic. The IDF is fitted on the resources and people being matched, so a word
everyone has (an "engineer" title in a team of engineers) counts for little. The score is the cosine.

Notes are private. They count towards the score but are never quoted: a match carried by them says
"matches what you know of them".

numpy and scipy are imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from keepwarm.core.terms import terms

MIN_SCORE = 0.04  # below this cosine similarity a match is noise
TEXT_WORDS = 4000  # words of a resource's body text read for matching; the opening says what it is about
CACHED_LENGTH = 300  # phrases up to this long are remembered (see _counted); longer texts are not
CHUNK = 256  # resources scored at a time, to bound memory on a large library and network
NOTES_REASON = "matches what you know of them"
# a word inside a phrase counts half: "machine learning" should not suit an article where people
# "learn to run interviews"; the phrase itself (the pair term) counts in full
PART_WEIGHT = 0.5

RESOURCE_WEIGHTS = {"topics": 3.0, "title": 2.0, "review": 2.0, "summary": 1.0, "text": 1.0}
PERSON_WEIGHTS = {"interests": 3.0, "tags": 2.0, "title": 1.0, "company": 1.0, "notes": 1.5}
# how each field of a person is said when it explains a match; notes have no phrase (never quoted)
SAYINGS = {"interests": "interested in", "tags": "tagged", "title": "works as", "company": "works at"}


@dataclass
class Doc:
    """A resource or person as text for matching: named fields, each a list of phrases."""

    id: int
    fields: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Match:
    """How well one resource suits one person, and why in words that never quote private notes."""

    resource_id: int
    person_id: int
    score: float
    because: str  # e.g. "interested in career change" or "matches what you know of them"


def public_reason(because: str | None) -> str:
    """A stored reason safe to show: rows stored before notes were kept private quoted them
    ("your note: …"); those now read as NOTES_REASON until the next rematch rewrites them."""
    if not because:
        return ""
    return NOTES_REASON if because.startswith("your note:") else because


def _weighted(doc: Doc, weights: dict[str, float]) -> dict[str, float]:
    """A document's term weights before IDF: each phrase's term weights times its field's weight."""
    out: dict[str, float] = {}
    for name, values in doc.fields.items():
        w = weights.get(name, 1.0)
        for v in values:
            if not v:
                continue
            found = _counted(v) if len(v) <= CACHED_LENGTH else _count(v, TEXT_WORDS)
            for t, c in found:
                out[t] = out.get(t, 0.0) + w * c
    return out


def _count(text: str, limit: int | None = None) -> tuple[tuple[str, float], ...]:
    """A phrase's terms, each weighted ``1 + ln(count)``.

    Words of a phrase count PART_WEIGHT each, so a count can be below one; it then counts as is.
    """
    found = terms(text, limit)
    part = PART_WEIGHT if any("_" in t for t in found) else 1.0
    counts: dict[str, float] = {}
    for t in found:
        counts[t] = counts.get(t, 0.0) + (1.0 if "_" in t else part)
    return tuple((t, 1.0 + math.log(c) if c >= 1 else c) for t, c in counts.items())


# interests, titles and companies repeat across a network: each distinct short phrase is read once
_counted = lru_cache(maxsize=100_000)(_count)


_Encoded = tuple[list[int], list[int], list[float]]  # CSR row pointers, columns, weights


class _Space:
    """The terms of one matching run, numbered as first seen, and their IDF once all are encoded."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.idf: Any = None

    def encode(self, bags: list[dict[str, float]], grow: bool = True) -> _Encoded:
        """Bags of term weights as CSR parts; a term not seen yet is numbered (``grow``) or skipped."""
        ids = self.ids
        ptr, cols, data = [0], [], []
        for bag in bags:
            for t, w in bag.items():
                c = ids.get(t)
                if c is None:
                    if not grow:
                        continue
                    c = ids[t] = len(ids)
                cols.append(c)
                data.append(w)
            ptr.append(len(cols))
        return ptr, cols, data

    def fit(self, *parts: _Encoded) -> None:
        """The IDF of every term over the documents encoded (each bag names a term once)."""
        import numpy as np

        n = sum(len(ptr) - 1 for ptr, _, _ in parts)
        df = sum(np.bincount(np.array(cols, dtype=np.int64), minlength=len(self.ids)) for _, cols, _ in parts)
        self.idf = np.log((1 + n) / (1 + df)) + 1.0

    def matrix(self, part: _Encoded, unit: bool = True) -> Any:
        """The encoded bags as a CSR matrix of TF-IDF rows, each of length one (``unit``) or as weighted."""
        import numpy as np
        from scipy.sparse import csr_matrix

        ptr, cols, data = np.array(part[0], dtype=np.int64), np.array(part[1], dtype=np.int64), part[2]
        vals = np.array(data, dtype=np.float64) * self.idf[cols]
        if unit and len(vals):
            row = np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))
            norms = np.sqrt(np.bincount(row, weights=vals * vals, minlength=len(ptr) - 1))
            vals = vals / np.where(norms > 0, norms, 1.0)[row]
        return csr_matrix((vals, cols, ptr), shape=(len(ptr) - 1, len(self.ids)))


def match(resources: list[Doc], people: list[Doc], min_score: float = MIN_SCORE,
          top: int | None = None) -> list[Match]:
    """The (resource, person) pairs that match, best first, each with why.

    ``top`` keeps only the best ``top`` people per resource.
    """
    if not resources or not people:
        return []
    import numpy as np

    space = _Space()
    renc = space.encode([_weighted(r, RESOURCE_WEIGHTS) for r in resources])
    penc = space.encode([_weighted(p, PERSON_WEIGHTS) for p in people])
    if not space.ids:
        return []
    space.fit(renc, penc)
    res, ppl = space.matrix(renc), space.matrix(penc)
    pairs: list[tuple[int, int, float]] = []
    for start in range(0, len(resources), CHUNK):
        scores = (res[start:start + CHUNK] @ ppl.T).toarray()
        for k, row in enumerate(scores):
            hits = np.flatnonzero(row >= min_score)
            # best first; ties by position, so the order never depends on the sort algorithm
            hits = hits[np.lexsort((hits, -row[hits]))]
            pairs += [(start + k, int(pi), float(row[pi])) for pi in (hits[:top] if top else hits)]
    because = _explain(space, res, people, pairs)
    out = [Match(resources[ri].id, people[pi].id, round(score, 6), because[(ri, pi)])
           for ri, pi, score in pairs]
    out.sort(key=lambda x: (-x.score, x.resource_id, x.person_id))
    return out


def _explain(space: _Space, res: Any, people: list[Doc],
             pairs: list[tuple[int, int, float]]) -> dict[tuple[int, int], str]:
    """For each matched pair, the part of the person that adds most to the score, said as a reason."""
    phrases: list[tuple[str, str]] = []  # (field, phrase)
    bags: list[dict[str, float]] = []
    spans: dict[int, tuple[int, int]] = {}
    for pi in sorted({pi for _, pi, _ in pairs}):
        start = len(phrases)
        for name, values in people[pi].fields.items():
            for v in values:
                if v and v.strip():
                    phrases.append((name, v.strip()))
                    bags.append(_weighted(Doc(0, {name: [v]}), PERSON_WEIGHTS))
        spans[pi] = (start, len(phrases))
    out = {(ri, pi): "" for ri, pi, _ in pairs}
    if not phrases:
        return out
    weighted = space.matrix(space.encode(bags, grow=False), unit=False).T.tocsc()
    by_res: dict[int, list[int]] = {}
    for ri, pi, _ in pairs:
        by_res.setdefault(ri, []).append(pi)
    for ri, pis in by_res.items():
        cols = sorted({c for pi in pis for c in range(*spans[pi])})
        row = (res[ri] @ weighted[:, cols]).toarray().ravel()
        at = {c: k for k, c in enumerate(cols)}
        for pi in pis:
            start, end = spans[pi]
            if end == start:
                continue
            sub = row[at[start]:at[start] + end - start]
            if sub.max() <= 0:
                continue
            name, phrase = phrases[start + int(sub.argmax())]  # the first of equal bests: stable
            out[(ri, pi)] = f"{SAYINGS[name]} {phrase}" if name in SAYINGS else NOTES_REASON
    return out
