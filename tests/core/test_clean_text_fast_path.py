"""clean_text takes a shortcut for printable text; it must decide exactly as the general rules do."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keepwarm.core.people import clean_text
from keepwarm.errors import InvalidInputError

# the general rules, written out again: bidi embeddings dropped, no other control or format characters
# but the zero-width joiners of emoji, one line, a length limit
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\u2060-\u2065"
                     r"\u206a-\u206f\ufeff]")
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def expected(value: str, limit: int) -> str | None:
    text = BIDI.sub("", value.replace("\r\n", "\n")).strip()
    if "\n" in text:
        text = re.sub(r"\s+", " ", text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError("not text") from None
    if CONTROL.search(text) or len(text) > limit:
        raise InvalidInputError("refused")
    return text or None


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30), st.integers(min_value=0, max_value=25))
def test_clean_text_agrees_with_the_general_rules(value: str, limit: int) -> None:
    try:
        want: str | None | type[InvalidInputError] = expected(value, limit)
    except InvalidInputError:
        want = InvalidInputError
    if want is InvalidInputError:
        with pytest.raises(InvalidInputError):
            clean_text(value, "field", limit=limit)
    else:
        assert clean_text(value, "field", limit=limit) == want


@pytest.mark.parametrize("value", ["Zoë\u200b", "a\u00a0b\u00a0", "\ufeffAna", "Ana\u2028Bob", "x\ty"])
def test_clean_text_checks_unusual_characters_fully(value: str) -> None:
    try:
        want = expected(value, 200)
    except InvalidInputError:
        with pytest.raises(InvalidInputError):
            clean_text(value, "field")
        return
    assert clean_text(value, "field") == want
