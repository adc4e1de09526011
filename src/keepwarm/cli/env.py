"""What every command needs, built once per invocation and injected through Click's context."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from keepwarm.config import Settings

if TYPE_CHECKING:
    from rich.console import Console

    from keepwarm.store import Database, Store


@dataclass
class Env:
    """Settings, a lazily opened database and the output streams."""

    settings: Settings
    traceback: bool = False
    _db: Database | None = field(default=None, repr=False)
    _console: Console | None = field(default=None, repr=False)

    @property
    def db(self) -> Database:
        if self._db is None:
            from keepwarm.store import Database

            self._db = Database(self.settings.database_url)
        return self._db

    @contextmanager
    def store(self) -> Iterator[Store]:
        """One transaction on the acting user's network."""
        from keepwarm.store import open_store

        with open_store(self.db, self.settings.today, self.settings.user_email) as store:
            yield store

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(highlight=False, soft_wrap=True)
        return self._console

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """Rich output for people: markup is read, so user text in it goes through :meth:`esc`."""
        self.console.print(*objects, **kwargs)

    def say(self, message: str) -> None:
        """A plain message, printed as it is: names with brackets never read as markup."""
        self.console.print(message, markup=False)

    @staticmethod
    def esc(text: str) -> str:
        """User text made safe to put inside Rich markup."""
        from rich.markup import escape

        return escape(text)

    @staticmethod
    def print_json(data: Any) -> None:
        """Machine output: JSON on standard output, dates as ISO strings."""
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
