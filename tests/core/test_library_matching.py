"""Who would benefit: a small labelled set where the right person must rank first for each resource."""

from __future__ import annotations

from keepwarm.core.library import Doc, label, match, reason

PEOPLE = [
    Doc(1, {"interests": ["product management", "career change"], "tags": ["switcher"],
            "title": ["Platform Engineer"], "notes": ["Switching into product management next year."]}),
    Doc(2, {"interests": ["machine learning", "statistics"], "tags": ["data"],
            "title": ["Data Scientist"], "notes": ["Working on recommendation models."]}),
    Doc(3, {"interests": ["user research", "design"], "tags": ["ux"], "title": ["UX Researcher"],
            "notes": ["Runs usability studies for the mobile app."]}),
    Doc(4, {"interests": ["leadership", "running"], "tags": ["manager"], "title": ["Engineering Manager"],
            "notes": ["Training for the Berlin marathon; new team of twelve."]}),
    Doc(5, {"interests": ["hiring", "interviews"], "tags": ["recruiter"], "title": ["Recruiter"],
            "notes": ["Coaches candidates before job interviews."]}),
]

RESOURCES = {
    # resource id -> (document, the person who should rank first)
    10: (Doc(10, {"topics": ["product management"], "title": ["Inspired: how to create products people love"],
                  "text": ["A guide for product managers on discovery, roadmaps and working with "
                           "engineering teams. Many engineers switching into product management "
                           "start here."]}), 1),
    11: (Doc(11, {"topics": ["machine learning"], "title": ["The hundred-page machine learning book"],
                  "text": ["Gradient descent, regularisation and model evaluation explained with "
                           "statistics a data scientist uses every day."]}), 2),
    12: (Doc(12, {"topics": ["user research"], "title": ["Just Enough Research"],
                  "text": ["How to plan usability studies, interview users and turn research into "
                           "design decisions."]}), 3),
    13: (Doc(13, {"topics": ["leadership"], "title": ["The Manager's Path"],
                  "text": ["Leading a new team, growing engineers, and the move from engineer to "
                           "engineering manager."]}), 4),
    14: (Doc(14, {"topics": ["interviews", "hiring"], "title": ["Who: the A method for hiring"],
                  "text": ["Structured interviews and scorecards for hiring managers and recruiters."]}), 5),
}


def test_the_right_person_ranks_first_for_each_resource() -> None:
    found = match([doc for doc, _ in RESOURCES.values()], PEOPLE)
    for rid, (_, expected) in RESOURCES.items():
        ranked = [m for m in found if m.resource_id == rid]
        assert ranked, f"no match at all for resource {rid}"
        assert ranked[0].person_id == expected, (rid, [(m.person_id, m.score) for m in ranked])


def test_the_right_resource_ranks_first_for_each_person() -> None:
    found = match([doc for doc, _ in RESOURCES.values()], PEOPLE)
    for rid, (_, pid) in RESOURCES.items():
        mine = [m for m in found if m.person_id == pid]
        assert mine[0].resource_id == rid


def test_a_match_says_which_of_their_phrases_fits() -> None:
    found = match([RESOURCES[12][0]], PEOPLE)
    assert found[0].person_id == 3
    assert found[0].because == "interested in user research"


def test_unrelated_people_get_no_match() -> None:
    stranger = Doc(9, {"interests": ["gardening"], "title": ["Florist"], "notes": ["Grows tulips."]})
    assert match([RESOURCES[11][0]], [stranger]) == []


def test_matching_is_stable_and_ordered_by_score() -> None:
    docs = [doc for doc, _ in RESOURCES.values()]
    first, second = match(docs, PEOPLE), match(docs, PEOPLE)
    assert first == second
    assert [m.score for m in first] == sorted((m.score for m in first), reverse=True)


def test_empty_inputs_match_nothing() -> None:
    assert match([], PEOPLE) == []
    assert match([RESOURCES[10][0]], []) == []
    assert match([Doc(1, {"title": ["the"]})], [Doc(2, {"notes": ["a"]})]) == []


def test_the_agenda_reason_names_resource_person_and_why() -> None:
    text = reason(label("article", "Five Questions That Make an Informational Interview Worth It"), "Ravi",
                  "your note: Switching into product management.")
    assert text == ("share the article “Five Questions That Make an Informational Interview Worth It” "
                    "with Ravi: your note: Switching into product management.")
    assert label("book", "x" * 100).endswith("…”")
