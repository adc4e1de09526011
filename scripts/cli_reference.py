"""Write docs/cli.md from the commands' own --help, so the reference never drifts from the code.

    python scripts/cli_reference.py          # rewrite docs/cli.md
    python scripts/cli_reference.py --check  # exit 1 when docs/cli.md is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from keepwarm.cli.app import cli

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _walk(command: click.Command, path: list[str], parent: click.Context | None):
    ctx = click.Context(command, info_name=" ".join(path), parent=parent, terminal_width=100,
                        max_content_width=100)
    yield path, command.get_help(ctx)
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _walk(sub, [*path, name], ctx)


def render() -> str:
    """The whole reference as Markdown."""
    out = ["# Command-line reference", "", "Generated from `--help` by `scripts/cli_reference.py`; "
           "`tests/test_docs.py` fails when it is out of date.", ""]
    for path, text in _walk(cli, ["keepwarm"], None):
        out += [f"## `{' '.join(path)}`", "", "```", text.rstrip(), "```", ""]
    return "\n".join(out)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        return 0 if DOC.exists() and DOC.read_text() == text else 1
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
