"""Extraction and offline extractive summaries of the article fixtures (tests/fixtures/articles)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from keepwarm.core import library
from keepwarm.errors import InvalidInputError

ARTICLES = ("informational-interviews.html", "career-switch-book-review.html")
NOISE = ("Sponsored", "20% off", "Subscribe", "Home", "Copyright", "Privacy", "Share on social media",
         "Great review", "Ordered it today", "12 comments", "Practitioner's Shelf", "Podcast")


def _page(fixtures_dir: Path, name: str) -> str:
    return (fixtures_dir / "articles" / name).read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", ARTICLES)
def test_summary_is_made_of_the_articles_own_sentences(fixtures_dir: Path, name: str) -> None:
    html = _page(fixtures_dir, name)
    ex = library.extract_html(html, name)
    summary = library.summarize(ex.text)
    assert len(summary) == 3
    for sentence in summary:
        assert sentence in _flat(ex.text)
        assert sentence in _flat(html.replace("</p>", " ").replace("<p>", " "))


@pytest.mark.parametrize("name", ARTICLES)
def test_navigation_ads_and_comments_are_left_out(fixtures_dir: Path, name: str) -> None:
    ex = library.extract_html(_page(fixtures_dir, name), name)
    for noise in NOISE:
        assert noise not in ex.text
        assert all(noise not in s for s in library.summarize(ex.text, 10))


def test_summary_keeps_the_articles_order(fixtures_dir: Path) -> None:
    ex = library.extract_html(_page(fixtures_dir, ARTICLES[0]), "a")
    every = library.sentences(ex.text)
    picked = [every.index(s) for s in library.summarize(ex.text, 4)]
    assert picked == sorted(picked)


def test_metadata_comes_from_the_page(fixtures_dir: Path) -> None:
    ex = library.extract_html(_page(fixtures_dir, ARTICLES[0]), "a")
    assert ex.title == "Five Questions That Make an Informational Interview Worth Everyone's Time"
    assert ex.author and "Alvarez" in ex.author
    assert ex.published == date(2025, 9, 14)
    assert not ex.text.startswith(ex.title)  # the headline is not a body sentence


_SUMMARIZE = ("import sys; from keepwarm.core.library import extract_html, summarize; "
              "print('|'.join(summarize(extract_html(open(sys.argv[1]).read(), 'x').text, 4)))")


@pytest.mark.parametrize("name", ARTICLES)
def test_same_input_gives_the_same_summary_in_separate_processes(fixtures_dir: Path, name: str) -> None:
    path = str(fixtures_dir / "articles" / name)
    outs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", _SUMMARIZE, path], capture_output=True, text=True,
                             env=env, check=True)
        outs.add(run.stdout)
    assert len(outs) == 1
    assert outs.pop().strip() == "|".join(library.summarize(
        library.extract_html(_page(fixtures_dir, name), "x").text, 4))


def test_a_page_without_article_text_is_an_error_naming_it() -> None:
    html = "<html><head><title>Nothing</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    with pytest.raises(InvalidInputError, match="empty.html: no article text"):
        library.extract_html(html, "empty.html")


def test_a_short_text_is_its_own_summary() -> None:
    text = "Networking works best in small steps every week. Big favours come later, if ever."
    assert library.summarize(text) == ["Networking works best in small steps every week.",
                                       "Big favours come later, if ever."]


def test_the_central_sentence_wins_over_an_outlier() -> None:
    text = ("Coffee chats build trust between colleagues over time. "
            "Trust between colleagues grows with regular coffee chats. "
            "Regular chats over coffee help colleagues trust each other. "
            "The weather in Lisbon was sunny yesterday afternoon.")
    summary = library.summarize(text, 2)
    assert "The weather in Lisbon was sunny yesterday afternoon." not in summary


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="article, book, podcast"):
        library.check_kind("movie")


def test_a_very_long_text_is_summarised_in_bounded_time_from_its_opening() -> None:
    para = ("Regular small touches keep a professional network warm. "
            "A useful article shared with a personal note is a generous touch. ")
    text = "\n".join(para + f"Paragraph {i} ends with its own closing remark today." for i in range(5000))
    summary = library.summarize(text)
    assert len(summary) == 3
    head = library.sentences(text)[: library.MAX_SENTENCES]
    assert all(s in head for s in summary)
