"""Finding the people a text mentions: a full name tied to the person by the same paragraph."""

from __future__ import annotations

from pathlib import Path

from keepwarm.core.mentions import Candidate, Matcher, fold, name_variants

NUNEZ = Candidate(1, "José Núñez", context={"company": ["Southern Maine Community College"]})
LOPEZ = Candidate(2, "Maria Lopez", context={"company": ["Globex"], "location": ["Lisbon"]})
SMITH = Candidate(3, "Robert Smith", "Robert", "Smith", "Bob", context={"location": ["Portland, Maine"]})
RAMAN = Candidate(4, "Priya Raman", context={"title": ["Staff Engineer"]})
NETWORK = [NUNEZ, LOPEZ, SMITH, RAMAN]


def _found(text: str, title: str = "", people: list[Candidate] = NETWORK) -> dict[int, str]:
    return {f.person_id: f.matched for f in Matcher(people).find(text, title)}


def test_accents_honorifics_initials_and_punctuation_fold_away() -> None:
    assert fold("Dr. José A. Núñez,\nwho") == " dr jose nunez who "
    assert name_variants("Dr. Jane Q. Doe") == {" jane doe "}


def test_the_fixture_article_finds_the_contacts_and_not_the_namesake(fixtures_dir: Path) -> None:
    text = (fixtures_dir / "news" / "namesakes.txt").read_text(encoding="utf-8")
    title, body = text.split("\n", 1)
    found = _found(body, title)
    assert found == {1: "their company (Southern Maine Community College)", 3: "their city (Portland)",
                     4: "their title (Staff Engineer)"}


def test_a_full_name_without_context_in_its_paragraph_is_a_namesake() -> None:
    assert _found("Maria Lopez won an award.\n\nGlobex had a good quarter.") == {}
    assert _found("Maria Lopez of Globex won an award.") == {2: "their company (Globex)"}


def test_a_first_name_alone_never_counts() -> None:
    assert _found("Maria at Globex in Lisbon said hello.") == {}
    assert _found("Priya, Staff Engineer, spoke.") == {}


def test_the_nickname_on_file_and_a_middle_initial_count() -> None:
    assert _found("Bob J. Smith moved to Portland.") == {3: "their city (Portland)"}
    assert _found("Robert Smith moved to Portland, Maine.") == {3: "their city (Portland, Maine)"}


def test_a_name_split_across_a_line_break_is_one_name() -> None:
    found = _found("Award for Priya\nRaman, Staff\nEngineer at the plant.")
    assert found == {4: "their title (Staff Engineer)"}


def test_a_previous_company_and_a_school_tie_a_mention_too() -> None:
    alum = Candidate(5, "Kenji Watanabe",
                     context={"prev_company": ["Initech"], "school": ["Bowdoin College"]})
    assert _found("Kenji Watanabe, formerly of Initech, spoke.", people=[alum]) == \
        {5: "a previous company (Initech)"}
    assert _found("Kenji Watanabe studied at Bowdoin College.", people=[alum]) == \
        {5: "their school (Bowdoin College)"}


def test_good_news_in_the_paragraph_or_the_title_asks_for_congratulations() -> None:
    m = Matcher(NETWORK)
    assert [f.good_news for f in m.find("Maria Lopez of Globex was promoted to CFO.")] == [True]
    assert [f.good_news for f in m.find("Maria Lopez of Globex spoke at a dinner.")] == [False]
    assert [f.good_news for f in m.find("Maria Lopez of Globex spoke.", "Globex wins award")] == [True]


def test_two_namesakes_on_file_are_told_apart_by_their_context() -> None:
    a = Candidate(6, "Sam Lee", context={"company": ["Acme"]})
    b = Candidate(7, "Sam Lee", context={"company": ["Initech"]})
    assert _found("Sam Lee joined Initech.", people=[a, b]) == {7: "their company (Initech)"}


def test_an_empty_network_finds_nobody() -> None:
    assert Matcher([]).find("José Núñez of Southern Maine Community College") == []
