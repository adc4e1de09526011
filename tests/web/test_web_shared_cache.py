"""The cache the server processes of one machine share: what one builds, the others serve, and only for
the data it read."""

from __future__ import annotations

import os
import pickle
import time

import pytest

from keepwarm.web.sharedcache import ENV, SharedCache, scope_of


def _pid(web, name):
    with web.store("a@example.com") as store:
        return store.people.resolve(name).id


@pytest.fixture
def two_processes(web, alice, client_for, tmp_path, monkeypatch):
    """The test app and a second app (another server process), sharing one cache folder; each counts
    the agendas it builds and the pages it renders."""
    from keepwarm.web import create_app
    from keepwarm.web.pages import today

    folder = tmp_path / "shared"
    monkeypatch.setenv(ENV, str(folder))
    first = web.app.state.web
    first.shared = SharedCache(folder, "test-secret-key", first.cache_ttl,  # as create_app makes it
                               scope=scope_of(web.settings.database_url))
    second_app = create_app(web.settings, pin_today=True, secret="test-secret-key")
    second = client_for(second_app)
    second.http.cookies = alice.http.cookies  # the same browser, served by the other process
    second.csrf = alice.csrf
    built: list[object] = []
    rendered: list[object] = []
    build = today.agenda_view
    monkeypatch.setattr(today, "agenda_view", lambda store, **kw: built.append(store) or build(store, **kw))

    def counting(render):  # type: ignore[no-untyped-def]
        def counted(request, name, *args, **kw):  # type: ignore[no-untyped-def]
            rendered.append(name)
            return render(request, name, *args, **kw)
        return counted

    for w in (first, second_app.state.web):
        monkeypatch.setattr(w, "render", counting(w.render))
    yield second, built, rendered, folder
    second_app.state.web.close()


def test_a_page_one_process_built_is_served_by_another_without_building_it_again(web, alice,
                                                                                two_processes,
                                                                                monkeypatch):
    second, built, rendered, folder = two_processes
    shared, looked = web.app.state.web.shared, []
    read = shared.get
    monkeypatch.setattr(shared, "get", lambda full: looked.append(full[3]) or read(full))
    page = alice.get("/").text
    assert len(looked) == 2  # a miss looks for the page and the agenda once each
    assert "Jonas Weber" in page and len(built) == 1 and rendered == ["today.html"]
    assert second.get("/").text == page  # the other process: neither built nor rendered
    assert len(built) == 1 and rendered == ["today.html"]
    assert len(list(folder.iterdir())) == 2  # the agenda and this browser's page
    assert not any(alice.csrf in f.name for f in folder.iterdir())  # names do not show the token


def test_a_change_in_one_process_is_on_the_next_page_of_every_process_built_once(web, alice,
                                                                                 two_processes):
    second, built, _, _ = two_processes
    alice.get("/"), second.get("/")
    assert second.form("/today/snooze", {"person_id": _pid(web, "Jonas Weber"), "duration": "1w"}
                       ).status_code == 303
    assert "Jonas Weber" not in alice.get("/").text  # the data version moved on: not the old entry
    assert "Jonas Weber" not in second.get("/").text
    assert len(built) == 2  # once before the change, once after it, for both processes


def test_an_entry_whose_signature_does_not_check_out_is_never_unpickled(web, alice, two_processes,
                                                                        tmp_path):
    second, built, _, folder = two_processes
    alice.get("/")
    trap = tmp_path / "unpickled"
    for entry in folder.iterdir():  # swap each entry's body for one that would run code when loaded
        data = entry.read_bytes()
        entry.write_bytes(data[:48] + pickle.dumps(_Trap(str(trap))))  # its tag and HMAC kept
    assert "Jonas Weber" in second.get("/").text
    assert not trap.exists() and len(built) == 2  # rebuilt by the second process instead


class _Trap:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (open, (self.path, "w"))


