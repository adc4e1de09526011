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

import bisect
import functools
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
_GOOD = re.compile(r"(?<![^\W_])(?:" + "|".join(w.replace(" ", r"\s+") for w in sorted(GOOD_NEWS))
                   + r")(?![^\W_])")
CONTEXT_LABELS = {"company": "their company", "prev_company": "a previous company", "title": "their title",
                  "location": "their city", "school": "their school"}

_PARAGRAPHS = re.compile(r"\n[^\S\n]*\n\s*")
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_NON_WORD = re.compile(r"[^\w\x1e]+|_+")
_INITIALS = re.compile(r"(?<= )\w ")
BREAK = "\x1e"  # a paragraph break in folded text: no name pattern crosses it
_WORD = re.compile(r"[^\W_]+")
_ACCENTED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]+")
_LOOKBACK = 120  # characters before a family name read for the given name, initials and honorifics


def fold(text: str) -> str:
    """Words only, lower-case, without accents or single letters, each between spaces (`` jose nunez ``);
    paragraph breaks (a blank line) stay, as `` \\x1e ``.

    A handful of regular expressions over the whole text do the work in C: folding a long article costs
    about as much as one automaton pass over it."""
    low = text.casefold()
    if not low.isascii():
        low = _MARKS.sub("", unicodedata.normalize("NFKD", low))
    if "\n" in low:
        low = _PARAGRAPHS.sub(f" {BREAK} ", low.replace(BREAK, " "))
    return _INITIALS.sub("", _NON_WORD.sub(" ", f" {low} "))


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
    """All the names of a network in one automaton; :meth:`find` reads a text in one pass.

    The automaton holds family names, the last word of every form a name takes; each hit is checked
    against the words just before it (given name or nickname, initials and honorifics skipped) and then
    against the paragraph's context. Only the text's case and accents are normalised up front, so a long
    article costs little more than the automaton's own pass over it.
    """

    def __init__(self, people: Iterable[Candidate]) -> None:
        import ahocorasick

        self.automaton: Any = ahocorasick.Automaton()
        self.context: dict[int, list[tuple[str, str, str, str]]] = {}
        # family name -> number of words before it -> those words -> who is called so
        by_last: dict[str, dict[int, dict[tuple[str, ...], list[int]]]] = {}
        for p in people:
            for form in name_variants(p.name, p.given, p.family, p.nickname):
                words = form.split()
                before = tuple(words[:-1])
                by_last.setdefault(words[-1], {}).setdefault(len(before), {}).setdefault(before, []) \
                    .append(p.person_id)
            self.context[p.person_id] = _context_terms(p)
        for last, entries in by_last.items():
            self.automaton.add_word(last, (len(last), tuple(entries.items())))
        self.size = len(by_last)
        if self.size:
            self.automaton.make_automaton()

    def find(self, text: str, title: str = "") -> list[Found]:
        """The people ``text`` mentions, once each, with the first paragraph that ties it to them (the
        title counts as a paragraph of its own)."""
        if not self.size:
            return []
        low = _plain(f"{title}\n\n{text}" if title.strip() else text)
        spans = [(m.start(), m.end()) for m in _PARAGRAPHS.finditer(low)]
        starts = [a for a, _ in spans]
        found: dict[int, Found] = {}
        good_title = _GOOD.search(_plain(title)) is not None
        size = len(low)
        for end, (length, entries) in self.automaton.iter(low):
            start = end - length + 1
            if (start > 0 and low[start - 1].isalnum()) or (end + 1 < size and low[end + 1].isalnum()):
                continue  # inside a longer word
            index = bisect.bisect_right(starts, start)
            first = spans[index - 1][1] if index else 0
            words = [w for w in _WORD.findall(low, max(first, start - _LOOKBACK), start)
                     if len(w) > 1 and w not in HONORIFICS]
            # one dictionary look-up per length of given names, however many share the family name
            pids = [pid for n, named in entries if len(words) >= n
                    for pid in named.get(tuple(words[len(words) - n:]), ())]
            for pid in pids:
                if pid in found:
                    continue
                stop = spans[index][0] if index < len(spans) else size
                tie = self._tie(pid, low, first, stop)
                if tie is not None:
                    good = good_title or _GOOD.search(low, first, stop) is not None
                    found[pid] = Found(pid, tie, good, index)
        return list(found.values())

    def _tie(self, person_id: int, low: str, first: int, stop: int) -> str | None:
        """What in the paragraph ``low[first:stop]`` ties it to the person: a substring search for the
        term's longest word, then its words in order (any punctuation or line break between them)."""
        for kind, term, shown, probe in self.context.get(person_id, ()):
            if low.find(probe, first, stop) >= 0 and _term_pattern(term).search(low, first, stop):
                return f"{CONTEXT_LABELS[kind]} ({shown})"
        return None


@functools.lru_cache(maxsize=1 << 16)
def _term_pattern(term: str) -> re.Pattern[str]:
    """A folded term's words as a whole-word pattern over :func:`_plain` text (compiled when first needed:
    most people's terms never are)."""
    words = r"(?:[\W_]+\w)*[\W_]+".join(re.escape(w) for w in term.split())
    return re.compile(rf"(?<![^\W_]){words}(?![^\W_])")


def _plain(text: str) -> str:
    """Lower case, accents dropped: what the automaton reads (punctuation and spacing stay as they are;
    only runs of accented letters are decomposed, so an English article costs one scan)."""
    low = text.casefold()
    return low if low.isascii() else _ACCENTED.sub(_unaccent, low)


def _unaccent(m: re.Match[str]) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFKD", m.group()))


def _context_terms(p: Candidate) -> list[tuple[str, str, str, str]]:
    """(kind, folded term, as shown, its longest word) for each context value; a city is also its first
    comma part."""
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
                    out.append((kind, term, part.strip(), max(term.split(), key=len)))
    return out
