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
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from keepwarm.core.terms import terms

MIN_SCORE = 0.04  # below this cosine similarity a match is noise
TEXT_WORDS = 4000  # words of a resource's body text read for matching; the opening says what it is about
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


def _weighted(doc: Doc, weights: dict[str, float]) -> dict[str, float]:
    """A document's term weights before IDF: per field ``1 + ln(count)``, times the field's weight.

    Words of a phrase count PART_WEIGHT each, so a count can be below one; it then counts as is.
    """
    out: dict[str, float] = {}
    for name, values in doc.fields.items():
        w = weights.get(name, 1.0)
        limit = TEXT_WORDS if name == "text" else None
        counts: dict[str, float] = {}
        for v in values:
            found = terms(v, limit) if v else []
            part = PART_WEIGHT if any("_" in t for t in found) else 1.0
            for t in found:
                counts[t] = counts.get(t, 0.0) + (1.0 if "_" in t else part)
        for t, c in counts.items():
            out[t] = out.get(t, 0.0) + w * (1.0 + math.log(c) if c >= 1 else c)
    return out


class _Space:
    """The vocabulary and IDF of one matching run, turning term weights into unit sparse rows."""

    def __init__(self, bags: list[dict[str, float]]) -> None:
        df: Counter[str] = Counter(t for bag in bags for t in bag)
        n = len(bags)
        self.col = {t: i for i, t in enumerate(sorted(df))}  # sorted: the same input, the same matrix
        self.idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}

    def rows(self, bags: list[dict[str, float]], unit: bool = True) -> Any:
        """The bags as a CSR matrix, each row of length one (``unit``) or as weighted."""
        import numpy as np
        from scipy.sparse import csr_matrix

        data: list[float] = []
        cols: list[int] = []
        ptr = [0]
        for bag in bags:
            vals = [(self.col[t], w * self.idf[t]) for t, w in bag.items() if t in self.col]
            norm = math.sqrt(sum(v * v for _, v in vals)) if unit else 1.0
            for c, v in sorted(vals):
                cols.append(c)
                data.append(v / norm if norm else 0.0)
            ptr.append(len(cols))
        return csr_matrix((np.array(data, dtype=np.float64), np.array(cols, dtype=np.int64),
                           np.array(ptr, dtype=np.int64)), shape=(len(bags), len(self.col)))


def match(resources: list[Doc], people: list[Doc], min_score: float = MIN_SCORE,
          top: int | None = None) -> list[Match]:
    """The (resource, person) pairs that match, best first, each with why.

    ``top`` keeps only the best ``top`` people per resource.
    """
    if not resources or not people:
        return []
    import numpy as np

    rbags = [_weighted(r, RESOURCE_WEIGHTS) for r in resources]
    pbags = [_weighted(p, PERSON_WEIGHTS) for p in people]
    space = _Space(rbags + pbags)
    if not space.col:
        return []
    res, ppl = space.rows(rbags), space.rows(pbags)
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
    weighted = space.rows(bags, unit=False).T.tocsc()
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
