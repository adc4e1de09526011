"""Key files (the web session key, the sources' encryption key): made once, owner-only, then reused."""

from __future__ import annotations

import stat
from pathlib import Path

from keepwarm.config import key_file


def test_a_key_is_made_once_readable_by_its_owner_only_and_read_back(tmp_path: Path) -> None:
    made: list[int] = []

    def make() -> bytes:
        made.append(1)
        return b"k" * 32

    path = tmp_path / "deep" / "folder" / "web-secret.key"
    assert key_file(path, make) == b"k" * 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key_file(path, lambda: b"another") == b"k" * 32  # the kept key, not a new one
    assert made == [1]


def test_the_web_and_the_sources_keep_their_keys_apart(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from keepwarm.config import Settings
    from keepwarm.sync.secrets import decrypt, encrypt
    from keepwarm.web.context import secret_key

    monkeypatch.delenv("KEEPWARM_SECRET_KEY", raising=False)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'kw.sqlite3'}")
    web = secret_key(settings)
    assert web == secret_key(settings) and (tmp_path / "web-secret.key").exists()
    assert decrypt(encrypt("pw", tmp_path / "config"), tmp_path / "config") == "pw"
    sources = tmp_path / "config" / "sources.key"  # a key file of its own, readable by its owner only
    assert sources.exists() and sources.stat().st_mode & 0o777 == 0o600


def test_of_two_processes_making_the_key_at_once_both_use_the_one_kept(tmp_path: Path) -> None:
    path = tmp_path / "web-secret.key"

    def make_while_another_process_wins() -> bytes:
        # the other process wrote its whole key first, while this one was making its own
        assert key_file(path, lambda: b"the-winner") == b"the-winner"
        return b"the-loser"

    assert key_file(path, make_while_another_process_wins) == b"the-winner"
    assert key_file(path, lambda: b"later") == b"the-winner"
    assert [p.name for p in tmp_path.iterdir()] == ["web-secret.key"]  # no file left half made


def test_an_empty_key_file_is_a_one_line_error_not_an_empty_key(tmp_path: Path) -> None:
    import pytest

    from keepwarm.errors import ConfigError

    path = tmp_path / "web-secret.key"
    path.write_bytes(b"\n")
    with pytest.raises(ConfigError, match="web-secret.key is empty: delete it"):
        key_file(path, lambda: b"new")


def test_on_a_file_system_without_hard_links_the_key_is_still_made_once(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import errno
    import os

    def no_links(src, dst):  # type: ignore[no-untyped-def]
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "sources.key"
    assert key_file(path, lambda: b"first") == b"first"
    assert key_file(path, lambda: b"second") == b"first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["sources.key"]
