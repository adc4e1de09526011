"""Commands that bring people in and take them out: import, export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from keepwarm.cli.env import Env
from keepwarm.cli.options import json_option, pass_env

FORMATS = ("linkedin", "google", "outlook", "vcard", "csv", "json")
PREVIEW_ROWS = 25  # rows of each table a dry run prints; the rest is "+N more" (--json lists everyone)
MATCHED_ON = {"uid": "same uid", "email": "email", "linkedin": "LinkedIn URL", "phone": "phone",
              "name": "name"}
EXPORTS = ("vcard", "csv", "json", "ics")


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@click.command(name="import")
@click.argument("args", nargs=-1, required=True, metavar="[FORMAT] FILE...")
@click.option("--dry-run", is_flag=True,
              help="Show who would be created, merged into whom, and skipped; write nothing.")
@click.option("--tag", "tags", multiple=True, help="Tag everyone imported (repeatable).")
@click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD",
              help="For csv: which column holds which field (repeatable), e.g. \"Full Name=name\".")
@click.option("--people-only", is_flag=True,
              help="For json: merge the backup's people into this network instead of restoring it.")
@json_option
@pass_env
def import_(env: Env, args: tuple[str, ...], dry_run: bool, tags: tuple[str, ...], maps: tuple[str, ...],
            people_only: bool, as_json: bool) -> None:
    """Import contacts: linkedin, google, outlook, vcard, csv or json (detected when FORMAT is left out).

    The whole import is one transaction: all of it or nothing. Re-importing a file changes nothing, and
    your own edits survive later imports.
    """
    from keepwarm.errors import InvalidInputError

    fmt: str | None = None
    files = list(args)
    if files[0].lower() in FORMATS and not Path(files[0]).exists():
        fmt = files.pop(0).lower()
    if not files:
        raise InvalidInputError("name at least one FILE to import")
    for f in files:
        if not Path(f).is_file():
            raise InvalidInputError(f"{f}: no such file")
    report = _run_import(env, fmt, files, dry_run, tags, maps, people_only)
    if as_json:
        env.print_json(report)
    else:
        _print_report(env, report)


def _run_import(env: Env, fmt: str | None, files: list[str], dry_run: bool, tags: tuple[str, ...],
                maps: tuple[str, ...], people_only: bool) -> dict[str, Any]:
    from keepwarm import formats
    from keepwarm.formats.generic import parse_map
    from keepwarm.store.imports import Importer

    mapping = parse_map(maps) if maps else None
    chosen = [(f, fmt or formats.detect(f)) for f in files]
    result: dict[str, Any] = {}
    try:
        with env.store() as store:
            if len(chosen) == 1 and chosen[0][1] == "json" and not people_only:
                result = _restore(store, chosen[0][0])
            else:
                importer = Importer(store, tags=tags, preview=dry_run)
                for f, kind in chosen:
                    importer.add(f, kind, formats.read(kind, f, mapping, known=importer.known(kind)))
                if not dry_run:
                    importer.refresh_library()
                result = importer.report.to_dict()
            result["dry_run"] = dry_run
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _restore(store: Any, file: str) -> dict[str, Any]:
    from keepwarm.formats.jsonfmt import load_backup
    from keepwarm.store.backup import restore

    counts = restore(store, load_backup(file), file)
    return {"restored": counts, "created": counts.get("people", 0), "merged": 0, "unchanged": 0,
            "skipped": [], "files": [file]}


def _print_report(env: Env, r: dict[str, Any]) -> None:
    from rich.markup import escape

    from keepwarm.cli.views import capped_table

    head = "Dry run, nothing written: would have " if r.get("dry_run") else ""
    if "restored" in r:
        parts = ", ".join(f"{n} {t}" for t, n in r["restored"].items())
        env.say(f"{head}restored the backup: {parts}.")
        return
    env.say(f"{head}{r['created']} created, {r['merged']} merged, {r['unchanged']} unchanged, "
              f"{len(r['skipped'])} skipped"
              + (f", {r['events']} life events added." if r.get("events") else "."))
    if "new_people" in r:
        capped_table(env, "Would be created", ("name", "company", "from"),
                     [(c["name"], c["company"] or "", f"{c['file']}:{c['line']}") for c in r["new_people"]],
                     PREVIEW_ROWS)
        capped_table(env, "Would be merged", ("incoming", "into", "matched on", "from"),
                     [(m["name"], m["into"] + (" (new)" if m["into_id"] is None else ""),
                       f"{MATCHED_ON.get(m['matched_on'], m['matched_on'])} {m['key']}",
                       f"{m['file']}:{m['line']}") for m in r["merges"]], PREVIEW_ROWS)
        capped_table(env, "Skipped", ("file", "line", "field", "reason"),
                     [(s["file"], str(s["line"]), s["field"] or "", s["reason"]) for s in r["skipped"]],
                     PREVIEW_ROWS)
    else:
        for s in r["skipped"]:
            where = f"{s['file']}:{s['line']}" + (f": field {s['field']}" if s.get("field") else "")
            env.print(f"  skipped {escape(where)}: {escape(s['reason'])}")
    for note in r.get("notes") or []:
        env.print(f"  note: {escape(note)}")


@click.command()
@click.argument("fmt", metavar="FORMAT", type=click.Choice(EXPORTS, case_sensitive=False))
@click.option("-o", "--output", metavar="PATH", help="Write to this file (default: standard output).")
@click.option("--version", "vcard_version", type=click.Choice(["3.0", "4.0"]), default="3.0",
              show_default=True, help="vCard version.")
@click.option("--vdir", metavar="DIR", help="vcard: one .vcf per person in DIR (for vdirsyncer/CardDAV).")
@click.option("--days", type=click.IntRange(1, 3660), default=60, show_default=True,
              help="ics: how far ahead events, plans and due touches go.")
@click.option("--name", "cal_name", default="keepwarm", show_default=True, help="ics: the calendar's name.")
@pass_env
def export(env: Env, fmt: str, output: str | None, vcard_version: str, vdir: str | None, days: int,
           cal_name: str) -> None:
    """Export your network: vcard, csv, json (a full backup) or ics (a calendar feed)."""
    from keepwarm.errors import InvalidInputError
    from keepwarm.store import exports

    fmt = fmt.lower()
    if vdir and fmt != "vcard":
        raise InvalidInputError("--vdir is for vcard exports")
    with env.store() as store:
        if vdir:
            counts = exports.write_vdir(store, Path(vdir), vcard_version)
            click.echo(f"{counts['written']} cards written, {counts['unchanged']} unchanged in {vdir}",
                       err=True)
            return
        if fmt == "ics":
            data = _capture_bytes(lambda out: exports.write_ics(store, out, days, cal_name))
        else:
            data = _capture_text(lambda out: {
                "vcard": lambda: exports.write_vcards(store, out, vcard_version),
                "csv": lambda: exports.write_csv(store, out),
                "json": lambda: exports.write_json(store, out),
            }[fmt]()).encode("utf-8")
    if output:
        exports.atomic_write(Path(output), data)
    else:
        sys.stdout.buffer.write(data) if hasattr(sys.stdout, "buffer") else sys.stdout.write(data.decode())
        sys.stdout.flush()


def _capture_text(fn: Any) -> str:
    import io

    buf = io.StringIO(newline="")
    fn(buf)
    return buf.getvalue()


def _capture_bytes(fn: Any) -> bytes:
    import io

    buf = io.BytesIO()
    fn(buf)
    return buf.getvalue()


COMMANDS = [import_, export]
