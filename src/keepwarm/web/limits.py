"""Password checks under limits: counted before the check, in the database, and few at a time.

argon2 takes 64 MiB and tens of milliseconds per check, so both the number of tries (per account and per
address, kept in the database by :mod:`keepwarm.store.limits`) and the number of checks running at once
in this process (a semaphore) are bounded: sixty concurrent guesses cannot take the server's memory.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from keepwarm.config import count_env
from keepwarm.errors import BusyError, TooManyTriesError
from keepwarm.store.limits import Limit

if TYPE_CHECKING:
    from keepwarm.web.context import Web

T = TypeVar("T")


def _hash_slots() -> int:
    return count_env("KEEPWARM_HASH_CONCURRENCY", max(1, min(4, os.cpu_count() or 1)), hi=64)


@dataclass
class Guard:
    """The limits of one app: tries per account (also for the current-password check in Settings), tries
    per client address (higher: one office behind one address must not lock everyone out), and how many
    password hashes this process computes at once."""

    account: Limit = Limit(5, 300.0)
    address: Limit = Limit(50, 300.0)
    slots: int = field(default_factory=_hash_slots)
    wait: float = 20.0  # seconds a check may queue for a slot before the answer is 503
    _sem: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        self._sem = threading.BoundedSemaphore(self.slots)

    @contextmanager
    def hashing(self) -> Iterator[None]:
        """A slot to compute one argon2 hash in."""
        if not self._sem.acquire(timeout=self.wait):
            raise BusyError("too many logins at once; try again in a moment")
        try:
            yield
        finally:
            self._sem.release()


def checked(web: Web, keys: dict[str, Limit], check: Callable[[], T | None], *, clear: str | None,
            what: str) -> T | None:
    """``check()`` (a password check returning None when wrong) if no key is at its limit.

    The try is committed before the check runs, so concurrent guesses are counted at once; a right
    password takes its try back and forgets ``clear``'s failures.
    """
    from keepwarm.store.limits import purge, release, reserve

    now = datetime.now()
    with web.db.session() as session:
        wait, ids = reserve(session, keys, now)
        if secrets.randbelow(100) == 0:  # now and then, forget keys that stopped trying long ago
            purge(session, now - timedelta(days=1))
    if wait > 0:
        raise TooManyTriesError(wait, what)
    with web.guard.hashing():
        result = check()
    if result is not None:
        with web.db.session() as session:
            release(session, ids, clear=clear)
    return result