def test_entries_are_kept_for_their_time_and_their_own_key_only(tmp_path):
    cache = SharedCache(tmp_path / "c", "secret", ttl=30)
    key = (7, 3, "2026-11-25", ("today", None))
    cache.put(key, {"agenda": [1, 2]})
    assert cache.get(key)[1] == {"agenda": [1, 2]}
    loads, unpickled = pickle.loads, []
    pickle.loads = lambda data: unpickled.append(1) or loads(data)
    try:
        assert cache.get((7, 4, "2026-11-25", ("today", None))) is None  # a newer data version
        assert unpickled == []  # told by its tag, without checking its signature or unpickling it
    finally:
        pickle.loads = loads
    assert cache.get((7, 3, "2026-11-26", ("today", None))) is None  # another day
    assert cache.get((8, 3, "2026-11-25", ("today", None))) is None  # another account
    cache.put(key, "old", age=30)
    assert cache.get(key) is None  # past its time
    cache.put(key, "mine")
    for other in (SharedCache(tmp_path / "c", "another secret", ttl=30),
                  SharedCache(tmp_path / "c", "secret", ttl=30, scope="another database or release")):
        other._path(key).write_bytes(cache._path(key).read_bytes())  # the very entry, under its name
        assert other.get(key) is None  # signed with another key: not read
    another_account = (8, 3, "2026-11-25", ("today", None))
    cache._path(another_account).write_bytes(cache._path(key).read_bytes())
    assert cache.get(another_account) is None  # an entry moved under another account's name
    assert cache.get(key)[1] == "mine"


def test_old_entries_are_pruned_and_at_most_the_limit_kept(tmp_path):
    cache = SharedCache(tmp_path / "c", "secret", ttl=30, limit=5)
    for n in range(8):
        cache.put((n, 1, "d", "k"), n)
    stale = tmp_path / "c" / ".left-by-a-crashed-writer"
    stale.write_bytes(b"x")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    cache.prune()
    left = sorted(p.name for p in (tmp_path / "c").iterdir())
    assert len(left) == 5 and ".left-by-a-crashed-writer" not in left
    assert cache.get((7, 1, "d", "k"))[1] == 7 and cache.get((0, 1, "d", "k")) is None  # oldest went
    cache.budget = 3 * len(cache._path((7, 1, "d", "k")).read_bytes())
    cache.prune()
    assert len(list((tmp_path / "c").iterdir())) == 3  # and no more bytes than the budget


def test_a_folder_that_cannot_be_made_costs_the_shared_cache_not_the_server(tmp_path, monkeypatch, caplog):
    from keepwarm.web.sharedcache import from_env

    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv(ENV, str(tmp_path / "file" / "cache"))
    assert from_env("secret", 10, "scope") is None
    assert "cannot use" in caplog.text


def test_a_folder_others_may_write_to_is_refused_with_a_one_line_error(tmp_path):
    from keepwarm.errors import ConfigError

    folder = tmp_path / "open"
    folder.mkdir()
    folder.chmod(0o777)
    with pytest.raises(ConfigError, match="writable by no one else"):
        SharedCache(folder, "secret", ttl=10)
    made = tmp_path / "made" / "here"
    SharedCache(made, "secret", ttl=10)
    assert made.stat().st_mode & 0o777 == 0o700


def test_a_folder_that_cannot_be_written_costs_speed_not_pages(web, alice, tmp_path, caplog):
    folder = tmp_path / "gone"
    web.app.state.web.shared = SharedCache(folder, "test-secret-key", 10)
    folder.rmdir()
    folder.write_text("a file where the folder was")  # no entry can be written or read, even by root
    for _ in range(3):
        assert "Jonas Weber" in alice.get("/").text
    warnings = [r.getMessage() for r in caplog.records if "shared cache" in r.getMessage()]
    assert len(warnings) == 1 and "cannot write" in warnings[0]  # said once, not on every request


def test_the_shared_cache_is_named_by_the_environment_and_off_turns_it_off(web, monkeypatch, tmp_path):
    from keepwarm.web import create_app

    monkeypatch.setenv(ENV, str(tmp_path / "named"))
    assert create_app(web.settings, secret="s").state.web.shared.folder == tmp_path / "named"
    assert create_app(web.settings, secret="s", cache_ttl=0).state.web.shared is None  # no cache at all
    for value in ("off", ""):
        monkeypatch.setenv(ENV, value)
        assert create_app(web.settings, secret="s").state.web.shared is None
