"""The command line: commands and options only. Work happens in handouts.api."""

from __future__ import annotations

from pathlib import Path

import click

from handouts import __version__

PAPER = click.option(
    "--paper",
    type=click.Choice(["a4", "letter"], case_sensitive=False),
    default="a4",
    show_default=True,
    help="Paper size.",
)


class Settings:
    def __init__(self, config: str):
        self.config = config

    def library(self, strict: bool = False):
        from handouts import api

        return api.load(self.config, strict=strict)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--config",
    envvar="HANDOUTS_CONFIG",
    default="exercises.yaml",
    show_default=True,
    metavar="PATH",
    help="The exercise library (or set HANDOUTS_CONFIG).",
)
@click.version_option(__version__, "--version", prog_name="handouts")
@click.pass_context
def cli(ctx: click.Context, config: str) -> None:
    """Turn an exercise library written in YAML into printable, branded PDF handouts.

    \b
    Example:
        handouts validate --strict
        handouts sheet wall-angels -o wall-angels.pdf
        handouts build --out out
    """
    ctx.obj = Settings(config)


@cli.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_obj
def validate(settings: Settings, strict: bool) -> None:
    """Check the library and report every problem with file, line and column.

    \b
    Example:
        handouts validate --strict
    """
    lib = settings.library(strict=strict)
    for w in lib.warnings:
        click.echo(f"warning: {w}", err=True)
    n = len(lib.exercises)
    click.echo(f"{settings.config}: OK, {n} exercise{'' if n == 1 else 's'}")


@cli.command(name="list")
@click.pass_obj
def list_(settings: Settings) -> None:
    """List the library's exercises: id, name and positions.

    \b
    Example:
        handouts list
    """
    lib = settings.library()
    rows = [("ID", "NAME", "POSITIONS")] + [(e.id, e.name, ", ".join(e.positions)) for e in lib.exercises]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    for r in rows:
        click.echo(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}".rstrip())


@cli.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID [ID ...]")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="A file for one id, a folder for several."
)
@PAPER
@click.pass_obj
def sheet(settings: Settings, ids, output, paper) -> None:
    """Write a one-page sheet for each exercise ID.

    \b
    Example:
        handouts sheet wall-angels -o wall-angels.pdf
        handouts sheet cat-cow childs-pose -o sheets/ --paper letter
    """
    from handouts import api

    lib = settings.library()
    api.check_ids(lib, ids)
    if len(ids) == 1 and output is not None and not output.is_dir() and output.suffix.lower() == ".pdf":
        targets = [output]
    else:
        folder = output or Path(".")
        targets = [folder / f"{i}.pdf" for i in ids]
    api.write_sheets(lib, ids, targets, api.Options(paper=paper.lower()))
    for t in targets:
        click.echo(f"wrote {t}")


@cli.command()
@click.option(
    "--out", "out", default="out", show_default=True, type=click.Path(path_type=Path), help="Output folder."
)
@PAPER
@click.pass_obj
def build(settings: Settings, out: Path, paper: str) -> None:
    """Write every document: out/sheets/<id>.pdf for every exercise, and the booklet.

    \b
    Example:
        handouts build --out out --paper a4
    """
    from handouts import api

    lib = settings.library()
    opts = api.Options(paper=paper.lower())
    targets = [out / "sheets" / f"{i}.pdf" for i in lib.ids]
    api.write_sheets(lib, lib.ids, targets, opts)
    api.write_booklet(lib, out / "booklet.pdf", opts)
    click.echo(f"built {len(targets)} sheets and the booklet in {out}")


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default="booklet.pdf",
    show_default=True,
    help="The PDF to write.",
)
@PAPER
@click.option("--promo", is_flag=True, help="Add the products the library advertises to the back page.")
@click.pass_obj
def booklet(settings: Settings, output: Path, paper: str, promo: bool) -> None:
    """Write the full booklet: introduction, contents, every exercise, evidence, FAQ, log, references.

    \b
    Example:
        handouts booklet -o booklet.pdf --paper letter
    """
    from handouts import api

    lib = settings.library()
    api.write_booklet(lib, output, api.Options(paper=paper.lower()), promo=promo)
    click.echo(f"wrote {output}")


def main() -> None:
    cli(prog_name="handouts")
