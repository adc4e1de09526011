"""The library: extracting an article from HTML, summarising it offline, and matching it to people.

Summaries are extractive (TextRank over TF-IDF sentence vectors): they are made of the article's own
sentences, need no model or data download, and are deterministic (same text, same summary). Matching ranks
people for a resource (and resources for a person) by the cosine similarity of TF-IDF vectors built from
the resource's topics, title and text and from the person's interests, tags, title and notes.

scikit-learn, numpy and trafilatura are imported inside the functions that need them, so importing this
module stays cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from keepwarm.errors import ConfigError, InvalidInputError

KINDS = ("article", "book", "podcast")
SUMMARY_SENTENCES = 3
MIN_SCORE = 0.04  # below this cosine similarity a match is noise
LIBRARY_PER_DAY = 3  # at most this many library suggestions on a day's agenda
RECENT_DAYS = 7  # someone touched this recently is not sent reading on top
MAX_SENTENCES = 400  # TextRank's similarity matrix is quadratic: rank at most this many sentences
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_WORDS = re.compile(r"\w+")


@dataclass
class Extracted:
    """What an HTML page yields: its main text and metadata, without navigation, ads or comments."""

    title: str | None
    text: str
    author: str | None = None
    published: date | None = None


@dataclass
class Doc:
    """A resource or person as text for matching: weighted fields, each a list of phrases."""

    id: int
    fields: dict[str, list[str]] = field(default_factory=dict)

    def text(self, weights: dict[str, int]) -> str:
        """The fields joined into one text, repeating the more telling ones by their weight."""
        parts: list[str] = []
        for name, values in self.fields.items():
            parts += [v for v in values if v] * weights.get(name, 1)
        return "\n".join(parts)


@dataclass
class Match:
    """How well one resource suits one person, and the phrase of theirs that matched best."""

    resource_id: int
    person_id: int
    score: float
    because: str  # e.g. "interested in career change" or "your note: Switching into product management."


RESOURCE_WEIGHTS = {"topics": 3, "title": 2, "review": 2, "summary": 1, "text": 1}
PERSON_WEIGHTS = {"interests": 3, "tags": 2, "title": 1, "notes": 2}


def extract_html(html: str, source: str) -> Extracted:
    """The main text and metadata of an HTML page; a page without article text is an error."""
    try:
        import trafilatura
    except ImportError as exc:  # e.g. lxml >= 5.2 without lxml_html_clean installed
        raise ConfigError(f"cannot read web pages: {exc}".splitlines()[0],
                          hint="pip install lxml_html_clean") from None

    doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=False,
                                      with_metadata=True, favor_precision=True)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    title = (getattr(doc, "title", None) or "").strip() or None
    # trafilatura keeps the headline as the first line; it is not a sentence of the body
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    body = "\n".join(lines)
    if len(_WORDS.findall(body)) < 12:
        raise InvalidInputError(f"{source}: no article text found in the page")
    return Extracted(title=title, text=body, author=(getattr(doc, "author", None) or None),
                     published=_parse_date(getattr(doc, "date", None)))


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def sentences(text: str) -> list[str]:
    """The sentences of a text, paragraph by paragraph, in order."""
    out: list[str] = []
    for para in text.splitlines():
        para = " ".join(para.split())
        out += [s.strip() for s in _SENTENCE_END.split(para) if len(_WORDS.findall(s)) >= 4]
    return out


def summarize(text: str, n: int = SUMMARY_SENTENCES) -> list[str]:
    """The ``n`` most central sentences of ``text`` (TextRank), in the order the text has them.

    A very long text is ranked on its first MAX_SENTENCES sentences, to keep time and memory bounded.
    """
    sents = sentences(text)[:MAX_SENTENCES]
    if len(sents) <= n:
        return sents
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(sents)
    except ValueError:  # nothing but stop words: keep the opening
        return sents[:n]
    sim = (vectors @ vectors.T).toarray()
    np.fill_diagonal(sim, 0.0)
    rows = sim.sum(axis=1, keepdims=True)
    # a sentence similar to none jumps anywhere (the usual PageRank fix for dangling nodes)
    trans = np.where(rows > 0, sim / np.where(rows > 0, rows, 1.0), 1.0 / len(sents))
    damping, rank = 0.85, np.full(len(sents), 1.0 / len(sents))
    for _ in range(100):
        new = (1 - damping) / len(sents) + damping * trans.T @ rank
        if np.abs(new - rank).sum() < 1e-10:
            rank = new
            break
        rank = new
    # ties break towards the earlier sentence, so the result never depends on float noise in ordering
    order = sorted(range(len(sents)), key=lambda i: (-round(float(rank[i]), 9), i))
    return [sents[i] for i in sorted(order[:n])]


def check_kind(kind: str) -> str:
    """A resource kind: article, book or podcast."""
    k = kind.strip().lower()
    if k not in KINDS:
        raise InvalidInputError(f"a resource is one of {', '.join(KINDS)}, not {kind!r}")
    return k


def _vectorizer():  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2),
                           token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9+#-]+\b")


def match(resources: list[Doc], people: list[Doc], min_score: float = MIN_SCORE,
          top: int | None = None) -> list[Match]:
    """The (resource, person) pairs that match, best first, each with the person's best phrase.

    ``top`` keeps only the best ``top`` people per resource. The TF-IDF weights are fitted on the
    resources and people given; only the matched people's phrases are scored for the explanation.
    """
    if not resources or not people:
        return []
    import numpy as np

    vec = _vectorizer()
    try:
        m = vec.fit_transform([r.text(RESOURCE_WEIGHTS) for r in resources]
                              + [p.text(PERSON_WEIGHTS) for p in people])
    except ValueError:  # an empty vocabulary: nothing can match
        return []
    nr = len(resources)
    scores = (m[:nr] @ m[nr:].T).toarray()
    pairs: list[tuple[int, int]] = []
    for ri in range(nr):
        hits = np.flatnonzero(scores[ri] >= min_score)
        # best first; ties by position, so the order never depends on the sort algorithm
        hits = hits[np.lexsort((hits, -scores[ri, hits]))]
        pairs += [(ri, int(pi)) for pi in (hits[:top] if top else hits)]
    because = _explain(vec, m[:nr], people, pairs)
    out = [Match(resources[ri].id, people[pi].id, round(float(scores[ri, pi]), 6), because[(ri, pi)])
           for ri, pi in pairs]
    out.sort(key=lambda x: (-x.score, x.resource_id, x.person_id))
    return out


def _explain(vec: Any, res: Any, people: list[Doc],
             pairs: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """For each matched pair, the person's phrase closest to the resource, said as a reason."""
    phrases: list[tuple[str, str]] = []
    spans: dict[int, tuple[int, int]] = {}
    for pi in sorted({pi for _, pi in pairs}):
        start = len(phrases)
        phrases += _phrases(people[pi])
        spans[pi] = (start, len(phrases))
    if not phrases:
        return {pair: "" for pair in pairs}
    sims = (res @ vec.transform([v for _, v in phrases]).T).toarray()
    out = {}
    for ri, pi in pairs:
        start, end = spans[pi]
        row = sims[ri, start:end]
        out[(ri, pi)] = ""
        if end > start:
            best = start + int(row.argmax())  # the first of equal bests: stable
            if sims[ri, best] > 0:
                out[(ri, pi)] = f"{phrases[best][0]} {phrases[best][1]}"
    return out


def _phrases(p: Doc) -> list[tuple[str, str]]:  # (how to say it, the phrase)
    """The phrases of a person that can explain a match, each with how to say it."""
    out = [("interested in", v) for v in p.fields.get("interests", [])]
    out += [("tagged", v) for v in p.fields.get("tags", [])]
    out += [("works as", v) for v in p.fields.get("title", []) if v]
    for note in p.fields.get("notes", []):
        out += [("your note:", s) for s in (sentences(note) or [note.strip()]) if s]
    return out


def reason(resource_label: str, first_name: str, because: str) -> str:
    """The agenda's reason: share this resource with them, and why them."""
    why = f": {because}" if because else ": it matches what they care about"
    return f"share {resource_label} with {first_name}{why}"


def label(kind: str, title: str, limit: int = 60) -> str:
    """How a resource is named in a sentence: the article “Five Questions…”."""
    short = title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
    return f"the {kind} “{short}”"
