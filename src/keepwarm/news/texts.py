"""Turning what enters keepwarm into plain text for matching: a feed item's HTML, a page, a pasted text.

Paragraph breaks are kept (a mention needs its context in the same paragraph); everything else about the
markup is dropped. The text is only read, never stored.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date

from keepwarm import fetch
from keepwarm.errors import InvalidInputError

_BLOCK = re.compile(r"<\s*(?:br|/p|p|/div|/li|/h[1-6]|/blockquote|/tr)\b[^>]*>", re.I)
_DROP = re.compile(r"<\s*(script|style)\b.*?<\s*/\s*\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")


def html_to_text(markup: str) -> str:
    """Plain text from an HTML fragment, one paragraph per block."""
    text = _BLOCK.sub("\n\n", _DROP.sub(" ", markup))
    return html.unescape(_TAG.sub(" ", text))


@dataclass
class Article:
    """A text to read for mentions: its title, link, date and body (the body is never stored)."""

    title: str
    text: str
    link: str | None = None
    published: date | None = None
    source: str | None = None


def from_source(src: fetch.Source) -> Article:
    """An article from a fetched page or a read file: trafilatura for HTML, the first line as the title of
    a plain text."""
    if src.is_html:
        from keepwarm.core import library

        ex = library.extract_html(src.content, src.label)
        # trafilatura gives one paragraph per line
        return Article(ex.title or src.label, "\n\n".join(ex.text.splitlines()), src.url, ex.published,
                       _site(src.url))
    return from_text(src.content, src.label, src.url)


def from_text(content: str, label: str, link: str | None = None) -> Article:
    """A pasted text: its first line is the title; an empty text is a clear error."""
    lines = content.strip().splitlines()
    if not lines or not content.strip():
        raise InvalidInputError(f"{label}: no text found in it")
    title = lines[0].strip()[:300]
    return Article(title, "\n".join(lines[1:]) if len(lines) > 1 else title, link, None, _site(link))


def _site(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
