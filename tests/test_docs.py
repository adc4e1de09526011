"""The documentation that tests can hold true: the CLI reference and the README's first commands."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_cli_reference_is_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "cli_reference.py"), "--check"])
    assert r.returncode == 0, "docs/cli.md is stale: run python scripts/cli_reference.py"


def test_every_command_is_in_the_reference():
    from keepwarm.cli.app import cli

    text = (ROOT / "docs" / "cli.md").read_text()
    for name in cli.list_commands(None):  # type: ignore[arg-type]
        assert f"## `keepwarm {name}`" in text


def test_the_readme_opens_with_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```\w*\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
