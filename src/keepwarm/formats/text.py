"""Opening files as text: encodings (UTF-8 with or without a BOM, cp1252), binary detection, line numbers."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from keepwarm.errors import FormatError

Source = str | Path | BinaryIO


def source_name(src: Source) -> str:
    """A name for messages: the path, or the file object's name."""
    if isinstance(src, str | Path):
        return str(src)
    return str(getattr(src, "name", "<input>"))


def read_bytes(src: Source) -> bytes:
    """All bytes of a path or binary file object; unreadable files become a FormatError."""
    try:
        if isinstance(src, str | Path):
            return Path(src).read_bytes()
        data = src.read()
    except OSError as exc:
        raise FormatError(f"cannot read the file: {exc.strerror or exc}", file=source_name(src)) from None
    if isinstance(data, str):
        return data.encode("utf-8")
    return data


def utf16(head: bytes) -> str | None:
    """The UTF-16 codec a file's first bytes are in, with or without a BOM (Outlook and some phones write
    it without one: every other byte of ASCII text is then NUL), else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:2048]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes, name: str, *, fallback: str | None = "cp1252") -> str:
    """Decode UTF-8 (dropping a BOM), else ``fallback``; binary data (NUL bytes) is refused with its line."""
    nul = data.find(b"\x00")
    if nul >= 0 or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = utf16(data)
        if codec:  # UTF-16, as some Outlook versions and phones write
            try:
                return data.decode(codec).lstrip("\ufeff")
            except UnicodeDecodeError:
                pass
        raise FormatError("binary data, not a text file", file=name, line=data.count(b"\n", 0, nul) + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if fallback is None:
            line = data.count(b"\n", 0, exc.start) + 1
            raise FormatError("not valid UTF-8 text", file=name, line=line) from None
        try:
            return data.decode(fallback)
        except UnicodeDecodeError:
            line = data.count(b"\n", 0, exc.start) + 1
            raise FormatError(f"neither UTF-8 nor {fallback} text", file=name, line=line) from None


def _sniff_encoding(path: Path, name: str, fallback: str | None) -> str:
    """Pick an encoding by streaming through the file once (so big files are never held in memory)."""
    import codecs

    with path.open("rb") as fh:
        codec = utf16(fh.read(2048))
        if codec:
            return codec
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        line = 1
        while chunk := fh.read(1 << 20):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                raise FormatError("binary data, not a text file", file=name,
                                  line=line + chunk.count(b"\n", 0, nul))
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                if fallback is None:
                    raise FormatError("not valid UTF-8 text", file=name,
                                      line=line + chunk.count(b"\n", 0, exc.start)) from None
                return _check_fallback(path, name, fallback)
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FormatError("truncated UTF-8 text at the end", file=name, line=line) from None
    return "utf-8-sig"


def _check_fallback(path: Path, name: str, fallback: str) -> str:
    with path.open("rb") as fh:
        for no, raw in enumerate(fh, 1):
            try:
                raw.decode(fallback)
            except UnicodeDecodeError:
                raise FormatError(f"neither UTF-8 nor {fallback} text", file=name, line=no) from None
    return fallback


def open_text(src: Source, *, fallback: str | None = "cp1252") -> tuple[io.TextIOBase, str]:
    """A text stream over ``src`` in its detected encoding, and the name to use in messages.

    Paths are streamed (a 300,000-row export is never held in memory); file objects are read whole.
    """
    name = source_name(src)
    if isinstance(src, str | Path):
        path = Path(src)
        try:
            encoding = _sniff_encoding(path, name, fallback)
            return path.open("r", encoding=encoding, newline=""), name
        except OSError as exc:
            raise FormatError(f"cannot read the file: {exc.strerror or exc}", file=name) from None
    return io.StringIO(decode(read_bytes(src), name, fallback=fallback), newline=""), name
