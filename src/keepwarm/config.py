"""Settings and the one documented lookup order for where data lives.

The database is found in this order:

1. ``--db PATH`` on the command line (a file path, or a full SQLAlchemy URL);
2. ``KEEPWARM_DB`` (a file path, or a URL);
3. ``KEEPWARM_DATABASE_URL`` (a SQLAlchemy URL, e.g. ``postgresql+psycopg://user@host/db``);
4. ``keepwarm.sqlite3`` in platformdirs' user data dir (``~/.local/share/keepwarm`` on Linux).

Configuration files (message templates, SMTP settings) live in platformdirs' user config dir, or in
``KEEPWARM_CONFIG_DIR`` when set. Nothing is ever written into the source tree.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote, unquote

from keepwarm.errors import ConfigError

APP_NAME = "keepwarm"


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})  # where plain HTTP or IMAP leaves the machine never


def _user_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _user_config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def to_url(db: str) -> str:
    """Turn a ``--db`` value (a path or a URL) into a SQLAlchemy URL.

    The path is percent-encoded: SQLAlchemy decodes escapes in a URL's path and ends it at ``?``, so a file
    named ``a%41?b.sqlite3`` must not become ``aA``.
    """
    if "://" in db:
        return db
    return "sqlite:///" + quote(str(Path(db).expanduser().resolve()), safe="/")


def sqlite_file(url: str) -> Path | None:
    """The file behind an SQLite URL, read as SQLAlchemy reads it; None for another database or memory."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = unquote(url.removeprefix(prefix).partition("?")[0])
    return None if path in ("", ":memory:") else Path(path)


def database_url(cli_db: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """Resolve the database URL by the documented lookup order."""
    environ: Mapping[str, str] = os.environ if env is None else env
    # 1. --db, 2. KEEPWARM_DB
    for value in (cli_db, environ.get("KEEPWARM_DB")):
        if value:
            return to_url(value)
    # 3. KEEPWARM_DATABASE_URL
    url = environ.get("KEEPWARM_DATABASE_URL")
    if url:
        return url
    # 4. the user data dir
    return to_url(str(_user_data_dir() / "keepwarm.sqlite3"))


def parse_today(value: str | None) -> date:
    """The day keepwarm acts on: ``--today``/``KEEPWARM_TODAY``, else the real date."""
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--today/KEEPWARM_TODAY must be YYYY-MM-DD, not {value!r}") from None


@dataclass
class Settings:
    """Everything an interface needs to open the store and act on a given day."""

    database_url: str
    today: date = field(default_factory=date.today)
    user_email: str | None = None
    config_dir: Path = field(default_factory=_user_config_dir)
    default_region: str = "US"

    @classmethod
    def from_env(cls, cli_db: str | None = None, cli_today: str | None = None,
                 user_email: str | None = None, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from command-line values and the environment."""
        environ: Mapping[str, str] = os.environ if env is None else env
        cfg = environ.get("KEEPWARM_CONFIG_DIR")
        return cls(
            database_url=database_url(cli_db, environ),
            today=parse_today(cli_today or environ.get("KEEPWARM_TODAY")),
            user_email=user_email or environ.get("KEEPWARM_USER") or None,
            config_dir=Path(cfg) if cfg else _user_config_dir(),
            default_region=environ.get("KEEPWARM_REGION", "US"),
        )


def count_env(name: str, default: int, hi: int = 100) -> int:
    """A whole number from 1 to ``hi`` set in the environment, or ``default`` when unset; anything else
    is a one-line error naming the variable."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= hi:
        raise ConfigError(f"{name} must be a number from 1 to {hi}, not {raw!r}")
    return int(raw)


def key_file(path: Path, make: Callable[[], bytes]) -> bytes:
    """The key kept in ``path``, made with ``make()`` and written with owner-only permissions on first use.

    The new key is written whole to a file of its own, then linked into place: of two processes starting
    at once, one's key is kept and both read it, and no process ever reads a key half written."""
    import tempfile

    if path.exists():
        return _read_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = make()
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # owner-only
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())  # whole on disk before it has its name
        try:
            os.link(temp, path)  # fails if another process put its key there first
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: create the name exclusively instead
            _write_new(path, key)
    except FileExistsError:
        return _read_key(path)
    finally:
        os.unlink(temp)
    return key


def _write_new(path: Path, key: bytes) -> None:
    """Write ``key`` to ``path``, which must not exist yet (FileExistsError otherwise)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())


def _read_key(path: Path) -> bytes:
    key = path.read_bytes().strip()
    if not key:
        raise ConfigError(f"{path} is empty: delete it, and a new key is made on the next start")
    return key
