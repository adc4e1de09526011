"""Words into matching terms: the synonym table in the docs is the one in the code, row by row."""

from __future__ import annotations

import re
import sys
import threading
from pathlib import Path

import pytest

from keepwarm.core import terms as t

DOC = Path(__file__).parents[2] / "docs" / "library-and-digest.md"


def _doc_rows() -> list[tuple[str, str]]:
    """(words, meaning) pairs of the synonym table in the user guide, one per word."""
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("| Synonym table"):].split("\n\n")[0].splitlines()[2:]
    out = []
    for line in table:
        left, right = (c.strip() for c in line.strip("|").split("|"))
        groups = [g.strip() for g in left.split("·")]
        means = [m.strip() for m in right.split("·")]
        if len(means) == 1:
            means = means * len(groups)
        for group, meaning in zip(groups, means, strict=True):
            for word in group.split(","):
                word = word.strip().lower()
                plural = re.fullmatch(r"(\w[\w-]*)\((\w+)\)", word)
                words = [plural[1], plural[1] + plural[2]] if plural else [word]
                out += [(w, meaning) for w in words]
    return out


@pytest.mark.parametrize(("word", "meaning"), _doc_rows())
def test_each_synonym_in_the_guide_means_what_it_says(word: str, meaning: str) -> None:
    assert [x for x in t.terms(word) if "_" not in x] == [x for x in t.terms(meaning) if "_" not in x]


def test_the_guide_lists_every_synonym_of_the_code() -> None:
    stem = t._stemmer().stemWord
    documented = {stem(w.replace("-", "")) for w, _ in _doc_rows()}
    # an entry the stemmer alone would get right (fundraise: fundraising) needs no row in the guide
    real = [w for w, v in t.SYNONYMS.items() if [stem(w)] != [stem(x) for x in v.split()]]
    assert len(real) > 40
    assert [w for w in real if stem(w) not in documented] == []


@pytest.mark.parametrize(("a", "b"), [
    ("career change", "changing careers"), ("career change", "career switchers"),
    ("machine learning", "ML"), ("hiring", "recruiting"), ("sci-fi", "science fiction"),
    ("non-profit", "nonprofits"), ("user experience", "UX"), ("leadership", "leaders"),
])
def test_paraphrases_share_their_phrase_term(a: str, b: str) -> None:
    assert set(t.pairs(t.terms(a))) & set(t.pairs(t.terms(b))) or set(t.terms(a)) == set(t.terms(b))


def test_generic_and_stop_words_give_no_terms() -> None:
    assert t.terms("The best book club guide for people who love reading articles!") == []


def test_a_phrase_does_not_cross_punctuation() -> None:
    assert "career_chang" in t.terms("career change")
    assert "career_chang" not in t.terms("A career. Change comes later")


def test_a_long_text_is_read_only_up_to_the_limit() -> None:
    assert t.terms("design " * 10 + "security", limit=10) == ["design"] * 10


def test_stems_are_right_when_many_threads_stem_at_once() -> None:
    stems = ("connect", "organ", "nation", "relat", "gener", "condition", "format")
    ends = ("ionalizing", "ically", "ization", "fulness", "ousness", "iveness", "ational", "ements")
    words = [a + b for a in stems for b in ends]
    words = [f"{w}{n}" if n else w for n in ("", "s") for w in words]
    expected = {w: t.canon(w) for w in words}
    t.canon.cache_clear()
    wrong: list[tuple[str, tuple[str, ...]]] = []
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, in the middle of a word
    try:
        def work(offset: int) -> None:
            for _ in range(20):
                for w in words[offset::4]:
                    t.canon.cache_clear()
                    got = t.canon(w)
                    if got != expected[w]:
                        wrong.append((w, got))
        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        sys.setswitchinterval(old)
    assert wrong == []
