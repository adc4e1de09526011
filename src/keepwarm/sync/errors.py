"""The ways a live source fails, each a one-line message (the CLI shows it as it is)."""

from __future__ import annotations

from keepwarm.errors import KeepwarmError


class SyncError(KeepwarmError):
    """The sync failed; nothing of this source was stored and its state did not move."""

    exit_code = 10


def unreachable(name: str, where: str, exc: BaseException) -> SyncError:
    """A server that is down, refuses, or drops the connection."""
    reason = str(exc).strip() or type(exc).__name__
    return SyncError(f"source {name!r}: cannot talk to {where}: {reason}; nothing was stored",
                     hint="check that the server is up and the address right, then run `keepwarm sync` "
                          "again")


def refused(name: str) -> SyncError:
    """A wrong user name or password."""
    return SyncError(f"source {name!r}: the server refused the user name or password; nothing was stored",
                     hint=f"run `keepwarm sources rm {name}` and add it again with the right password")
