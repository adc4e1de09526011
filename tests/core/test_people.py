import pytest

from keepwarm.core.people import (
    Link,
    Person,
    fold,
    from_dict,
    normalize_email,
    normalize_phone,
    normalize_url,
    to_dict,
    validate,
)
from keepwarm.errors import InvalidInputError


def test_phones_are_normalised_to_e164_with_the_default_region():
    assert normalize_phone("(207) 555-0142", "US") == "+12075550142"
    assert normalize_phone("+44 7700 900123", "US") == "+447700900123"
    assert normalize_phone("030 1234567", "DE") == "+49301234567"


def test_not_a_phone_number_is_refused():
    with pytest.raises(InvalidInputError, match="phone"):
        normalize_phone("call me maybe")


def test_emails_are_validated_and_lower_cased():
    assert normalize_email(" Ada@Example.COM ") == "ada@example.com"
    with pytest.raises(InvalidInputError, match="not a valid email"):
        normalize_email("ada@")


def test_linkedin_urls_are_canonical():
    assert normalize_url("linkedin.com/in/ada/?trk=x") == "https://www.linkedin.com/in/ada"
    assert normalize_url("http://de.linkedin.com/in/ada/") == "https://www.linkedin.com/in/ada"


def test_validate_guesses_names_and_link_kinds_and_drops_duplicates():
    p = validate(Person("  José  Núñez ", emails=["J@x.org", "j@x.org"],
                        links=[Link("https://www.linkedin.com/in/jose")], tags=["a", "a", "b"]))
    assert (p.name, p.given_name, p.family_name) == ("José  Núñez", "José", "Núñez")
    assert p.emails == ["j@x.org"]
    assert p.links[0].kind == "linkedin" and p.linkedin == "https://www.linkedin.com/in/jose"
    assert p.tags == ["a", "b"]


@pytest.mark.parametrize(("person", "message"), [
    (Person("x" * 500), "at most 200"),
    (Person("Bad\x07Bell"), "control characters"),
    (Person("   "), "needs a name"),
    (Person("Ok", every_days=-3), "positive"),
    (Person("Ok", tags=["fine", "bad\x00tag"]), "control characters"),
])
def test_bad_people_are_refused_with_a_clear_message(person, message):
    with pytest.raises(InvalidInputError, match=message):
        validate(person)


def test_fold_removes_accents_and_case():
    assert fold("José  NÚÑEZ") == "jose nunez"
    assert fold("Siobhán O'Brien") == "siobhan o'brien"


def test_a_person_survives_to_dict_and_back():
    from keepwarm.core.birthdays import Birthday

    p = validate(Person("Ada", emails=["ada@example.com"], birthday=Birthday(2, 29), extra={"X-FOO": "1"},
                        links=[Link("https://ada.dev")], interests=["math"]))
    assert from_dict(to_dict(p)) == p


def test_first_name_prefers_the_nickname():
    assert Person("Robert McIntosh", nickname="Bobby").first_name == "Bobby"
    assert Person("Robert McIntosh").first_name == "Robert"
