"""Commands about the library itself: validate, list, figures, translate-template, init and schema."""

from __future__ import annotations

from pathlib import Path

import click

from handouts.cli.base import (
    FORCE_WRITE,
    PAPER,
    Settings,
    check_language,
    check_target,
    cli,
    output_option,
)


@cli.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--lang",
    default=None,
    metavar="CODE",
    callback=check_language,
    help="Also check the translation into this language ('all' for every one).",
)
@click.option(
    "--release",
    is_flag=True,
    help="For a release: --strict, every language, and clinical content not yet reviewed is an error.",
)
@click.pass_obj
def validate(settings: Settings, strict: bool, lang: str | None, release: bool) -> None:
    """Check the library and report every problem with file, line and column.

    \b
    Example:
        handouts validate --strict
        handouts validate --strict --lang sv
        handouts validate --release
    """
    from handouts import api
    from handouts.errors import counted

    strict = strict or release
    lib = settings.library(strict=strict)
    checked = [lib]
    for code in api.languages(lib)[1:] if lang == "all" or release else [lang] if lang else []:
        checked.append(api.localised(lib, code, strict))
    if release:
        from handouts.read.release import check_release

        check_release(lib, checked[1:])
    for w in dict.fromkeys(w for one in checked for w in one.warnings):
        click.echo(f"warning: {w}", err=True)
    n = len(lib.exercises)
    langs = "" if len(checked) == 1 else f" in {', '.join(c.document.language for c in checked)}"
    click.echo(f"{settings.config}: OK, {counted(n, 'exercise')}{langs}")


@cli.command(name="list")
@click.option(
    "--lang", default=None, metavar="CODE", callback=check_language, help="Show the names in this language."
)
@click.pass_obj
def list_(settings: Settings, lang: str | None) -> None:
    """List the library's exercises: id, name and positions.

    \b
    Example:
        handouts list
        handouts list --lang sv
    """
    lib = settings.library(lang=lang)
    rows = [("ID", "NAME", "POSITIONS")] + [(e.id, e.name, ", ".join(e.positions)) for e in lib.exercises]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    for r in rows:
        click.echo(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}".rstrip())


@cli.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@output_option("figures.pdf")
@PAPER
@FORCE_WRITE
@click.pass_obj
def figures(settings: Settings, ids, output: Path, paper: str, force: bool) -> None:
    """Write a contact sheet of every exercise's picture panels (or only those of each ID), for
    authors: each panel with its number, caption, steps, camera and alt text.

    \b
    Example:
        handouts figures -o figures.pdf
        handouts figures thread-the-needle -o thread.pdf
    """
    from handouts import api

    lib = settings.library()
    check_target(settings, lib, output, force)
    api.write_contact_sheet(lib, output, paper.lower(), ids)
    click.echo(f"wrote {output}")


@cli.command(name="translate-template")
@click.option(
    "--lang", required=True, metavar="CODE", callback=check_language, help="The new language's code, e.g. de."
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Default: the library's name with .CODE.yaml."
)
@click.option("--force", is_flag=True, help="Replace the file if it exists (a finished translation is lost).")
@click.pass_obj
def translate_template(settings: Settings, lang: str, output: Path | None, force: bool) -> None:
    """Write a ready-to-fill translation file with every key, its English text and reviewed: false.

    \b
    Example:
        handouts translate-template --lang de
    """
    from handouts import api

    lib = settings.library()
    target = api.write_translation_template(lib, lang, output, force=force)
    click.echo(f"wrote {target}")


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path), default=".", required=False)
@click.option("--minimal", is_flag=True, help="One exercise with one step and no pictures, commented.")
@click.option("--force", is_flag=True, help="Overwrite files that exist already.")
def init(directory: Path, minimal: bool, force: bool) -> None:
    """Start a clinic's library in DIRECTORY: the shipped library, its pictures, examples and CI.

    Writes exercises.yaml (the upper-back-pain library, ready to build), assets/,
    exercises.sv.yaml, an example programme and patients CSV, a CI workflow, JSON schemas
    for editors, a .gitignore for out/ and a README that says what to edit first. Existing
    files are listed and left alone unless --force.

    \b
    Example:
        handouts init my-clinic
        cd my-clinic && handouts validate --strict && handouts build --out out
        handouts init --minimal from-scratch
    """
    from handouts.starter import init as write_starter

    written = write_starter(directory, minimal=minimal, force=force)
    click.echo(f"wrote {len(written)} files into {directory}")
    click.echo(f"next: cd {directory}, edit brand: in exercises.yaml (see README.md), then run")
    click.echo("  handouts validate --strict && handouts build --out out")


@cli.command()
@click.argument("kind", type=click.Choice(["library", "programme"]), default="library", required=False)
def schema(kind: str) -> None:
    """Print the JSON Schema (draft 2020-12) of the library file or of programme files.

    Editors with a YAML language server use it to complete keys and flag mistakes as you type;
    `handouts validate` remains the full check.

    \b
    Example:
        handouts schema library > schemas/library.schema.json
        handouts schema programme > schemas/programme.schema.json
    """
    from handouts.read.schema import dumps

    click.echo(dumps(kind), nl=False)
