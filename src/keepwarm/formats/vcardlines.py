"""vCard content-line syntax (RFC 2425/2426/6350 and 2.1): unfolding, parameters, escapes, folding.

vobject splits a 4.0 ``TITLE`` at its commas, drops ``PHOTO:data:`` URIs after the first ``;`` and fails on
2.1 quoted-printable soft line breaks, so cards are cut into content lines here; tests parse our output with
vobject as an independent check.
"""

from __future__ import annotations

import codecs
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from keepwarm.errors import FormatError

# ``X-messaging/twitter-All`` (Android), ``X-GOOGLE_TALK``: any run of non-separators is a property name
_NAME = re.compile(r'^(?:([^\s;:.,"=]+)\.)?([^\s;:.,"=]+)$')
_BREAK = re.compile(r"\r*\n|\r")  # "\r\r\n" (a CRLF file passed through a CRLF-adding tool) is one break


def _fallback_latin1(exc: UnicodeError) -> tuple[str, int]:
    """cp1252 leaves five bytes undefined; they are read as Latin-1 rather than replaced by U+FFFD."""
    data = exc.object[exc.start:exc.end]  # type: ignore[attr-defined]
    return bytes(data).decode("latin-1"), exc.end  # type: ignore[attr-defined]


codecs.register_error("keepwarm-latin1", _fallback_latin1)


def decode_value(data: bytes, charset: str | None = None) -> str:
    """A value's bytes as text: in its declared CHARSET (Shift_JIS, ISO-8859-x…) when that fits, else
    UTF-8, else Windows-1252 (what a vCard 2.1 without a charset means in practice), never U+FFFD."""
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "keepwarm-latin1")


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


def _is_property(line: str) -> bool:
    """Whether a physical line starts a property (``NAME…:``), not a value running on from the line before
    (2.1 writers put raw line breaks in notes)."""
    head = line.split(":", 1)[0] if ":" in line else None
    if head is None:
        return False
    name = head.split(";", 1)[0].strip()
    return bool(_NAME.match(name))


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfold (CRLF + space/tab), join 2.1 quoted-printable soft breaks and values running over raw line
    breaks, drop ``#`` comment lines; yield (first line number, text)."""
    current: str | None = None
    start = 0
    for no, line in enumerate(_BREAK.split(text), 1):
        if (current is not None and current.endswith("=")
                and "QUOTED-PRINTABLE" in current.split(":", 1)[0].upper()):
            current = current[:-1] + "=\n" + line  # a soft break (a space after it is text): for the decoder
            continue
        if current is not None and line[:1] in (" ", "\t"):
            current += line[1:]
            continue
        if line.startswith("#"):
            continue  # comments, as some exporters and hand-edited files have
        if (current is not None and line.strip() and not _is_property(line)
                and current.split(":", 1)[0].strip().upper() not in ("BEGIN", "END")):
            current += "\n" + line
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
        elif ch == "\n":
            break
    raise ValueError("no colon")


def parse_line(text: str, line: int, file: str, *, raw_bytes: bool = False) -> ContentLine:
    """One unfolded content line; a line that is not ``NAME...:value`` is a FormatError.

    With ``raw_bytes`` the text holds the file's bytes one character each (Latin-1): the value is decoded
    here in its own CHARSET, as 2.1 cards declare one per property.
    """
    try:
        head, value = _split(text)
    except ValueError:
        raise FormatError(f"not a vCard line: {text[:40]!r}", file=file, line=line) from None
    if raw_bytes:
        head = decode_value(head.encode("latin-1"))
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
    qp = "QUOTED-PRINTABLE" in [e.upper() for e in params.get("ENCODING", [])]
    charset = next(iter(params.get("CHARSET") or []), None)
    rebuild = qp or bool(charset) or "\n" in value
    if qp:
        data = value.encode("latin-1" if raw_bytes else "utf-8", "replace")
        data = quopri.decodestring(data.replace(b"=\r\n", b"=\n"))
        value = decode_value(data, charset).replace("\r\n", "\n").replace("\r", "\n")
    elif raw_bytes:
        value = decode_value(value.encode("latin-1"), charset)
    name, group = m.group(2).upper(), m.group(1)
    if rebuild:  # as a 3.0 line: no QP, no charset, escaped line breaks (what an export may carry)
        kept = [f"{k}={','.join(v)}" for k, v in params.items()
                if k != "CHARSET" and not (k == "ENCODING" and qp)]
        raw = (f"{group}." if group else "") + ";".join([m.group(2), *kept]) + ":" + value.replace(
            "\n", "\\n")
    else:
        raw = decode_value(text.encode("latin-1")) if raw_bytes else text
    return ContentLine(name, value, params, group, line, raw)


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


def cards(text: str, file: str, *, raw_bytes: bool = False) -> Iterator[Card]:
    """The cards of a file; text outside cards or a card without END is an error. A card nested in an
    AGENT property (vCard 2.1 writes it on the lines after ``AGENT:``) becomes that property's value."""
    card: Card | None = None
    nested: list[str] | None = None  # the lines of an AGENT's card, while inside it
    for no, raw in _logical_lines(text):
        if not raw.strip():
            continue
        upper = raw.strip().upper()
        if nested is not None:
            nested.append(raw)
            if upper == "END:VCARD" and sum(x.strip().upper() == "BEGIN:VCARD" for x in nested) == sum(
                    x.strip().upper() == "END:VCARD" for x in nested):
                agent = card.lines.pop()  # type: ignore[union-attr]
                value = "\\n".join(x.replace("\\", "\\\\") for x in nested)
                card.lines.append(parse_line(f"{agent.raw.rstrip(':')}:{value}", agent.line, file,  # type: ignore[union-attr]
                                             raw_bytes=raw_bytes))
                nested = None
            continue
        if upper == "BEGIN:VCARD":
            if card is not None and card.lines and card.lines[-1].name == "AGENT" \
                    and not card.lines[-1].value.strip():
                nested = [raw]
                continue
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
            try:
                card.lines.append(parse_line(raw, no, file, raw_bytes=raw_bytes))
            except FormatError:
                if not card.lines:
                    raise
                card.lines[-1].value += "\n" + raw  # a stray line: the value before it runs on
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
