"""Every error Handouts reports to a user.

All of them subclass click.ClickException, so the CLI prints the message and
exits with the code below; no command needs a try/except of its own.
"""

from __future__ import annotations

import click

from handouts.records import record

#: Exit code for bad input (library, programme, options, environment).
EXIT_INPUT = 2
#: Exit code for a batch in which some rows failed and others were built.
EXIT_PARTIAL = 1


def counted(n: int, noun: str) -> str:
    """'1 error', '2 errors': a count and its noun, for messages (nouns that take an s)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@record
class Problem:
    """One thing wrong with one place in one file."""

    file: str
    line: int | None
    col: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class HandoutsError(click.ClickException):
    """Base class: a message for the user and exit code 2."""

    exit_code = EXIT_INPUT

    def show(self, file=None) -> None:  # noqa: D102 - click API
        click.echo(self.format_message(), err=True, file=file)


class ValidationError(HandoutsError):
    """One or more problems in an input file, all reported at once."""

    def __init__(self, problems: list[Problem], file: str):
        self.problems = list(problems)
        self.file = file
        n = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{counted(n, 'error')} in {file}")
        super().__init__("\n".join(lines))


class UsageProblem(HandoutsError):
    """A bad option or argument that click itself cannot catch."""


class LayoutError(HandoutsError):
    """Content that does not fit the page it must fit."""


class BuildError(HandoutsError):
    """A document could not be written."""


class ResourceMissing(HandoutsError):
    """A file Handouts ships inside its package is not there: a broken or partial install."""

    def __init__(self, name: str, reason: str = "not found in the installed package"):
        super().__init__(f"{name}: {reason}; reinstall Handouts (pip install --force-reinstall handouts)")


class Interrupted(HandoutsError):
    """Ctrl-C or SIGTERM stopped a build; what was built is recorded. Exit code 130, as shells use."""

    exit_code = 130

    def __init__(self, built: int, left: int, out):
        super().__init__(
            f"interrupted: {built} document(s) built and recorded in {out}, {left} not built; "
            "run the same command again to finish"
        )


class PartialFailure(HandoutsError):
    """Some items of a batch failed; the others were built."""

    exit_code = EXIT_PARTIAL
