"""The command line: commands and options only. Work happens in handouts.api."""

from __future__ import annotations

import contextlib
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


def _language(ctx, param, value):
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
    callback=_language,
    help="Language of the document (en, sv, or any with a catalogue and a translation).",
)

FORCE_WRITE = click.option(
    "--force", is_flag=True, help="Write even over a file that is not a PDF, or over an input."
)


LARGE = click.option(
    "--large-print", is_flag=True, help="Large print: body text 18 pt or more, one column, larger pictures."
)


def _output(default: str):
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
@click.option(
    "--lang",
    default=None,
    metavar="CODE",
    callback=_language,
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

    strict = strict or release
    lib = settings.library(strict=strict)
    checked = [lib]
    for code in api.languages(lib)[1:] if lang == "all" or release else [lang] if lang else []:
        checked.append(api.localised(lib, code, strict))
    if release:
        api.check_release(lib, checked[1:])
    for w in dict.fromkeys(w for one in checked for w in one.warnings):
        click.echo(f"warning: {w}", err=True)
    n = len(lib.exercises)
    langs = "" if len(checked) == 1 else f" in {', '.join(c.document.language for c in checked)}"
    click.echo(f"{settings.config}: OK, {n} exercise{'' if n == 1 else 's'}{langs}")


@cli.command(name="list")
@click.option(
    "--lang", default=None, metavar="CODE", callback=_language, help="Show the names in this language."
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
@click.argument("ids", nargs=-1, required=True, metavar="ID [ID ...]")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="For one ID: the PDF file to write (NAME.pdf), or a folder to write ID.pdf into. "
    "For several: the folder to write each ID.pdf into. Default: the current folder.",
)
@PAPER
@click.option("--patient", metavar="NAME", help="Personalise: the patient's name on the sheet.")
@click.option("--clinician", metavar="NAME", help="Who prescribed it.")
@click.option(
    "--date", "date_", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD", help="Date printed."
)
@click.option("--sets", type=click.IntRange(*L.SETS), help="Sets ({}-{}).".format(*L.SETS))
@click.option("--reps", type=click.IntRange(*L.REPS), help="Repetitions ({}-{}).".format(*L.REPS))
@click.option(
    "--hold",
    type=click.IntRange(*L.HOLD_SECONDS),
    metavar="SECONDS",
    help="Hold in seconds ({}-{}).".format(*L.HOLD_SECONDS),
)
@click.option(
    "--per-week",
    type=click.IntRange(*L.PER_WEEK),
    help="Sessions a week ({}-{}).".format(*L.PER_WEEK),
)
@click.option(
    "--weeks",
    type=click.IntRange(*L.WEEKS),
    help="For how many weeks ({}-{}).".format(*L.WEEKS),
)
@click.option("--note", metavar="TEXT", help="A note for this patient.")
@LANG
@LARGE
@FORCE_WRITE
@click.pass_obj
def sheet(
    settings: Settings,
    ids,
    output,
    paper,
    patient,
    clinician,
    date_,
    sets,
    reps,
    hold,
    per_week,
    weeks,
    note,
    lang,
    large_print,
    force,
) -> None:
    """Write a one-page sheet for each exercise ID, optionally personalised.

    \b
    Example:
        handouts sheet wall-angels -o wall-angels.pdf
        handouts sheet cat-cow childs-pose -o sheets/ --paper letter
        handouts sheet wall-angels --patient "Ann Example" --reps 8 --per-week 3 --weeks 6
    """
    from handouts import api

    lib = settings.library()
    api.check_ids(lib, ids)
    kw = api.personalise(
        lib,
        lang,
        patient=patient,
        clinician=clinician,
        date=date_,
        sets=sets,
        reps=reps,
        hold=hold,
        per_week=per_week,
        weeks=weeks,
        note=note,
    )
    targets = _sheet_targets(ids, output)
    for t in targets:
        _check_output(settings, lib, t, force)
    opts = api.Options(paper=paper.lower(), language=lang, large_print=large_print)
    api.write_sheets(lib, ids, targets, opts, **kw)
    for t in targets:
        click.echo(f"wrote {t}")


def _sheet_targets(ids, output: Path | None) -> list[Path]:
    """What -o means: one ID, a NAME.pdf file or a folder; several IDs, a folder."""
    from handouts.errors import UsageProblem

    if output is not None and str(output) == "-":
        raise UsageProblem("-o -: PDFs are not written to standard output; name a file or a folder")
    if output is None:
        return [Path(f"{i}.pdf") for i in ids]
    is_folder = output.is_dir() or str(output).endswith(("/", "\\"))
    if len(ids) == 1 and not is_folder:
        if output.suffix.lower() != ".pdf":
            raise UsageProblem(
                f"-o {output}: name the PDF to write (ending in .pdf), or a folder ending in / to write "
                f"{ids[0]}.pdf into"
            )
        return [output]
    if not is_folder and output.suffix.lower() == ".pdf":
        raise UsageProblem(f"-o {output}: names one PDF, but {len(ids)} sheets were asked for; name a folder")
    return [output / f"{i}.pdf" for i in ids]


def _inputs(settings, lib, *more) -> list[Path]:
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


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def _check_output(settings, lib, target: Path, force: bool, *more, what: str = "PDF") -> None:
    from handouts.paths import check_output

    check_output(target, _inputs(settings, lib, *more), force=force, what=what)


def _jobs_option(f):
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


def _progress(quiet: bool):
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


def _report(summary, quiet: bool) -> None:
    if not quiet:
        click.echo(summary.line())


@cli.command()
@click.option(
    "--out", "out", default="out", show_default=True, type=click.Path(path_type=Path), help="Output folder."
)
@PAPER
@click.option(
    "--lang",
    default="en",
    show_default=True,
    metavar="CODE",
    callback=_language,
    help="Language; 'all' writes every language with a translation, each to OUT/<lang>/.",
)
@_jobs_option
@click.option("--force", is_flag=True, help="Rebuild everything, even what has not changed.")
@click.option("--prune", is_flag=True, help="Delete outputs of exercises that are no longer in the library.")
@click.option("--shard", metavar="K/N", help="Build only shard K of N (a stable split, for CI matrices).")
@click.option("--large-print", is_flag=True, help="Also write the large-print edition, to OUT/large-print/.")
@click.option(
    "--site", is_flag=True, help="Also write OUT/index.html: a download page with thumbnails, for patients."
)
@click.pass_obj
def build(
    settings: Settings, out: Path, paper: str, lang: str, jobs, quiet, force, prune, shard, large_print, site
) -> None:
    """Write every document: OUT/sheets/<id>.pdf for every exercise, and OUT/booklet.pdf.

    Only what changed since the last build is rebuilt: a manifest in OUT records a
    fingerprint of everything that decides each file's bytes.

    \b
    Example:
        handouts build --out out --paper a4
        handouts build --lang all --jobs 2
        handouts build --shard 1/4 --force
        handouts build --lang all --large-print --site
    """
    from handouts import api
    from handouts import build as b
    from handouts.errors import BuildError

    lib = settings.library()
    part = b.parse_shard(shard)
    langs = api.languages(lib) if lang == "all" else [lang]
    for code in langs:
        api.localised(lib, code)  # a bad translation stops the build before any work
    plan = b.plan_build(lib, langs, paper.lower(), False, nested=lang == "all")
    if large_print:
        plan += b.plan_build(lib, langs, paper.lower(), True, nested=lang == "all")
    todo = [j for j in plan if b.in_shard(j.target, part)]
    progress, close = _progress(quiet)
    try:
        summary = b.run(lib, settings.config, todo, out, workers=jobs, force=force, progress=progress)
    finally:
        close()
    stale = b.stale_outputs(out, plan, part)
    if stale and prune:
        removed, kept = b.prune(out, stale)
        if removed and not quiet:
            click.echo(f"removed {len(removed)} stale output(s): {', '.join(removed)}")
        if kept:
            click.echo(f"left alone (changed since Handouts wrote them): {', '.join(kept)}", err=True)
    elif stale:
        click.echo(f"stale: {', '.join(stale)} (no longer in the library; --prune removes them)", err=True)
    if site:
        from handouts.site import write_site

        pages = write_site(out, lib, plan, force=force)
        if pages and not quiet:
            click.echo(f"download page: {out / 'index.html'} ({len(pages)} file(s) written)")
    _report(summary, quiet)
    if summary.failed:
        raise BuildError("\n".join(summary.failed) + f"\n{len(summary.failed)} document(s) failed")


@cli.command()
@_output("booklet.pdf")
@PAPER
@click.option("--promo", is_flag=True, help="Add the products the library advertises to the back page.")
@LANG
@LARGE
@FORCE_WRITE
@click.pass_obj
def booklet(
    settings: Settings, output: Path, paper: str, promo: bool, lang: str, large_print: bool, force: bool
) -> None:
    """Write the full booklet: introduction, contents, every exercise, evidence, FAQ, log, references.

    \b
    Example:
        handouts booklet -o booklet.pdf --paper letter
    """
    from handouts import api

    lib = settings.library()
    _check_output(settings, lib, output, force)
    opts = api.Options(paper=paper.lower(), language=lang, large_print=large_print)
    api.write_booklet(lib, output, opts, promo=promo)
    click.echo(f"wrote {output}")


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="The PDF to write (default: FILE with .pdf)."
)
@click.option(
    "--paper",
    type=click.Choice(L.PAPERS, case_sensitive=False),
    default=None,
    help="Paper size (default: the file's paper:, else a4).",
)
@click.option(
    "--lang",
    default=None,
    metavar="CODE",
    callback=_language,
    help="Language (default: the file's lang:, else en).",
)
@LARGE
@FORCE_WRITE
@click.pass_obj
def program(
    settings: Settings,
    file: Path,
    output: Path | None,
    paper: str | None,
    lang: str | None,
    large_print: bool,
    force: bool,
) -> None:
    """Write one patient's programme: a summary, a page per exercise with their dose, and a log.

    \b
    Example:
        handouts program examples/programme.yaml -o ann.pdf
    """
    from handouts import api

    lib = settings.library()
    target = output or file.with_suffix(".pdf")
    _check_output(settings, lib, target, force, file)
    api.write_program(lib, file, target, paper.lower() if paper else None, lang, large_print, warn=_warn)
    click.echo(f"wrote {target}")


