"""The command line's shared parts: the group, its options and settings, output checks and progress.

Every import of Handouts' own modules is inside the function that needs it, so ``handouts --help``
loads only click: this package is the one place where imports are lazy by design."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from handouts import __version__
from handouts import limits as L

PAPER = click.option(
    "--paper",
    type=click.Choice(L.PAPERS, case_sensitive=False),
    default="a4",
    show_default=True,
    help="Paper size.",
)


def check_language(ctx, param, value):
    """A language code is checked before it names any file; 'all' where the option allows it."""
    if value is None or (value == "all" and "all" in (param.help or "")):
        return value
    from handouts.i18n import language_code

    return language_code(value, f"--{param.name}")


LANG = click.option(
    "--lang",
    default="en",
    show_default=True,
    metavar="CODE",
    callback=check_language,
    help="Language of the document (en, sv, or any with a catalogue and a translation).",
)

FORCE_WRITE = click.option(
    "--force", is_flag=True, help="Write even over a file that is not a PDF, or over an input."
)


LARGE = click.option(
    "--large-print", is_flag=True, help="Large print: body text 18 pt or more, one column, larger pictures."
)


def output_option(default: str):
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        default=default,
        show_default=True,
        help="The PDF to write.",
    )


class Settings:
    def __init__(self, config: str):
        self.config = config

    def library(self, strict: bool = False, lang: str | None = None):
        from handouts import api

        return api.load(self.config, strict=strict, lang=lang)


#: Help text is at most this wide.
HELP_WIDTH = 100


def help_width() -> int:
    """The width click gives help text (the terminal's, less 2, between 50 and HELP_WIDTH - 2),
    worked out as click does but without importing shutil (2 ms of ``handouts --help``)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, HELP_WIDTH) - 2, 50)


@click.group(
    context_settings={
        "help_option_names": ["-h", "--help"],
        "max_content_width": HELP_WIDTH,
        "terminal_width": help_width(),
    }
)
@click.option(
    "--config",
    envvar="HANDOUTS_CONFIG",
    default="exercises.yaml",
    show_default=True,
    metavar="PATH",
    help="The exercise library (or set HANDOUTS_CONFIG).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read and write nothing in the cache folder: validate the library afresh, draw every picture, "
    "find a booklet's pages and every layout choice anew (or set HANDOUTS_NO_CACHE=1).",
)
@click.version_option(__version__, "--version", prog_name="handouts")
@click.pass_context
def cli(ctx: click.Context, config: str, no_cache: bool) -> None:
    """Turn an exercise library written in YAML into printable, branded PDF handouts.

    \b
    Example:
        handouts validate --strict
        handouts sheet wall-angels -o wall-angels.pdf
        handouts build --out out
    """
    if no_cache:
        import os

        os.environ["HANDOUTS_NO_CACHE"] = "1"  # read by the library loader here and in every worker
    ctx.obj = Settings(config)


def inputs_of(settings, lib, *more) -> list[Path]:
    """Every file a command reads: the library, its translations and pictures, and ``more``."""
    files = [Path(settings.config), *more]
    if lib is not None:
        files.append(lib.brand.logo)
        folder = Path(settings.config).parent
        files += sorted(folder.glob(f"{Path(settings.config).stem}.*.yaml"))
        for ex in lib.exercises:
            files += [p.image for p in ex.pictures if p.image]
        files += sorted((folder / "assets").rglob("*")) if (folder / "assets").is_dir() else []
    return [f for f in files if f is not None]


def warn(message: str) -> None:
    """Tell the user something they should know, without stopping (standard error)."""
    click.echo(f"warning: {message}", err=True)


def check_target(settings, lib, target: Path, force: bool, *more, what: str = "PDF") -> None:
    """Refuse to write over an input, or over a file that is not a PDF, unless --force."""
    from handouts.paths import check_output

    check_output(target, inputs_of(settings, lib, *more), force=force, what=what)


def jobs_option(f):
    f = click.option("-q", "--quiet", is_flag=True, help="Print only errors.")(f)
    f = click.option(
        "--jobs",
        "-j",
        type=click.IntRange(1, 256),
        default=None,
        metavar="N",
        help="Worker processes (default: the number of CPUs).",
    )(f)
    return f


def progress_reporter(quiet: bool):
    """A progress callback: a bar with ETA on a terminal, a line per 100 documents elsewhere."""
    import sys

    if quiet:
        return None, lambda: None
    if sys.stderr.isatty():
        state: dict = {}

        def bar(done: int, total: int) -> None:
            if "bar" not in state and total:
                state["bar"] = click.progressbar(
                    length=total, label="Building", show_eta=True, show_pos=True, file=sys.stderr
                )
                state["bar"].__enter__()
                state["at"] = 0
            if "bar" in state:
                state["bar"].update(done - state["at"])
                state["at"] = done

        def close() -> None:
            if "bar" in state:
                state["bar"].__exit__(None, None, None)

        return bar, close

    def lines(done: int, total: int) -> None:
        if done and (done % 100 == 0 or done == total) and total >= 100:
            click.echo(f"{done}/{total} documents", err=True)

    return lines, lambda: None


def report(summary, quiet: bool) -> None:
    if not quiet:
        click.echo(summary.line())
