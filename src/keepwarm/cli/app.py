"""The ``keepwarm`` command: global options, lazy command loading and the one error handler."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from keepwarm import __version__
from keepwarm.errors import KeepwarmError

COMMAND_PACKAGE = "keepwarm.cli.commands"


class KeepwarmGroup(click.Group):
    """Finds commands in ``keepwarm.cli.commands``: each module lists its commands in ``COMMANDS``."""

    def _load(self) -> dict[str, click.Command]:
        if not getattr(self, "_loaded", None):
            found: dict[str, click.Command] = {}
            package = importlib.import_module(COMMAND_PACKAGE)
            for info in pkgutil.iter_modules(package.__path__):
                module = importlib.import_module(f"{COMMAND_PACKAGE}.{info.name}")
                for command in getattr(module, "COMMANDS", ()):
                    found[command.name] = command
            self._loaded = found
        return self._loaded

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self._load())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load().get(cmd_name)


@click.group(cls=KeepwarmGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH|URL", help="Database file or URL (else KEEPWARM_DB, "
              "KEEPWARM_DATABASE_URL, then the user data dir).")
@click.option("--today", metavar="YYYY-MM-DD", help="Act as if today were this day (or KEEPWARM_TODAY).")
@click.option("--user", "user_email", metavar="EMAIL", help="Act for this user when several share a "
              "database (or KEEPWARM_USER); default: the only or first one.")
@click.option("--traceback", is_flag=True, help="Show the full traceback on errors.")
@click.version_option(__version__, prog_name="keepwarm")
@click.pass_context
def cli(ctx: click.Context, db: str | None, today: str | None, user_email: str | None,
        traceback: bool) -> None:
    """Keep your professional network warm with small, frequent touches.

    Start with `keepwarm demo` to see it work, or `keepwarm add "Full Name"`, then every morning run
    `keepwarm today`.
    """
    from keepwarm.cli.env import Env
    from keepwarm.config import Settings

    ctx.obj = Env(Settings.from_env(db, today, user_email), traceback=traceback)
    ctx.call_on_close(ctx.obj.close)


def _fail(exc: KeepwarmError) -> int:
    click.echo(f"keepwarm: error: {exc.message}", err=True)
    for candidate in exc.candidates:
        click.echo(f"  {candidate}", err=True)
    if exc.hint:
        click.echo(f"  hint: {exc.hint}", err=True)
    return exc.exit_code


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; errors become one line on standard error and a stable exit status."""
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="keepwarm", standalone_mode=False)
    except KeepwarmError as exc:
        if "--traceback" in args:
            raise
        return _fail(exc)
    except click.exceptions.Abort:
        click.echo("keepwarm: aborted", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except Exception as exc:  # a database that cannot be reached, a disk that is full
        if "--traceback" in args:
            raise
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, OSError) and exc.filename:
            click.echo(f"keepwarm: error: cannot use {exc.filename}: {exc.strerror}", err=True)
            return 1
        if isinstance(exc, SQLAlchemyError | OSError):
            click.echo(f"keepwarm: error: {type(exc).__name__}: {str(exc).splitlines()[0]}", err=True)
            return 1
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
