"""Reading what ``keepwarm library add`` is given: a web address or a file, as HTML or plain text.

Uses the standard library's urllib (one GET, a timeout, a size cap). Whatever goes wrong becomes one clear
InvalidInputError naming the address or file, so nothing half-read is ever stored.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from keepwarm import __version__
from keepwarm.errors import InvalidInputError

MAX_BYTES = 5_000_000
TIMEOUT = 15.0
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass
class Source:
    """A fetched or read page: its decoded content and whether it is HTML."""

    content: str
    is_html: bool
    url: str | None
    label: str  # the address or file name, for messages


def is_url(value: str) -> bool:
    """Whether a library source is a web address rather than a file."""
    return value.lower().startswith(("http://", "https://"))


def load(value: str) -> Source:
    """Fetch a URL or read a file."""
    return fetch(value) if is_url(value) else read_file(Path(value))


def fetch(url: str) -> Source:
    """GET a web page; HTTP errors, timeouts and non-text answers are one-line errors."""
    req = urllib.request.Request(url, headers={"User-Agent": f"keepwarm/{__version__}",
                                               "Accept": "text/html,application/xhtml+xml,text/plain"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:  # noqa: S310 (http(s) checked above)
            ctype = resp.headers.get_content_type()
            charset = resp.headers.get_content_charset() or "utf-8"
            data = resp.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise InvalidInputError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise InvalidInputError(f"{url}: could not fetch it ({exc.reason})") from None
    except (TimeoutError, OSError, ValueError) as exc:
        raise InvalidInputError(f"{url}: could not fetch it ({exc})") from None
    if ctype not in _TEXT_TYPES:
        raise InvalidInputError(f"{url}: not a web page or text (content type {ctype})")
    return Source(_decode(data, url, charset), ctype != "text/plain", url, url)


def read_file(path: Path) -> Source:
    """Read an HTML or plain-text file; a binary file is an error."""
    try:
        data = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    text = _decode(data, str(path), "utf-8")
    head = text[:2048].lstrip().lower()
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml") or head.startswith(("<!doctype", "<html"))
    return Source(text, is_html, None, str(path))


def _decode(data: bytes, label: str, charset: str) -> str:
    if len(data) > MAX_BYTES:
        raise InvalidInputError(f"{label}: larger than {MAX_BYTES // 1_000_000} MB")
    if b"\x00" in data[:8192]:
        raise InvalidInputError(f"{label}: a binary file, not HTML or text")
    try:
        return data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInputError(f"{label}: a binary file, not HTML or text") from None
