"""The web app's side of importing a file: the same importer `keepwarm import` uses, on an upload.

The page runs the dry run in a transaction it rolls back, so nothing is saved whatever the importer does.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from keepwarm.store import Store

MAX_BYTES = 5 * 1024 * 1024  # the documented limit (docs/web.md); `keepwarm import` has none
PREVIEW_ROWS = 100  # rows of each table the dry-run page shows, then "+N more"


def run_import(store: Store, filename: str, data: bytes, dry_run: bool) -> dict[str, Any]:
    """Import an uploaded file (format detected from its content) and return the JSON-ready report; a dry
    run's lists who would be created and merged into whom."""
    from keepwarm import formats
    from keepwarm.errors import InvalidInputError
    from keepwarm.store.imports import Importer

    src = io.BytesIO(data)
    src.name = filename  # type: ignore[attr-defined]  # readers name the file in their messages
    kind = formats.detect(src)
    if kind == "json":
        raise InvalidInputError(f"{filename}: restoring a JSON backup is done with `keepwarm import`, "
                                "not through the web")
    importer = Importer(store, preview=dry_run)
    importer.add(filename, kind, formats.read(kind, src, known=importer.known(kind)))
    if not dry_run:
        importer.refresh_library()
    report: dict[str, Any] = importer.report.to_dict()
    report["format"] = kind
    report["dry_run"] = dry_run
    return report
