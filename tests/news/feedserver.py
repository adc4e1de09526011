"""The feed server's routes and its record of requests (a module of its own: test modules import it)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Route:
    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = '"v1"'
    modified: str | None = "Thu, 12 Mar 2026 09:00:00 GMT"
    delay: float = 0.0  # seconds before answering: a slow server


@dataclass
class FeedServer:
    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[tuple[str, str | None, int]] = field(default_factory=list)  # path, If-None-Match, status

    def statuses(self, path: str) -> list[int]:
        return [status for p, _, status in self.seen if p == path]
