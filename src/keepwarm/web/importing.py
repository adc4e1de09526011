"""The one seam between the web app and the file importer (built on another branch).

The web app needs a single function::

    import_file(store, filename: str, data: bytes, dry_run: bool) -> dict

returning a JSON-ready report (counts such as ``added``/``updated``/``skipped`` and lists such as
``errors``), raising FormatError for a file it cannot read, and changing nothing when ``dry_run`` is true.
``importer()`` finds it in ``keepwarm.store.imports`` (as ``import_file``, ``import_bytes`` or ``run``) and
answers None while that module is not installed, so the Import page can say so instead of failing.
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
    return None


def run_import(store: Store, filename: str, data: bytes, dry_run: bool) -> dict[str, Any]:
    """Run the importer, or raise ConfigError when there is none."""
    from keepwarm.errors import ConfigError

    fn = importer()
    if fn is None:
        raise ConfigError("importing files is not available in this installation")
    report = fn(store, filename, data, dry_run)
    return dict(report) if not isinstance(report, dict) else report
