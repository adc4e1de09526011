"""The library: extracting an article from HTML, summarising it offline, and matching it to people.

Summaries are extractive (TextRank over TF-IDF sentence vectors): they are made of the article's own
sentences, need no model or data download, and are deterministic (same text, same summary). Matching
(who would benefit) lives in core.matching and is re-exported here, where the store and the agenda
have always found it.

scikit-learn, numpy and trafilatura are imported inside the functions that need them, so importing this
module stays cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from keepwarm.core.matching import MIN_SCORE, Doc, Match, match, public_reason
from keepwarm.errors import ConfigError, InvalidInputError

__all__ = ["MIN_SCORE", "Doc", "Extracted", "Match", "check_kind", "extract_html", "label", "match",
           "public_reason", "reason", "sentences", "summarize"]

KINDS = ("article", "book", "podcast")
SUMMARY_SENTENCES = 3
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


def reason(resource_label: str, first_name: str, because: str) -> str:
    """The agenda's reason: share this resource with them, and why them."""
    because = public_reason(because)
    why = f": {because}" if because else ": it matches what they care about"
    return f"share {resource_label} with {first_name}{why}"


def label(kind: str, title: str, limit: int = 60) -> str:
    """How a resource is named in a sentence: the article “Five Questions…”."""
    short = title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
    return f"the {kind} “{short}”"
