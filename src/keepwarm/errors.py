"""One error tree for keepwarm.

Domain code raises these; the CLI and the web app turn them into one clear line (or a JSON body) at the
edge. The class docstring is the default message.
"""

from __future__ import annotations


class KeepwarmError(Exception):
    """Something went wrong."""

    exit_code = 1
    hint: str | None = None

    def __init__(self, message: str | None = None, *, hint: str | None = None,
                 candidates: list[str] | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())
        if hint is not None:
            self.hint = hint
        self.candidates = list(candidates or [])

    @property
    def message(self) -> str:
        return str(self.args[0])


class InvalidInputError(KeepwarmError):
    """The input is not valid."""

    exit_code = 2


class NotFoundError(KeepwarmError):
    """No such record."""

    exit_code = 3


class AmbiguousError(KeepwarmError):
    """More than one record matches."""

    exit_code = 4

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message, candidates=candidates)


class ConflictError(KeepwarmError):
    """The change conflicts with existing data."""

    exit_code = 5


class FormatError(InvalidInputError):
    """A file is not in the format it claims to be."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        where = ":".join(str(p) for p in (file, line) if p is not None)
        parts = [p for p in (where, f"field {field!r}" if field else None, message) if p]
        super().__init__(": ".join(parts))
        self.file, self.line, self.field, self.reason = file, line, field, message


class ConfigError(KeepwarmError):
    """The configuration is not usable."""

    exit_code = 6


class DeliveryError(KeepwarmError):
    """A message could not be delivered."""

    exit_code = 7


class BusyError(KeepwarmError):
    """The server is busy; try again in a moment."""

    exit_code = 8
    retry_after = 2  # seconds, sent as Retry-After by the web app


class TooManyTriesError(KeepwarmError):
    """Too many failed password checks; wait a while."""

    exit_code = 9

    def __init__(self, wait: float, what: str = "password checks") -> None:
        self.retry_after = int(wait) + 1
        super().__init__(f"too many failed {what}; try again in {self.retry_after} seconds")
