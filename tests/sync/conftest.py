"""Fixtures for live sources: real IMAP and DAV servers on loopback, started per test module."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from syncservers import free_port, start_pymap, start_radicale


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def imap_port() -> Iterator[int]:
    """A fresh, empty pymap server (in memory) for each test."""
    port = free_port()
    proc = start_pymap(port)
    yield port
    _stop(proc)


@pytest.fixture
def dav_base(tmp_path: Path) -> Iterator[str]:
    """A fresh Radicale on a temporary folder for each test; its base URL."""
    folder = tmp_path / "radicale"
    folder.mkdir()
    port = free_port()
    proc = start_radicale(folder, port)
    yield f"http://127.0.0.1:{port}"
    _stop(proc)


@pytest.fixture(autouse=True)
def _source_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEEPWARM_SOURCE_PASSWORD", "s3cret")
