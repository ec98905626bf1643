"""The command line: commands and options only; the work happens in handouts.api and
handouts.build. Commands live in ``documents`` and ``library``, their shared options in ``base``."""

from __future__ import annotations

import contextlib

from handouts.cli import documents, library  # noqa: F401 - importing them adds their commands
from handouts.cli.base import Settings, cli

__all__ = ["Settings", "cli", "main"]


def _register_desk() -> None:
    from handouts.desk.command import serve  # click and the error types only: Flask loads on start

    cli.add_command(serve)


_register_desk()


def _open_standard_streams() -> None:
    """Closed standard streams (``2>&-``) are opened on the null device, so a message has
    somewhere to go and no file Handouts opens can take their place."""
    import os
    import sys

    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        if getattr(sys, name) is None:
            setattr(sys, name, open(fd, mode, closefd=False, encoding="utf-8", errors="replace"))  # noqa: SIM115


def main() -> None:
    import os
    import sys

    from handouts import deferred

    # one command, one thread until the desk starts (which loads them first): modules a run
    # seldom uses load when first used (see handouts/deferred.py)
    deferred.defer_modules()
    _open_standard_streams()
    try:
        cli(prog_name="handouts")
    except OSError as exc:  # standard output is full (> /dev/full) or gone (a closed pipe)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())  # nothing more can be written there, not even at exit
        with contextlib.suppress(OSError):
            sys.stderr.write(f"handouts: cannot write to standard output: {exc.strerror or exc}\n")
        sys.exit(1)
