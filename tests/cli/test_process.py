"""The real console script in a real process: paths, exit codes, one-line errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

KEEPWARM = str(Path(sys.executable).with_name("keepwarm"))


def run(*args, env=None, cwd=None):
    return subprocess.run([KEEPWARM, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60)


def clean_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEEPWARM_")}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), KEEPWARM_TODAY="2026-11-25")
    return env


def test_help_lists_every_command():
    r = run("--help")
    assert r.returncode == 0
    for command in ("add", "edit", "rm", "log", "event", "plan", "snooze", "today", "show", "list", "search",
                    "actions", "circles", "demo"):
        assert f"  {command} " in r.stdout


def test_the_default_database_lives_in_the_user_data_dir_not_the_working_dir(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    env = clean_env(tmp_path)
    assert run("add", "Ann", env=env, cwd=work).returncode == 0
    assert (tmp_path / "data" / "keepwarm" / "keepwarm.sqlite3").exists()
    assert list(work.iterdir()) == []


def test_db_option_wins_over_keepwarm_db_which_wins_over_the_url(tmp_path):
    env = clean_env(tmp_path)
    env["KEEPWARM_DATABASE_URL"] = f"sqlite:///{tmp_path / 'url.sqlite3'}"
    run("add", "Via URL", env=env)
    env["KEEPWARM_DB"] = str(tmp_path / "env.sqlite3")
    run("add", "Via Env", env=env)
    run("--db", str(tmp_path / "flag.sqlite3"), "add", "Via Flag", env=env)
    for name, who in (("url", "Via URL"), ("env", "Via Env"), ("flag", "Via Flag")):
        r = run("--db", str(tmp_path / f"{name}.sqlite3"), "list", "--json", env=env)
        assert [p["name"] for p in json.loads(r.stdout)] == [who]


def test_an_error_is_one_line_with_a_non_zero_status(tmp_path):
    r = run("--db", str(tmp_path / "x.sqlite3"), "log", "nobody", "call", env=clean_env(tmp_path))
    assert r.returncode == 3
    assert r.stderr.startswith("keepwarm: error: no person matches 'nobody'")
    assert "Traceback" not in r.stderr and len(r.stderr.splitlines()) == 2  # the error and its hint


def test_a_database_that_is_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "not.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    r = run("--db", str(bad), "today", env=clean_env(tmp_path))
    assert r.returncode != 0 and r.stderr.startswith("keepwarm: error: cannot open the database")
    assert "Traceback" not in r.stderr


def test_today_json_from_a_real_process(tmp_path):
    env = clean_env(tmp_path)
    db = str(tmp_path / "demo.sqlite3")
    assert run("--db", db, "demo", env=env).returncode == 0
    items = json.loads(run("--db", db, "today", "--json", env=env).stdout)
    assert items[0]["person"]["name"] == "Jonas Weber"


WITHOUT_SQLALCHEMY = (
    "import sys\n"
    "from keepwarm.cli.app import main\n"
    "code = main(sys.argv[1:])\n"
    "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic')), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def _agenda_through_sqlalchemy(path, today):
    from keepwarm.store import Database, open_store

    db = Database(f"sqlite:///{path}")
    with open_store(db, today) as store:
        items = [item.to_json() for item in store.agenda.build().items]
    db.dispose()
    return json.loads(json.dumps(items, default=str))


def test_a_cold_today_reads_sqlite_without_sqlalchemy_and_says_what_the_full_path_says(tmp_path):
    from datetime import date

    env = clean_env(tmp_path)
    db = tmp_path / "demo.sqlite3"
    assert run("--db", str(db), "demo", env=env).returncode == 0
    for step in range(2):
        r = subprocess.run([sys.executable, "-c", WITHOUT_SQLALCHEMY, "--db", str(db), "today", "--json"],
                           capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == 0 and r.stderr.strip() == "[]", r.stderr
        items = json.loads(r.stdout)
        assert items == _agenda_through_sqlalchemy(db, date(2026, 11, 25))
        if step == 0:  # a write in between is seen by the next cold read
            assert items[0]["person"]["name"] == "Jonas Weber"
            assert run("--db", str(db), "log", "Jonas Weber", "birthday", env=env).returncode == 0
        else:
            assert "Jonas Weber" not in [i["person"]["name"] for i in items]


def test_a_cold_today_on_a_new_database_takes_the_full_path_and_creates_it(tmp_path):
    env = clean_env(tmp_path)
    db = tmp_path / "new.sqlite3"
    r = subprocess.run([sys.executable, "-c", WITHOUT_SQLALCHEMY, "--db", str(db), "today"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0 and "keepwarm add NAME" in r.stdout and "network is warm" not in r.stdout
    assert "sqlalchemy" in r.stderr and db.exists()


def test_a_database_file_name_with_spaces_percent_escapes_and_question_marks_is_used_as_written(tmp_path):
    env = clean_env(tmp_path)
    folder = tmp_path / "my data"
    db = folder / "net %41 #1?x.sqlite3"
    assert run("--db", str(db), "add", "Ann Example", "--every", "7d", env=env).returncode == 0
    assert [p.name for p in folder.iterdir() if p.suffix == ".sqlite3"] == [db.name]
    assert run("--db", str(db), "log", "Ann Example", "call", "--date", "2026-11-01", env=env).returncode == 0
    r = subprocess.run([sys.executable, "-c", WITHOUT_SQLALCHEMY, "--db", str(db), "today", "--json"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.stderr.strip() == "[]", r.stderr  # the cold path found the very same file
    assert [i["person"]["name"] for i in json.loads(r.stdout)] == ["Ann Example"]
