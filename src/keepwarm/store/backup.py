"""The JSON backup: every row of one owner's network, table by table, and its exact restore.

Tables are discovered from the models' metadata, so a table another part of keepwarm adds (the library)
is backed up without changes here. Restoring keeps row ids when they are free and renumbers otherwise,
rewriting every foreign key through the metadata.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, DateTime, Table, delete, func, insert, select, text, true

from keepwarm.errors import ConflictError, FormatError
from keepwarm.formats.jsonfmt import FORMAT, VERSION
from keepwarm.store.models import Base, PersonRow, Resource, TouchRow

if TYPE_CHECKING:
    from keepwarm.store import Store

# credentials and passing server state stay out of backups: logins, tokens, sessions, files uploaded
# between a dry run and its confirmation
SKIP = {"users", "api_tokens", "web_sessions", "uploads", "alembic_version"}
SECRET = {"sources": "secret"}  # a source's password, encrypted with a key the backup does not carry
# rows the new owner already has (created with the account) and that a backup replaces
REPLACED = ("settings", "circles", "actions", "week_counts")


def owned_tables() -> list[Table]:
    """Every table with an owner_id, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIP and "owner_id" in t.c]


def _bookkeeping(table: str, row: Any) -> bool:
    """The data version is a counter for web caches, not part of the network: never backed up or
    restored (a restore moves it on instead, so servers show the restored network)."""
    from keepwarm.store.accounts import VERSION_KEY

    return table == "settings" and row.get("key") == VERSION_KEY


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def dump(store: Store) -> dict[str, Any]:
    """The whole network as a JSON-ready backup document."""
    tables: dict[str, list[dict[str, Any]]] = {}
    conn = store.session.connection()
    for t in owned_tables():
        order = list(t.primary_key.columns)
        rows = conn.execute(select(t).where(t.c.owner_id == store.owner_id).order_by(*order)).mappings()
        left_out = {"owner_id", SECRET.get(t.name)}
        tables[t.name] = [{k: _plain(v) for k, v in r.items() if k not in left_out} for r in rows
                          if not _bookkeeping(t.name, r)]
    return {"format": FORMAT, "version": VERSION, "exported_on": store.today.isoformat(), "tables": tables}


def is_empty(store: Store) -> bool:
    """Whether the network has no people, touches or library entries yet (so a backup can restore)."""
    o = store.owner_id
    s = store.session
    return not any(s.scalar(select(func.count()).select_from(m).where(m.owner_id == o))
                   for m in (PersonRow, TouchRow, Resource))


def _value(col: Any, v: Any) -> Any:
    if v is None:
        return None
    if isinstance(col.type, DateTime):
        return datetime.fromisoformat(v)
    if isinstance(col.type, Date):
        return date.fromisoformat(v)
    return v


def restore(store: Store, tables: dict[str, list[dict[str, Any]]], file: str = "backup") -> dict[str, int]:
    """Restore a backup into this (empty) network; returns rows restored per table."""
    if not is_empty(store):
        raise ConflictError("a backup restores only into an empty network",
                            hint="use a new database (--db NEW.sqlite3), or import people from it "
                                 "with: keepwarm import json FILE --people-only")
    conn = store.session.connection()
    owner = store.owner_id
    from keepwarm.store.accounts import VERSION_KEY

    for name in reversed(REPLACED):
        t = Base.metadata.tables[name]
        kept = t.c.key != VERSION_KEY if name == "settings" else true()  # it counts on, never back
        conn.execute(delete(t).where(t.c.owner_id == owner, kept))
    maps: dict[str, dict[Any, Any]] = {}
    counts: dict[str, int] = {}
    for t in owned_tables():
        rows = [r for r in tables.get(t.name) or [] if not _bookkeeping(t.name, r)]
        if not rows:
            continue
        try:
            prepared = _prepare(t, rows, owner, maps, file)
        except (KeyError, TypeError, ValueError) as exc:
            raise FormatError(f"table {t.name!r} has a row keepwarm cannot restore ({exc})",
                              file=file) from None
        if "id" in t.c and t.c.id.primary_key:
            maps[t.name] = _insert_with_ids(store, t, prepared)
        else:
            conn.execute(insert(t), prepared)
        counts[t.name] = len(prepared)
    return counts


def _prepare(t: Table, rows: list[dict[str, Any]], owner: int, maps: dict[str, dict[Any, Any]],
             file: str) -> list[dict[str, Any]]:
    """Rows of a backup table ready to insert: typed values, this owner, foreign keys renumbered."""
    prepared = []
    columns = [c for c in t.c if c.name in rows[0] and c.name != "owner_id"]
    if "id" in t.c and t.c.id.primary_key and "id" not in rows[0]:
        raise KeyError("id")
    names = {c.name for c in columns}
    for r in rows:
        if {k for k in r if k in t.c and k != "owner_id"} != names:
            raise ValueError("rows with different columns")
        row = {c.name: _value(c, r[c.name]) for c in columns}
        row["owner_id"] = owner
        for c in t.c:
            for fk in c.foreign_keys:
                target = fk.column.table.name
                if target in maps and row.get(c.name) is not None:
                    if row[c.name] not in maps[target]:
                        raise FormatError(f"{t.name} row refers to a missing {target} row "
                                          f"{row[c.name]!r}", file=file)
                    row[c.name] = maps[target][row[c.name]]
        prepared.append(row)
    return prepared


def _insert_with_ids(store: Store, t: Table, rows: list[dict[str, Any]]) -> dict[Any, Any]:
    """Keep ids when none is taken (the usual fresh database), else let the database number them."""
    conn = store.session.connection()
    ids = [r["id"] for r in rows]
    taken = any(conn.scalar(select(func.count()).select_from(t).where(t.c.id.in_(ids[i:i + 900])))
                for i in range(0, len(ids), 900))
    if not taken:
        conn.execute(insert(t), rows)
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                              f"(SELECT max(id) FROM {t.name}))"))
        return {i: i for i in ids}
    fresh = [{k: v for k, v in r.items() if k != "id"} for r in rows]
    new_ids = conn.execute(insert(t).returning(t.c.id, sort_by_parameter_order=True), fresh).scalars().all()
    return dict(zip(ids, new_ids, strict=True))
