"""The ``argmap`` command line: thin typer commands over the library.

``common`` holds the app, shared options and the error handling; each command
module registers its commands on import. This is the one place errors become
messages and exit codes: 0 ok, 1 findings, 2 bad usage or input.
"""

from __future__ import annotations

import sys

import typer

from argmap.cli import check, corrections, evaluate, maps, stats
from argmap.cli.common import app

__all__ = ["app", "main"]
_COMMAND_MODULES = (maps, evaluate, corrections, check, stats)


def main() -> None:
    """Entry point: every failure is one ``error:`` line and an exit code, never a traceback."""
    from typer.exceptions import Abort, TyperException

    if len(sys.argv) == 1:
        sys.argv.append("--help")
    try:
        result = app(standalone_mode=False)
    except TyperException as exc:  # click's usage errors: bad option, missing argument
        hint = "" if "--help" in exc.format_message() else " (see 'argmap --help')"
        typer.echo(f"error: {exc.format_message()}{hint}", err=True)
        sys.exit(getattr(exc, "exit_code", 2) or 2)
    except (KeyboardInterrupt, Abort):
        typer.echo("error: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(result if isinstance(result, int) else 0)
