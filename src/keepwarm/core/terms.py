"""Words into matching terms: stems, a small synonym table, and phrases as unordered word pairs.

A reader links "career change", "changing careers" and "career switchers" at once; a bag of raw words
does not. So each word is lower-cased, dropped when it is a stop word or a generic word (a book club is
not a topic: "book", "club", "people" and "article" appear in every library and say nothing about who it
suits), stemmed with the Snowball English stemmer, and mapped through SYNONYMS to one canonical stem.
Adjacent terms inside a phrase also give a pair term, in sorted order, so "career change" and "changing
careers" share the pair ``career_chang`` while a text that merely mentions a career somewhere and change
somewhere else does not.

The tables are kept small and are listed in docs/library-and-digest.md; add a row there and here together.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import cache, lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words. Written out rather than borrowed from scikit-learn, whose list also drops topical
# words such as "system", "computer", "interest" and "move".
STOP_WORDS = _words("""
a about above after again against all almost also although always am among an and another any are
around as at be because been before being below between both but by can could did do does doing done
down during each either else enough etc even ever every few for from further had has have having he her
here hers herself him himself his how however i if in into is it its itself just least less let may me
might mine more most much must my myself neither never no nor not now of off often on once one only onto
or other others otherwise our ours ourselves out over own per perhaps quite rather same several shall she
should since so some still such than that the their theirs them themselves then there therefore these they
this those though through thus to too toward towards under until up upon us very via was we were what
whatever when where whether which while who whom whose why will with within without would yet you your
yours yourself yourselves s t d ll re ve m
""")

# Words that appear around any resource or person and so must never carry a match on their own.
GENERIC_WORDS = _words("""
article articles book books booklet chapter chapters club clubs episode episodes podcast podcasts
blog essay essays guide guides handbook read reads reading reader readers review reviews summary
story stories note notes page pages issue newsletter list lists edition volume author authors
people person persons someone anyone everyone everybody folks colleague colleagues friend friends
new old good great best better first second third last next many way ways thing things lot
lots make makes making made get gets getting got go goes going take takes taking use uses using used
help helps helping tip tips trick tricks idea ideas lesson lessons question questions answer answers
year years month months week weeks day days today hour hours minute minutes
interest interests interested like likes love loves loved want wants wanted need needs needed try tries
know knows think thinks really actually simply basically truly practical practically useful short long
introduction intro overview primer dive look looks inside world works working
""")

# Words (as written) mapped to the word(s) they mean here; both sides are stemmed before use.
SYNONYMS: dict[str, str] = {
    "switch": "change", "switching": "change", "switcher": "change", "switchers": "change",
    "changer": "change", "changers": "change", "pivot": "change", "pivoting": "change",
    "transition": "change", "transitions": "change", "transitioning": "change",
    "recruiting": "hiring", "recruiter": "hiring", "recruiters": "hiring", "recruitment": "hiring",
    "hire": "hiring", "hires": "hiring", "talent": "hiring",
    "leader": "leadership", "leaders": "leadership", "leading": "leadership",
    "mentorship": "mentoring", "mentor": "mentoring", "mentors": "mentoring",
    "coaching": "coach", "coaches": "coach",
    "founder": "startup", "founders": "startup", "startups": "startup", "entrepreneur": "startup",
    "entrepreneurs": "startup", "entrepreneurship": "startup",
    "fundraise": "fundraising", "fundraising": "fundraising", "vc": "venture capital",
    "ml": "machine learning", "ai": "artificial intelligence", "llm": "language model",
    "llms": "language model", "ux": "user experience", "pm": "product manager", "pms": "product manager",
    "devops": "operations infrastructure", "sre": "reliability operations",
    "speaker": "speaking", "speakers": "speaking", "talks": "speaking",
    "writer": "writing", "writers": "writing",
    "parenthood": "parent", "parenting": "parent", "mum": "parent", "mom": "parent", "dad": "parent",
    "salary": "compensation", "salaries": "compensation", "pay": "compensation",
    "relocation": "relocate", "relocating": "relocate", "expat": "relocate", "abroad": "relocate",
    "burnout": "burnout", "burned": "burnout", "burnt": "burnout",
    "retiring": "retirement", "retire": "retirement",
    "kubernetes": "containers", "k8s": "containers", "docker": "containers",
    # hyphenated words are split into their parts unless they are written here without the hyphen
    "scifi": "science fiction", "cofounder": "startup", "cofounders": "startup", "startup": "startup",
    "nonprofit": "nonprofit", "nonprofits": "nonprofit", "ecommerce": "ecommerce", "email": "email",
    "a11y": "accessibility", "i18n": "internationalization",
}

_CHUNKS = re.compile(r"[.!?;:,()\[\]\"“”|/\n]+")
_WORD = re.compile(r"[a-z][a-z0-9+#]*(?:-[a-z0-9+#]+)*")


_local = threading.local()


def _stemmer():  # type: ignore[no-untyped-def]
    """This thread's stemmer: a Snowball stemmer keeps the word it works on in itself, so the web
    app's worker threads must not share one."""
    st = getattr(_local, "stemmer", None)
    if st is None:
        import snowballstemmer

        st = _local.stemmer = snowballstemmer.stemmer("english")
    return st


@cache
def _tables() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The generic words and the synonyms as stems (built on first use, not at import)."""
    stem = _stemmer().stemWord
    generic = frozenset(stem(w) for w in GENERIC_WORDS) | GENERIC_WORDS
    syn = {stem(k): tuple(stem(w) for w in v.split()) for k, v in SYNONYMS.items()}
    syn.update({k: tuple(stem(w) for w in v.split()) for k, v in SYNONYMS.items()})
    return generic, syn


@lru_cache(maxsize=200_000)
def canon(word: str) -> tuple[str, ...]:
    """The canonical stems a lower-case word stands for: none for stop and generic words."""
    if word in STOP_WORDS or len(word) < 2:
        return ()
    generic, syn = _tables()
    if word in syn:
        return syn[word]
    stem = _stemmer().stemWord(word)
    if stem in generic or word in generic:
        return ()
    return syn.get(stem, (stem,))


def _canon_all(word: str) -> tuple[str, ...]:
    """Like canon(), for a word that may be hyphenated: "sci-fi" is one word, "data-intensive" two."""
    if "-" not in word:
        return canon(word)
    joined = word.replace("-", "")
    if joined in SYNONYMS:
        return canon(joined)
    return tuple(t for part in word.split("-") if part for t in canon(part))


def terms(text: str, limit: int | None = None) -> list[str]:
    """The matching terms of a text: each content word's stem and each adjacent pair (``a_b``).

    Pairs never cross punctuation, so the end of one sentence and the start of the next make no phrase.
    ``limit`` bounds the number of words read, to keep a very long article cheap.
    """
    out: list[str] = []
    seen = 0
    for chunk in _CHUNKS.split(text.lower()):
        prev = ""
        for word in _WORD.findall(chunk):
            seen += 1
            for t in _canon_all(word):
                out.append(t)
                if prev and prev != t:
                    out.append(f"{prev}_{t}" if prev < t else f"{t}_{prev}")
                prev = t
            if limit is not None and seen >= limit:
                return out
    return out


def pairs(items: Iterable[str]) -> list[str]:
    """Only the pair terms of a list of terms (the phrases)."""
    return [t for t in items if "_" in t]
