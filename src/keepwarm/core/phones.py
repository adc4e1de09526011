"""Phone numbers as files write them: which country a national number belongs to, and what to keep.

A national number (``0311111111``) means nothing without its country, and guessing the wrong one makes a
wrong number that looks right (``+10311111111``). So an imported national number becomes E.164 only when it
is a *valid* number of one of the regions the contact itself points to (its address, its other numbers),
then the owner's regions; otherwise it is kept as written. Extensions, pause and wait digits are kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

# Android wraps pasted numbers in LEFT-TO-RIGHT EMBEDDING … POP DIRECTIONAL FORMATTING; other format
# characters (marks, isolates, zero-width spaces, the BOM) creep in the same way
_FORMAT = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
# "," (pause) and ";" (wait) as phones dial them, "p"/"w" as some write them; what follows is dialled later
_PAUSE = re.compile(r"[,;]|(?<=\d)\s*[pPwW](?=[\d#*,;]|$)")
_TEL_EXT = re.compile(r";ext=([0-9#*]+)", re.I)
_LETTERS = re.compile(r"[A-Za-z]{3,}")
_COUNTRY_ALIASES = {"usa": "US", "u.s.a.": "US", "u.s.": "US", "us": "US", "united states of america": "US",
                    "america": "US", "uk": "GB", "u.k.": "GB", "england": "GB", "scotland": "GB",
                    "wales": "GB", "great britain": "GB", "britain": "GB", "northern ireland": "GB",
                    "holland": "NL", "the netherlands": "NL", "deutschland": "DE", "brd": "DE",
                    "schweiz": "CH", "suisse": "CH", "österreich": "AT", "españa": "ES", "россия": "RU",
                    "日本": "JP", "中国": "CN", "korea": "KR", "south korea": "KR", "czech republic": "CZ"}


def strip_marks(value: str) -> str:
    """A number without the invisible formatting characters phones and copy-paste put around it."""
    return _FORMAT.sub("", value).strip()


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Every country name phonenumbers knows, in every language it has, folded, to its region code."""
    from phonenumbers.geodata.locale import LOCALE_DATA

    out: dict[str, str] = {}
    for region, names in LOCALE_DATA.items():
        if len(region) != 2:
            continue
        for name in names.values():
            for _ in range(3):  # "*aa": the same name as language aa (which may point on again)
                if name.startswith("*"):
                    name = names.get(name[1:], "")
            if name:
                out.setdefault(name.casefold(), region)
        out.setdefault(region.casefold(), region)
    out.update(_COUNTRY_ALIASES)
    return out


def region_of_country(country: str | None) -> str | None:
    """The two-letter region of an address's country (``Germany``, ``Deutschland``, ``DE``), or None."""
    if not country:
        return None
    key = unicodedata.normalize("NFC", country).strip().strip(".").casefold()
    return _country_names().get(key) or _country_names().get(key + ".")


@lru_cache(maxsize=1 << 12)
def region_of_number(e164: str) -> str | None:
    """The region of a number already in international form (``+49…`` → ``DE``), or None."""
    import phonenumbers

    if not e164.startswith("+"):
        return None
    try:
        num = phonenumbers.parse(e164.split(";")[0].split(",")[0], None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(num)
    return region if region and region != "ZZ" else None


def _split_suffix(value: str) -> tuple[str, str, str]:
    """(number, extension, pause/wait suffix as written) of a dialling string or ``tel:`` URI."""
    text = value.removeprefix("tel:").removeprefix("TEL:")
    ext = ""
    m = _TEL_EXT.search(text)
    if m:
        ext, text = m.group(1), text[:m.start()] + text[m.end():]
    text = text.split(";phone-context=")[0]
    m = _PAUSE.search(text)
    if m:
        return text[:m.start()].strip(), ext, text[m.start():].strip()
    return text.strip(), ext, ""


@lru_cache(maxsize=1 << 14)  # an import meets the same office numbers again and again; parsing is slow
def imported_phone(value: str, regions: tuple[str, ...]) -> str | None:
    """A phone read from a file in E.164 (with ``;ext=N`` and any pause digits kept), or None when it
    cannot be made so for sure: a vanity number, a national number valid in none of ``regions``, text."""
    import phonenumbers

    number, ext, suffix = _split_suffix(strip_marks(value))
    if not number or _LETTERS.search(number):
        return None  # vanity numbers (1-800-FLOWERS) are kept as the person wrote them
    international = number.startswith("+")
    try:
        if international:
            candidates = [phonenumbers.parse(number, None)]
        else:
            candidates = [phonenumbers.parse(number, r) for r in regions]
    except phonenumbers.NumberParseException:
        return None
    for num in candidates:
        ok = phonenumbers.is_possible_number(num) if international else phonenumbers.is_valid_number(num)
        if ok:
            out = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
            ext = ext or (num.extension or "")
            return out + (f";ext={ext}" if ext else "") + suffix
    return None


def regions_for(countries: Iterable[str | None], numbers: Iterable[str],
                fallbacks: Iterable[str]) -> tuple[str, ...]:
    """The regions to read a contact's national numbers in, surest first: the countries of its addresses,
    the regions of its international numbers, then ``fallbacks`` (the owner's setting, the locale)."""
    out: list[str] = []
    for region in [*(region_of_country(c) for c in countries),
                   *(region_of_number(n.strip()) for n in numbers), *fallbacks]:
        if region and region not in out:
            out.append(region)
    return tuple(out)


def locale_region(environ: Mapping[str, str]) -> str | None:
    """The region of the user's locale (``LC_ALL``, ``LC_CTYPE``, ``LANG``: ``de_DE.UTF-8`` → ``DE``)."""
    for key in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = environ.get(key) or ""
        m = re.match(r"^[a-z]{2,3}_([A-Z]{2})\b", value)
        if m:
            return m.group(1)
        if value:
            return None  # C, POSIX, C.UTF-8: the first one set decides, and says nothing
    return None
