"""Storage over SQLAlchemy 2: SQLite by default, PostgreSQL through a URL.

The package itself imports nothing heavy, so that :mod:`keepwarm.store.lite` can serve the cold
``keepwarm today`` process without SQLAlchemy; ``Database``, ``Store`` and ``open_store`` load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from keepwarm.store.db import Database
    from keepwarm.store.store import Store, open_store

_LAZY = {"Database": "keepwarm.store.db", "Store": "keepwarm.store.store",
         "open_store": "keepwarm.store.store"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Database", "Store", "open_store"]
