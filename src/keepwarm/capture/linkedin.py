"""LinkedIn's "Get a copy of your data" archive, as the .zip or its unpacked folder: messages,
invitations, endorsements and recommendations as capture records. Connections.csv is not read here: the
contacts importer already knows it, and ``keepwarm capture`` hands it over.

Files may start with a byte-order mark and columns move between export versions, so every file is read by
column name. Message content and recommendation text are never kept.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import partial
from pathlib import Path

from keepwarm.capture import LINKEDIN, Contact, Party
from keepwarm.capture.rules import linkedin_slug
from keepwarm.errors import FormatError

CONNECTIONS = "connections.csv"
FILES = ("messages.csv", "invitations.csv", "endorsement_given_info.csv", "endorsement_received_info.csv",
         "recommendations_given.csv", "recommendations_received.csv")
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p",
                "%Y-%m-%d", "%m/%d/%y", "%m/%d/%Y", "%d %b %Y")
GONE = frozenset({"REJECTED", "DELETED", "WITHDRAWN"})  # statuses that mean it did not happen


class Archive:
    """The archive's files by lower-cased base name, from a folder or a zip."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.members: dict[str, Callable[[], bytes]] = {}
        self.real: dict[str, str] = {}  # lower-cased base name -> the name in the archive, for messages
        if self.path.is_dir():
            for f in sorted(self.path.rglob("*.csv")):
                self.members.setdefault(f.name.lower(), f.read_bytes)
                self.real.setdefault(f.name.lower(), str(f.relative_to(self.path)))
        else:
            try:
                zf = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise FormatError(f"not a readable zip archive ({exc})", file=str(path)) from None
            for info in zf.infolist():
                base = info.filename.rsplit("/", 1)[-1].lower()
                if base.endswith(".csv"):
                    self.members.setdefault(base, partial(zf.read, info.filename))
                    self.real.setdefault(base, info.filename)
        if not any(name in self.members for name in (*FILES, CONNECTIONS)):
            raise FormatError("not a LinkedIn archive: no messages.csv, Invitations.csv, Endorsement_*, "
                              "Recommendations_* or Connections.csv in it", file=str(path))

    def name(self, member: str) -> str:
        real = self.real.get(member, member)
        return f"{self.path}/{real}" if self.path.is_dir() else f"{self.path}!{real}"

    def read(self, member: str) -> bytes | None:
        loader = self.members.get(member)
        try:
            return loader() if loader else None
        # a damaged, truncated, encrypted or oddly compressed member, or a file gone
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise FormatError(f"cannot read this file of the archive ({exc})",
                              file=self.name(member)) from None


def is_archive(path: str | Path) -> bool:
    """A folder or zip holding any of the archive's known files."""
    p = Path(path)
    if p.is_dir():
        return any(f.name.lower() in (*FILES, CONNECTIONS) for f in p.rglob("*.csv"))
    if zipfile.is_zipfile(p):
        with zipfile.ZipFile(p) as zf:
            return any(n.rsplit("/", 1)[-1].lower() in (*FILES, CONNECTIONS) for n in zf.namelist())
    return False


def rows(data: bytes, name: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row by lower-cased column name) of a CSV that may start with a BOM or a notes preamble."""
    text = data.decode("utf-8-sig", "replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    want = [r.lower() for r in required]
    try:
        for cells in reader:
            if header is None:
                names = [c.strip().lstrip("\ufeff").lower() for c in cells]
                if all(w in names for w in want):
                    header = names
                elif reader.line_num > 20:
                    break
                continue
            if "".join(cells).strip():
                yield reader.line_num, dict(zip(header, (c.strip() for c in cells), strict=False))
    except csv.Error as exc:
        raise FormatError(f"broken CSV: {exc}", file=name, line=reader.line_num) from None
    if header is None:
        missing = ", ".join(required)
        raise FormatError(f"no header with the columns {missing}", file=name, line=1)


def parse_day(text: str, name: str, line: int, field: str) -> date:
    """LinkedIn's dates: ``2023-05-01 14:22:10 UTC``, ``2023/05/01 …``, ``04/15/24, 09:25 PM``."""
    clean = text.strip().removesuffix(" UTC").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(clean, fmt).date()
        except ValueError:
            continue
    raise FormatError(f"not a date: {text!r}", file=name, line=line, field=field)


def _person(name: str | None, url: str | None = None, company: str | None = None) -> Party:
    return Party(slug=linkedin_slug(url), name=(name or "").strip() or None, company=company or None)


