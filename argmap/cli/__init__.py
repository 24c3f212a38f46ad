"""The ``argmap`` command line: thin typer commands over the library.

``common`` holds the app, shared options and the error handling; each command
module registers its commands on import. This is the one place errors become
messages and exit codes: 0 ok, 1 findings, 2 bad usage or input.
"""

from __future__ import annotations

import os
import sys

import typer

from argmap.cli import check, corrections, evaluate, maps, stats, train
from argmap.cli.common import app

__all__ = ["app", "main"]
_COMMAND_MODULES = (maps, evaluate, train, corrections, check, stats)
_INTERRUPTED = 130
"""The exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it."""


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
        result = _INTERRUPTED
    except BrokenPipeError:
        sys.exit(0)
    except RecursionError:
        typer.echo("error: the input is nested too deeply to read", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug: still one line, with a way to see the traceback
        if os.environ.get("ARGMAP_DEBUG"):
            raise
        typer.echo(
            f"error: internal error ({type(exc).__name__}: {exc}); please report it "
            "(set ARGMAP_DEBUG=1 to see the traceback)",
            err=True,
        )
        sys.exit(2)
    if result == _INTERRUPTED:  # typer turns Ctrl-C in a command into a silent Exit(130)
        typer.echo("error: interrupted", err=True)
        sys.exit(_INTERRUPTED)
    _flush_stdout()
    sys.exit(result if isinstance(result, int) else 0)


def _flush_stdout() -> None:
    """Flush now, so a full or closed stdout is one error line, not a shutdown traceback."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except (OSError, ValueError) as exc:
        _silence_stdout()
        typer.echo(f"error: cannot write to standard output ({exc})", err=True)
        sys.exit(2)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's own final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
