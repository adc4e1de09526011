"""Finding the people of the network that a text mentions: a full name, tied to this person by context.

A full name alone is not enough: the world is full of namesakes. A mention counts when the paragraph that
names someone also names something that ties it to *them*: their company, a previous company, their title,
their city or their school. A first name alone never counts (every pattern has two words at least).

Names and text are folded the same way (case, accents, punctuation, line breaks, single-letter initials
and honorifics dropped), so "Dr. José A. Núñez" in an article meets "Jose Nunez" on file, and a name split
across a line break is still one name. All the network's names go into one Aho-Corasick automaton
(``pyahocorasick``), built once and reused: a text is read in one pass, however large the network.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

HONORIFICS = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "sir", "dame", "phd", "md",
                        "jr", "sr", "ii", "iii"})
# words that make a mention good news: congratulations rather than a plain message
GOOD_NEWS = frozenset({"appointed", "appoints", "named", "joins", "joined", "hired", "hires", "promoted",
                       "promotion", "award", "awarded", "awards", "wins", "won", "winner", "prize",
                       "launch", "launches", "launched", "elected", "honored", "honoured", "funding",
                       "raises", "raised", "celebrates", "new role", "welcomes", "fellow", "recognized",
                       "recognised"})
CONTEXT_LABELS = {"company": "their company", "prev_company": "a previous company", "title": "their title",
                  "location": "their city", "school": "their school"}

_PARAGRAPHS = re.compile(r"\n\s*\n")
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_NON_WORD = re.compile(r"[\W_]+")
_INITIALS = re.compile(r"(?<= )\w(?= )")
_SPACES = re.compile(r" {2,}")


def fold(text: str) -> str:
    """Words only, lower-case, without accents or single letters, each between spaces (`` jose nunez ``).

    Regular expressions do the work in C: folding a long article costs less than reading it."""
    low = text.casefold()
    if not low.isascii():
        low = _MARKS.sub("", unicodedata.normalize("NFKD", low))
    spaced = " " + _NON_WORD.sub(" ", low) + " "
    return _SPACES.sub(" ", _INITIALS.sub("", _INITIALS.sub("", spaced)))


def name_variants(name: str, given: str | None = None, family: str | None = None,
                  nickname: str | None = None) -> set[str]:
    """The folded forms a person's full name may take in print: as on file, given + family, and with the
    nickname on file; honorifics and initials dropped; never fewer than two words."""
    out: set[str] = set()

    def words(text: str | None) -> list[str]:
        return [w for w in fold(text or "").split() if w not in HONORIFICS]

    full = words(name)
    first, last = words(given) or full[:1], words(family) or full[-1:]
    for form in (full, first + last, full[:1] + full[-1:], words(nickname) + last):
        if len(form) >= 2:
            out.add(" " + " ".join(form) + " ")
    return out


@dataclass
class Candidate:
    """A person of the network as matching sees them: their names and the words that tie a text to them."""

    person_id: int
    name: str
    given: str | None = None
    family: str | None = None
    nickname: str | None = None
    # kind (company, prev_company, title, location, school) -> the values on file
    context: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Found:
    """A mention: who, what tied the text to them, and whether the paragraph is good news."""

    person_id: int
    matched: str  # "their company (Acme)"
    good_news: bool
    paragraph: int


class Matcher:
    """All the names of a network in one automaton; :meth:`find` reads a text in one pass."""

    def __init__(self, people: Iterable[Candidate]) -> None:
        import ahocorasick

        self.automaton: Any = ahocorasick.Automaton()
        self.context: dict[int, list[tuple[str, str, str]]] = {}
        by_form: dict[str, list[int]] = {}
        for p in people:
            for form in name_variants(p.name, p.given, p.family, p.nickname):
                by_form.setdefault(form, []).append(p.person_id)
            self.context[p.person_id] = _context_terms(p)
        for form, ids in by_form.items():
            self.automaton.add_word(form, tuple(ids))
        self.size = len(by_form)
        if self.size:
            self.automaton.make_automaton()

    def find(self, text: str, title: str = "") -> list[Found]:
        """The people ``text`` mentions, once each, with the first paragraph that ties it to them."""
        if not self.size:
            return []
        paragraphs = [fold(p) for p in _PARAGRAPHS.split(text) if p.strip()]
        if title.strip():
            paragraphs.insert(0, fold(title))
        good_title = bool(title) and _good(paragraphs[0])
        found: dict[int, Found] = {}
        for index, para in enumerate(paragraphs):
            for _end, ids in self.automaton.iter(para):
                for pid in ids:
                    if pid in found:
                        continue
                    tie = self._tie(pid, para)
                    if tie is not None:
                        found[pid] = Found(pid, tie, good_title or _good(para), index)
        return list(found.values())

    def _tie(self, person_id: int, para: str) -> str | None:
        for kind, term, shown in self.context.get(person_id, ()):
            if term in para:
                return f"{CONTEXT_LABELS[kind]} ({shown})"
        return None


def _context_terms(p: Candidate) -> list[tuple[str, str, str]]:
    """(kind, folded term, as shown) for each context value; a city is also its first comma part."""
    out = []
    names = name_variants(p.name, p.given, p.family, p.nickname)
    for kind in CONTEXT_LABELS:
        for value in p.context.get(kind, []):
            shown = value.strip()
            parts = [shown] + ([shown.split(",")[0]] if kind == "location" and "," in shown else [])
            for part in parts:
                term = fold(part)
                # a term must be a word at least, and not the person's own name (it would tie itself)
                if term.strip() and len(term.strip()) > 1 and term not in names:
                    out.append((kind, term, part.strip()))
    return out


def _good(para: str) -> bool:
    return any(f" {w} " in para for w in GOOD_NEWS)
