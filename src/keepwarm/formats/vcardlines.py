"""vCard content-line syntax (RFC 2425/2426/6350 and 2.1): unfolding, parameters, escapes, folding.

vobject splits a 4.0 ``TITLE`` at its commas, drops ``PHOTO:data:`` URIs after the first ``;`` and fails on
2.1 quoted-printable soft line breaks, so cards are cut into content lines here; tests parse our output with
vobject as an independent check.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from keepwarm.errors import FormatError

_NAME = re.compile(r"^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)$")


@dataclass
class ContentLine:
    """One property: ``group.NAME;PARAM=a,b:value`` with the line it started on."""

    name: str
    value: str
    params: dict[str, list[str]] = field(default_factory=dict)
    group: str | None = None
    line: int = 0
    raw: str = ""

    def param(self, key: str) -> list[str]:
        """A parameter's values, upper-cased key."""
        return self.params.get(key.upper(), [])

    @property
    def types(self) -> list[str]:
        return [t.lower() for t in self.param("TYPE")]


@dataclass
class Card:
    """The content lines of one card, and the line its BEGIN was on."""

    line: int
    lines: list[ContentLine]


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfold (CRLF + space/tab) and join 2.1 quoted-printable soft breaks; yield (first line no, text)."""
    current: str | None = None
    start = 0
    physical = text.splitlines()
    for no, line in enumerate(physical, 1):
        if current is not None and line[:1] in (" ", "\t"):
            current += line[1:]
            continue
        if (current is not None and current.endswith("=")
                and "QUOTED-PRINTABLE" in current.split(":", 1)[0].upper()):
            current = current[:-1] + "=\n" + line  # keep the soft break for the QP decoder
            continue
        if current is not None:
            yield start, current
        current, start = line, no
    if current is not None:
        yield start, current


def _split(text: str) -> tuple[str, str]:
    """Split ``name;params`` from the value at the first colon outside double quotes."""
    quoted = False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return text[:i], text[i + 1:]
    raise ValueError("no colon")


def parse_line(text: str, line: int, file: str) -> ContentLine:
    """One unfolded content line; a line that is not ``NAME...:value`` is a FormatError."""
    try:
        head, value = _split(text)
    except ValueError:
        raise FormatError(f"not a vCard line: {text[:40]!r}", file=file, line=line) from None
    parts = _split_unquoted(head, ";")
    m = _NAME.match(parts[0].strip())
    if not m:
        raise FormatError(f"not a vCard property name: {parts[0][:40]!r}", file=file, line=line)
    params: dict[str, list[str]] = {}
    for p in parts[1:]:
        key, eq, vals = p.partition("=")
        if not eq:  # vCard 2.1 bare parameters: ``TEL;CELL``, ``;QUOTED-PRINTABLE``
            key, vals = ("ENCODING" if key.upper() in ("QUOTED-PRINTABLE", "BASE64", "B") else "TYPE"), key
        params.setdefault(key.strip().upper(), []).extend(
            v.strip().strip('"') for v in _split_unquoted(vals, ",") if v.strip())
    cl = ContentLine(m.group(2).upper(), value, params, m.group(1), line, text)
    if "QUOTED-PRINTABLE" in [e.upper() for e in cl.param("ENCODING")]:
        charset = (cl.param("CHARSET") or ["utf-8"])[0]
        try:
            cl.value = quopri.decodestring(value.replace("=\n", "=\r\n").encode("latin-1", "replace")).decode(
                charset, "replace")
        except LookupError:
            raise FormatError(f"unknown charset {charset!r}", file=file, line=line) from None
    return cl


def _split_unquoted(text: str, sep: str) -> list[str]:
    out: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            out.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    out.append("".join(buf))
    return out


def cards(text: str, file: str) -> Iterator[Card]:
    """The cards of a file; text outside cards, a card without END or a card inside a card is an error."""
    card: Card | None = None
    for no, raw in _logical_lines(text):
        if not raw.strip():
            continue
        upper = raw.strip().upper()
        if upper == "BEGIN:VCARD":
            if card is not None:
                raise FormatError(f"card starting on line {card.line} has no END:VCARD", file=file, line=no)
            card = Card(no, [])
        elif upper == "END:VCARD":
            if card is None:
                raise FormatError("END:VCARD without BEGIN:VCARD", file=file, line=no)
            yield card
            card = None
        elif card is None:
            raise FormatError("not a vCard: text outside BEGIN:VCARD … END:VCARD", file=file, line=no)
        else:
            card.lines.append(parse_line(raw, no, file))
    if card is not None:
        raise FormatError(f"card starting on line {card.line} has no END:VCARD (truncated file?)", file=file,
                          line=card.line)


def unescape(value: str) -> str:
    """Undo vCard text escapes: ``\\n``, ``\\,``, ``\\;``, ``\\\\``."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def split_escaped(value: str, sep: str) -> list[str]:
    """Split at separators that are not escaped, then unescape each part."""
    parts = re.split(r"(?<!\\)" + re.escape(sep), value) if value else [""]
    # an escaped backslash before a separator: rare enough to accept the simple rule
    return [unescape(p) for p in parts]


def escape(value: str, *, comma: bool = True) -> str:
    """Escape text for a vCard value."""
    out = value.replace("\\", "\\\\").replace("\r\n", "\n").replace("\n", "\\n").replace(";", "\\;")
    return out.replace(",", "\\,") if comma else out


def fold(line: str) -> str:
    """Fold a content line at 75 octets (never inside a UTF-8 character), CRLF-terminated."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    chunks, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        chunks.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(chunks) + "\r\n"
