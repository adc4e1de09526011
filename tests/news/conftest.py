"""A real HTTP server on loopback that serves feeds the way real servers do: with an ETag, a
Last-Modified, and a 304 when the client already has the current version."""

from __future__ import annotations

import contextlib
import http.server
import threading
import time
from collections.abc import Iterator

import pytest
from feedserver import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    state = FeedServer("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            route = state.routes.get(self.path)
            inm = self.headers.get("If-None-Match")
            if route is None:
                status = 404
                self.send_response(404)
                self.end_headers()
            elif route.etag and inm == route.etag:
                status = 304
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.end_headers()
            else:
                time.sleep(route.delay)
                status = 200
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.modified:
                    self.send_header("Last-Modified", route.modified)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(route.body)
            state.seen.append((self.path, inm, status))

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    class Server(http.server.ThreadingHTTPServer):
        request_queue_size = 128  # the standard library's 5 makes parallel clients wait a SYN retry

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()
