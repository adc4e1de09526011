"""One conditional GET of a feed, with a time limit on the whole answer and a cap on its size.

Everything that can go wrong (a server down, slow or answering an error, a page too large) becomes a short
reason string, never an exception: one feed's trouble must not stop a sync of the others.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from keepwarm import __version__

MAX_BYTES = 5_000_000  # a feed larger than this is not read (a 20 MB HTML page is not a feed)
TIMEOUT = 10.0  # seconds for the whole answer, however slowly the server trickles it
_CHUNK = 65536


@dataclass
class Fetched:
    """A feed's answer: its body (None when not modified or on error), its new validators, or why not."""

    body: bytes | None = None
    etag: str | None = None
    modified: str | None = None
    not_modified: bool = False
    error: str | None = None
    content_type: str | None = None


def get(url: str, etag: str | None = None, modified: str | None = None,
        timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET ``url`` with If-None-Match / If-Modified-Since; a 304 is :attr:`Fetched.not_modified`."""
    headers = {"User-Agent": f"keepwarm/{__version__}",
               "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    deadline = time.monotonic() + timeout
    try:
        req = urllib.request.Request(url, headers=headers)
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (http(s) checked on add)
            chunks, size = [], 0
            while True:
                chunk = resp.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    return Fetched(error=f"larger than {max_bytes // 1_000_000} MB: not read")
                if time.monotonic() > deadline:
                    return Fetched(error=f"too slow: no full answer within {timeout:g} s")
                chunks.append(chunk)
            return Fetched(b"".join(chunks), resp.headers.get("ETag"), resp.headers.get("Last-Modified"),
                           content_type=resp.headers.get_content_type())
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(etag=etag, modified=modified, not_modified=True)
        return Fetched(error=f"the server answered HTTP {exc.code} {exc.reason}")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return Fetched(error=f"timed out after {timeout:g} s")
        return Fetched(error=f"could not reach it ({reason})")
    except TimeoutError:
        return Fetched(error=f"timed out after {timeout:g} s")
    except (OSError, ValueError) as exc:
        return Fetched(error=f"could not fetch it ({exc})")