def read_archive(path: str | Path) -> Iterator[Contact]:
    """Every message, invitation, endorsement and recommendation of the archive."""
    arc = Archive(path)
    for member, reader in (("messages.csv", _messages), ("invitations.csv", _invitations),
                           ("endorsement_given_info.csv", _endorsements_given),
                           ("endorsement_received_info.csv", _endorsements_received),
                           ("recommendations_given.csv", _recommendations("me")),
                           ("recommendations_received.csv", _recommendations("them"))):
        data = arc.read(member)
        if data is not None:
            yield from reader(data, arc.name(member))


def _messages(data: bytes, name: str) -> Iterator[Contact]:
    for line, r in rows(data, name, ("CONVERSATION ID", "FROM", "SENDER PROFILE URL", "DATE")):
        on = parse_day(r["date"], name, line, "DATE")
        urls = [u.strip() for u in (r.get("recipient profile urls") or "").split(",") if u.strip()]
        names = [n.strip() for n in (r.get("to") or "").split(",")]
        others = tuple(_person(names[i] if len(names) == len(urls) else None, u) for i, u in enumerate(urls))
        draft = (r.get("is message draft") or "").strip().lower() in ("true", "yes", "1")
        yield Contact(source=LINKEDIN, key=f"message|{r['conversation id']}|{r['date']}", on=on,
                      kind="message", sender=_person(r.get("from"), r.get("sender profile url")),
                      others=others, subject=r.get("subject") or None, flags=("draft",) if draft else (),
                      where=f"{name}:{line}")


def _invitations(data: bytes, name: str) -> Iterator[Contact]:
    for line, r in rows(data, name, ("From", "To", "Sent At", "Direction")):
        on = parse_day(r["sent at"], name, line, "Sent At")
        inviter = _person(r.get("from"), r.get("inviterprofileurl"))
        invitee = _person(r.get("to"), r.get("inviteeprofileurl"))
        mine = r["direction"].strip().upper() == "OUTGOING"
        other = invitee if mine else inviter
        yield Contact(source=LINKEDIN, key=f"invitation|{other.key}|{r['sent at']}", on=on,
                      kind="invitation", sender=None if mine else inviter,
                      others=(invitee,) if mine else (), direction="me" if mine else "them",
                      where=f"{name}:{line}")


def _endorsement(data: bytes, name: str, who: str, direction: str) -> Iterator[Contact]:
    cols = (f"{who} First Name", f"{who} Last Name", f"{who} Public Url")
    for line, r in rows(data, name, ("Endorsement Date", "Skill Name", *cols)):
        on = parse_day(r["endorsement date"], name, line, "Endorsement Date")
        other = _person(f"{r[cols[0].lower()]} {r[cols[1].lower()]}", r[cols[2].lower()])
        status = (r.get("endorsement status") or "").upper()
        yield Contact(source=LINKEDIN, key=f"endorsement|{direction}|{other.key}|{r['skill name']}|"
                      f"{r['endorsement date']}", on=on, kind="endorsement",
                      sender=other if direction == "them" else None,
                      others=(other,) if direction == "me" else (), direction=direction,
                      flags=(f"status: {status.lower()}",) if status in GONE else (), where=f"{name}:{line}")


def _endorsements_given(data: bytes, name: str) -> Iterator[Contact]:
    return _endorsement(data, name, "Endorsee", "me")


def _endorsements_received(data: bytes, name: str) -> Iterator[Contact]:
    return _endorsement(data, name, "Endorser", "them")


def _recommendations(direction: str) -> Callable[[bytes, str], Iterator[Contact]]:
    def read(data: bytes, name: str) -> Iterator[Contact]:
        for line, r in rows(data, name, ("First Name", "Last Name", "Creation Date")):
            on = parse_day(r["creation date"], name, line, "Creation Date")
            other = _person(f"{r['first name']} {r['last name']}", None, r.get("company"))
            status = (r.get("status") or "").upper()
            yield Contact(source=LINKEDIN, key=f"recommendation|{direction}|{other.key}|{r['creation date']}",
                          on=on, kind="recommendation", sender=other if direction == "them" else None,
                          others=(other,) if direction == "me" else (), direction=direction,
                          flags=(f"status: {status.lower()}",) if status in GONE else (),
                          where=f"{name}:{line}")
    return read


def connections(path: str | Path) -> tuple[str, bytes] | None:
    """The archive's Connections.csv (its name for messages, its bytes), for the contacts importer."""
    arc = Archive(path)
    data = arc.read(CONNECTIONS)
    return (arc.name(CONNECTIONS), data) if data is not None else None
