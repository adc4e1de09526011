"""The little WebDAV keepwarm needs for CalDAV and CardDAV, over httpx.

Finding the collections under a URL, listing what changed (RFC 6578 ``sync-collection`` where the server
offers it, else every ETag), fetching many objects in one ``multiget``, and writing one with ``If-Match``
so a card changed on the phone in between is never overwritten (412).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree as ET

import httpx

from keepwarm.sync.errors import SyncError, refused, unreachable

D, CARD, CAL = "DAV:", "urn:ietf:params:xml:ns:carddav", "urn:ietf:params:xml:ns:caldav"
NS = {"d": D, "card": CARD, "cal": CAL}
XML = {"Content-Type": "application/xml; charset=utf-8"}


@dataclass
class Changes:
    """What changed in a collection since a sync token: (href, etag) changed, hrefs gone, the new token.
    ``complete`` is True when the listing is the whole collection (a first sync or a lost token)."""

    changed: list[tuple[str, str]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    token: str | None = None
    complete: bool = False


def _tag(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


class Dav:
    """One server account: every request goes through :meth:`request`, which turns failures into one line."""

    def __init__(self, name: str, url: str, user: str, password: str, timeout: float = 30.0) -> None:
        self.name, self.url = name, url if url.endswith("/") else url + "/"
        self.client = httpx.Client(auth=(user, password), timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Dav:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def absolute(self, href: str) -> str:
        return urljoin(self.url, href)

    def request(self, method: str, url: str, body: str | bytes | None = None,
                headers: dict[str, str] | None = None, ok: tuple[int, ...] = ()) -> httpx.Response:
        try:
            r = self.client.request(method, self.absolute(url), content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise unreachable(self.name, urlsplit(self.url).netloc, exc) from None
        if r.status_code == 401:
            raise refused(self.name)
        if r.status_code >= 400 and r.status_code not in ok:
            raise SyncError(f"source {self.name!r}: {method} {unquote(urlsplit(r.url.path).path)} answered "
                            f"{r.status_code} {r.reason_phrase}; nothing was stored")
        return r

    def _multistatus(self, r: httpx.Response) -> list[ET.Element]:
        try:
            root = ET.fromstring(r.content)
        except ET.ParseError as exc:
            raise SyncError(f"source {self.name!r}: the server's answer is not XML ({exc})") from None
        return root.findall("d:response", NS)

    def propfind(self, url: str, props: str, depth: str = "1") -> list[tuple[str, ET.Element, int]]:
        """(href, prop element, status) for the URL and its members."""
        body = f'<?xml version="1.0"?><d:propfind {_xmlns()}><d:prop>{props}</d:prop></d:propfind>'
        r = self.request("PROPFIND", url, body, {**XML, "Depth": depth})
        out = []
        for resp in self._multistatus(r):
            href = resp.findtext("d:href", "", NS)
            for ps in resp.findall("d:propstat", NS):
                status = _status(ps.findtext("d:status", "", NS))
                prop = ps.find("d:prop", NS)
                if prop is not None and status == 200:
                    out.append((href, prop, status))
        return out

    def collections(self, kind: str) -> list[str]:
        """The address books (``card``) or calendars (``cal``) at or right under the source's URL."""
        marker = _tag(CARD, "addressbook") if kind == "card" else _tag(CAL, "calendar")
        found = []
        for href, prop, _ in self.propfind(self.url, "<d:resourcetype/>"):
            rt = prop.find("d:resourcetype", NS)
            if rt is not None and rt.find(marker) is not None:
                found.append(self.absolute(href))
        if not found:
            raise SyncError(f"source {self.name!r}: no {'address book' if kind == 'card' else 'calendar'} "
                            f"at {self.url}", hint="give the collection's URL or its parent's")
        here = [u for u in found if u.rstrip("/") == self.url.rstrip("/")]
        return here or sorted(found)

    def changes(self, collection: str, token: str | None) -> Changes:
        """What changed since ``token``: sync-collection, else (or when the token is lost) every ETag."""
        body = (f'<?xml version="1.0"?><d:sync-collection {_xmlns()}><d:sync-token>{_esc(token or "")}'
                f'</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop>'
                f'</d:sync-collection>')
        r = self.request("REPORT", collection, body, XML, ok=(400, 403, 404, 409, 412, 415, 501))
        if r.status_code >= 400:
            if token:  # an expired token: start over from the whole listing
                return self.changes(collection, None) if r.status_code in (403, 409, 412) else \
                    self._all_etags(collection)
            return self._all_etags(collection)
        out = Changes(complete=not token)
        root = ET.fromstring(r.content)
        out.token = root.findtext("d:sync-token", None, NS)
        base = collection.rstrip("/")
        for resp in root.findall("d:response", NS):
            href = resp.findtext("d:href", "", NS)
            if self.absolute(href).rstrip("/") == base:
                continue
            if _status(resp.findtext("d:status", "", NS)) == 404:
                out.deleted.append(href)
                continue
            etag = resp.findtext("d:propstat/d:prop/d:getetag", "", NS)
            if etag:
                out.changed.append((href, etag))
        return out

    def _all_etags(self, collection: str) -> Changes:
        base = collection.rstrip("/")
        found = [(href, prop.findtext("d:getetag", "", NS))
                 for href, prop, _ in self.propfind(collection, "<d:getetag/><d:resourcetype/>")
                 if self.absolute(href).rstrip("/") != base]
        return Changes(changed=[(h, e) for h, e in found if e], complete=True)

    def multiget(self, collection: str, hrefs: list[str], kind: str) -> dict[str, tuple[str, str]]:
        """href -> (etag, text) for many objects, in batches."""
        ns, report, data = (("card", "addressbook-multiget", "address-data") if kind == "card"
                            else ("cal", "calendar-multiget", "calendar-data"))
        out: dict[str, tuple[str, str]] = {}
        for start in range(0, len(hrefs), 500):
            refs = "".join(f"<d:href>{_esc(h)}</d:href>" for h in hrefs[start:start + 500])
            body = (f'<?xml version="1.0"?><{ns}:{report} {_xmlns()}><d:prop><d:getetag/><{ns}:{data}/>'
                    f'</d:prop>{refs}</{ns}:{report}>')
            r = self.request("REPORT", collection, body, {**XML, "Depth": "1"})
            for resp in self._multistatus(r):
                href = resp.findtext("d:href", "", NS)
                prop = resp.find("d:propstat/d:prop", NS)
                if prop is None:
                    continue
                text = prop.findtext(f"{ns}:{data}", None, NS)
                if text is not None:
                    out[href] = (prop.findtext("d:getetag", "", NS), text)
        return out

    def put(self, href: str, text: str, etag: str | None) -> str | None:
        """Write one object: over ``etag`` only (412 when it changed), or new only when ``etag`` is None.
        The new ETag, when the server says it."""
        cond = {"If-Match": etag} if etag else {"If-None-Match": "*"}
        r = self.request("PUT", href, text.encode(), {"Content-Type": "text/vcard; charset=utf-8", **cond},
                         ok=(412,))
        if r.status_code == 412:
            raise SyncError(f"source {self.name!r}: {unquote(href)} changed on the server during the sync "
                            f"(412); nothing was stored", hint="run `keepwarm sync` again")
        return r.headers.get("ETag")


def _status(line: str) -> int:
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xmlns() -> str:
    return f'xmlns:d="{D}" xmlns:card="{CARD}" xmlns:cal="{CAL}"'
