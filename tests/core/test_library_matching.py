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
                  "interested in career change")
    assert text == ("share the article “Five Questions That Make an Informational Interview Worth It” "
                    "with Ravi: interested in career change")
    assert label("book", "x" * 100).endswith("…”")


def test_a_resource_made_of_generic_words_matches_nobody() -> None:
    fluff = Doc(20, {"title": ["The best book club guide for people who love reading articles"],
                     "text": ["A great new book for readers and book clubs: tips, ideas and lessons."]})
    readers = Doc(8, {"interests": ["book clubs", "reading"], "tags": ["people"],
                      "notes": ["Loves articles."]})
    assert match([fluff], PEOPLE + [readers]) == []


def test_paraphrases_and_synonyms_meet_on_the_same_terms() -> None:
    changer = Doc(1, {"interests": ["career change"]})
    for text in ("Changing careers at forty", "Career switchers", "A career pivot", "career transitions"):
        found = match([Doc(30, {"title": [text]})], [changer])
        assert found and found[0].because == "interested in career change", text
    ml = match([Doc(31, {"topics": ["ML"]})], [Doc(2, {"interests": ["machine learning"]})])
    assert ml and ml[0].score > 0.9


def test_a_phrase_outranks_the_same_words_apart() -> None:
    phrase = Doc(40, {"title": ["Career change"]})
    apart = Doc(41, {"title": ["Career advice. Change management"]})
    found = match([phrase, apart], [Doc(1, {"interests": ["changing careers"]})])
    assert [m.resource_id for m in found] == [40, 41]
    assert found[0].score > found[1].score * 1.5


def test_a_match_by_the_notes_never_quotes_them() -> None:
    manager = Doc(4, {"title": ["Engineering Manager"], "notes": ["Training for the Berlin marathon."]})
    found = match([Doc(50, {"title": ["Marathon training for busy engineers"]})], [manager])
    assert found[0].because == "matches what you know of them"
    assert "Berlin" not in found[0].because


def test_title_and_company_count_and_are_said_as_such() -> None:
    people = [Doc(1, {"title": ["Site Reliability Engineer"]}), Doc(2, {"company": ["Cloudflare"]})]
    found = match([Doc(60, {"title": ["How Cloudflare handled the outage"]}),
                   Doc(61, {"title": ["Site reliability in practice"]})], people)
    why = {(m.resource_id, m.person_id): m.because for m in found}
    assert why[(60, 2)] == "works at Cloudflare"
    assert why[(61, 1)] == "works as Site Reliability Engineer"
