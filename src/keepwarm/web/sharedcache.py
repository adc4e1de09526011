"""The second level of the web app's cache, shared by the server processes of one machine.

Each process keeps what it built (Today's agenda, a browser's Today page) in its own memory
(:class:`keepwarm.web.context.Web`). Without a second level, after every change each worker process
rebuilt the same Today on its own, so the CPU a request cost grew with the number of workers. Here a
process that builds an entry also writes it to a folder the others read before building it again.

An entry is keyed as the process's own are: the account, its data version (read from the database on
every request), the day and the key. A change anywhere moves the version on, so an entry is never served
for data it did not read. Entries are files, one per account and key, replaced atomically; each carries
an HMAC made with the app's secret key, and one that does not check out is not read (nor unpickled).
Nothing here is needed for correctness: a folder that cannot be read or written costs only speed.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import logging
import os
import pickle
import stat
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("keepwarm.web")

ENV = "KEEPWARM_WEB_SHARED_CACHE"
_TAG = 16  # bytes of a keyed hash of what the entry is for (account, version, day, key), first
_MAC = 32  # then the HMAC-SHA256 of the pickled entry


class SharedCache:
    """Entries in ``folder`` (made owner-only if missing), signed with a key made of ``secret`` and
    ``scope`` (the database and keepwarm's version: two servers, or two releases, never read each
    other's entries), for ``ttl`` seconds. At most about ``limit`` files and ``budget`` bytes are kept
    (the oldest go first)."""

    def __init__(self, folder: Path, secret: str, ttl: float, *, scope: str = "", limit: int = 4096,
                 budget: int = 32 << 20) -> None:
        self.folder, self.ttl, self.limit, self.budget = folder, ttl, limit, budget
        self._key = hashlib.sha256(b"keepwarm shared cache\0" + scope.encode() + b"\0"
                                   + secret.encode()).digest()
        self._names = itertools.count()
        self._writes = 0
        self._lock = threading.Lock()
        self._pruning = False
        self._warned = False
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            from keepwarm.errors import ConfigError

            raise ConfigError(f"{ENV}: {folder} must belong to this user and be writable by no one else")

    def _path(self, full: tuple[Any, ...]) -> Path:
        owner, _version, _day, key = full
        # the key may hold a browser's CSRF token: the file's name is a keyed hash of it
        digest = hashlib.blake2b(repr(key).encode(), key=self._key, digest_size=16).hexdigest()
        return self.folder / f"{int(owner)}-{digest}"

    def _tag(self, full: tuple[Any, ...]) -> bytes:
        return hashlib.blake2b(repr(full).encode(), key=self._key, digest_size=_TAG).digest()

    def get(self, full: tuple[Any, ...]) -> tuple[float, Any] | None:
        """The entry for ``full`` (account, version, day, key) with its age in seconds, or None."""
        try:
            data = self._path(full).read_bytes()
        except OSError:
            return None
        if not hmac.compare_digest(data[:_TAG], self._tag(full)):
            return None  # kept for an older data version or another day: nothing more to read
        mac, body = data[_TAG:_TAG + _MAC], data[_TAG + _MAC:]
        if not hmac.compare_digest(mac, hmac.new(self._key, body, "sha256").digest()):
            self._warn("an entry with a bad signature was ignored")
            return None
        try:
            stamp, kept_for, value = pickle.loads(body)
        except Exception:  # noqa: BLE001 - a signed entry from another version of keepwarm: rebuild it
            return None
        age = time.time() - stamp
        if kept_for != full or not 0 <= age < self.ttl:
            return None
        return age, value

    def put(self, full: tuple[Any, ...], value: Any, age: float = 0.0) -> None:
        """Keep ``value`` for ``full``, as old as ``age`` seconds already."""
        try:
            body = pickle.dumps((time.time() - age, full, value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a value that cannot be pickled stays in its process only
            return
        target = self._path(full)
        temp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.{next(self._names)}")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(self._tag(full))
                f.write(hmac.new(self._key, body, "sha256").digest())
                f.write(body)
            os.replace(temp, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temp.unlink()
            self._warn(f"cannot write to {self.folder}: {exc.strerror}")
            self._prune_soon()  # a full folder (ENOSPC) makes room again
            return
        with self._lock:
            self._writes += 1
            due = self._writes % 256 == 0
        if due:
            self._prune_soon()

    def _prune_soon(self) -> None:
        """Prune in a thread of its own (never in the request's), one at a time per process."""
        with self._lock:
            if self._pruning:
                return
            self._pruning = True

        def run() -> None:
            try:
                self.prune()
            finally:
                with self._lock:
                    self._pruning = False

        threading.Thread(target=run, name="keepwarm-shared-cache-prune", daemon=True).start()

    def prune(self) -> None:
        """Remove entries past their time, then the oldest while there are more than ``limit`` or they
        take more than ``budget`` bytes."""
        now, entries = time.time(), []
        try:
            with os.scandir(self.folder) as it:
                for entry in it:
                    try:
                        info = entry.stat()
                    except OSError:
                        continue
                    entries.append((info.st_mtime, info.st_size, entry.path))
        except OSError:
            return
        entries.sort()
        count, size = len(entries), sum(e[1] for e in entries)
        for mtime, bytes_, path in entries:
            if count <= self.limit and size <= self.budget and now - mtime < max(self.ttl, 60.0):
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
            count, size = count - 1, size - bytes_

    def _warn(self, message: str) -> None:
        if not self._warned:  # once per process: the cache only saves time
            self._warned = True
            log.warning("shared cache: %s", message)


def scope_of(database_url: str) -> str:
    """What an entry is for besides its key: the database, and this release of keepwarm."""
    from keepwarm import __version__

    return f"{database_url}\0{__version__}"


def from_env(secret: str, ttl: float, scope: str) -> SharedCache | None:
    """The shared cache named by ``KEEPWARM_WEB_SHARED_CACHE`` (a folder; ``off``: none), if set and the
    cache is on. A folder that cannot be made costs speed, not the server: a warning, and no shared
    cache."""
    folder = os.environ.get(ENV)
    if not folder or folder == "off" or ttl <= 0:
        return None
    try:
        return SharedCache(Path(folder), secret, ttl, scope=scope)
    except OSError as exc:
        log.warning("shared cache: cannot use %s (%s); each server process keeps its own", folder,
                    exc.strerror)
        return None
