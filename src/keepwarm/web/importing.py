"""The one seam between the web app and the file importer (built on another branch).

The web app needs a single function::

    import_file(store, filename: str, data: bytes, dry_run: bool) -> dict

returning a JSON-ready report (counts such as ``created``/``merged``/``skipped`` and lists of skipped
rows), raising FormatError for a file it cannot read. The page runs the dry run in a transaction it
rolls back, so nothing is saved whatever the importer does.

``importer()`` looks in ``keepwarm.store.imports`` for such a function (``import_file``, ``import_bytes``
or ``run``); failing that, it adapts the formats branch's ``Importer`` class with ``keepwarm.formats``'
``detect``/``read``; while neither is installed it answers None and the Import page says so.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from keepwarm.store import Store

Importer = Callable[["Store", str, bytes, bool], dict[str, Any]]
MODULE = "keepwarm.store.imports"
NAMES = ("import_file", "import_bytes", "run")
MAX_BYTES = 5 * 1024 * 1024


def importer() -> Importer | None:
    """The importer function, or None when the importer module is not available."""
    try:
        module = importlib.import_module(MODULE)
    except ImportError:
        return None
    for name in NAMES:
        fn = getattr(module, name, None)
        if callable(fn):
            return fn  # type: ignore[no-any-return]
    if hasattr(module, "Importer"):
        return _with_importer_class
    return None


def _with_importer_class(store: Store, filename: str, data: bytes, dry_run: bool) -> dict[str, Any]:
    """Run ``keepwarm.store.imports.Importer`` on an uploaded file (format detected from its content)."""
    import io

    from keepwarm import formats  # type: ignore[attr-defined]
    from keepwarm.errors import InvalidInputError
    from keepwarm.store.imports import Importer  # type: ignore[import-not-found]

    src = io.BytesIO(data)
    src.name = filename  # type: ignore[attr-defined]  # readers name the file in their messages
    kind = formats.detect(src)
    if kind == "json":
        raise InvalidInputError(f"{filename}: restoring a JSON backup is done with `keepwarm import`, "
                                "not through the web")
    importer = Importer(store)
    importer.add(filename, kind, formats.read(kind, src))
    if not dry_run:
        importer.refresh_library()
    report: dict[str, Any] = importer.report.to_dict()
    report["format"] = kind
    report["dry_run"] = dry_run
    return report


def run_import(store: Store, filename: str, data: bytes, dry_run: bool) -> dict[str, Any]:
    """Run the importer, or raise ConfigError when there is none."""
    from keepwarm.errors import ConfigError

    fn = importer()
    if fn is None:
        raise ConfigError("importing files is not available in this installation")
    report = fn(store, filename, data, dry_run)
    return dict(report) if not isinstance(report, dict) else report
