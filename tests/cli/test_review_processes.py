"""Review: several real `keepwarm log` processes at once on one database (SQLite file and PostgreSQL).

A morning script, a shell alias and (later) the web app may write at the same moment; every touch must
land, and the maintained counters must add up.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

KEEPWARM = str(Path(sys.executable).with_name("keepwarm"))
N = 6


def _env(db_url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEEPWARM_")}
    env.update(KEEPWARM_DB=db_url, KEEPWARM_TODAY="2026-11-25", KEEPWARM_CONFIG_DIR=str(tmp_path / "cfg"))
    return env


def _parallel(env: dict[str, str], commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen([KEEPWARM, *c], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for c in commands]
    out = []
    for p, c in zip(procs, commands, strict=True):
        stdout, stderr = p.communicate(timeout=120)
        out.append(subprocess.CompletedProcess(c, p.returncode, stdout, stderr))
    return out


def test_parallel_logs_with_different_people_all_land_and_count(db_url, tmp_path, cli):
    for n in range(N):
        assert cli("add", f"P{n}").code == 0
    env = _env(db_url, tmp_path)
    done = _parallel(env, [["log", f"#{n + 1}", "call"] for n in range(N)])
    failures = [(d.returncode, d.stderr.strip()[-300:]) for d in done if d.returncode != 0]
    assert failures == []
    people = cli("list", "--json").json()
    assert all(p["last_touch"] == "2026-11-25" for p in people)
    assert f"This week: {N}/5" in cli("today").out


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEEPWARM_")}
    env.update(KEEPWARM_TODAY="2026-11-25", KEEPWARM_CONFIG_DIR=str(tmp_path / "cfg"),
               HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    return subprocess.run([KEEPWARM, *args], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("target", ["not-a-database", "a-directory", "postgresql://nobody@127.0.0.1:1/x"])
def test_a_database_that_cannot_be_opened_is_a_one_line_error(tmp_path, target):
    (tmp_path / "not-a-database").write_text("hello\n")
    (tmp_path / "a-directory").mkdir()
    db = target if "://" in target else str(tmp_path / target)
    r = _run(["--db", db, "today"], tmp_path)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert r.stderr.startswith("keepwarm: error: cannot open the database")
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