@cli.command()
@click.argument("csv_file", metavar="PATIENTS.csv", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default="out/programmes",
    show_default=True,
    help="Output folder.",
)
@PAPER
@click.option(
    "--lang",
    default=None,
    metavar="CODE",
    callback=_language,
    help="Language for rows without a lang column value.",
)
@_jobs_option
@click.option("--force", is_flag=True, help="Rebuild every programme, even unchanged ones.")
@click.pass_obj
def batch(settings: Settings, csv_file: Path, out: Path, paper: str, lang, jobs, quiet, force) -> None:
    """Write one programme PDF per row of a CSV export (see the README for the columns).

    Bad rows are reported with their line and column; the others are still built,
    and the exit code is 1 when any row failed.

    \b
    Example:
        handouts batch examples/patients.csv --out out/programmes --jobs 2
    """
    from handouts import build as b
    from handouts.errors import PartialFailure

    lib = settings.library()
    from handouts.batch import plan_batch

    plan, errors = plan_batch(lib, csv_file, paper.lower(), lang, warn=_warn)
    progress, close = _progress(quiet)
    try:
        summary = b.run(lib, settings.config, plan, out, workers=jobs, force=force, progress=progress)
    finally:
        close()
    errors += summary.failed
    total = len(plan) + len(errors) - len(summary.failed)
    built = len(summary.built) + len(summary.unchanged)
    _report(summary, quiet)
    if errors:
        raise PartialFailure(
            "\n".join(errors) + f"\nbuilt {built} of {total} programmes; {len(errors)} failed"
        )
    if not quiet:
        click.echo(f"built {built} of {total} programmes in {out}")


@cli.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@_output("figures.pdf")
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
    _check_output(settings, lib, output, force)
    api.write_contact_sheet(lib, output, paper.lower(), ids)
    click.echo(f"wrote {output}")


@cli.command(name="translate-template")
@click.option(
    "--lang", required=True, metavar="CODE", callback=_language, help="The new language's code, e.g. de."
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
    from handouts.schema import dumps

    click.echo(dumps(kind), nl=False)


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

    _open_standard_streams()
    try:
        cli(prog_name="handouts")
    except OSError as exc:  # standard output is full (> /dev/full) or gone (a closed pipe)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())  # nothing more can be written there, not even at exit
        with contextlib.suppress(OSError):
            sys.stderr.write(f"handouts: cannot write to standard output: {exc.strerror or exc}\n")
        sys.exit(1)
