"""Commands that write documents: sheet, booklet, program, build and batch."""

from __future__ import annotations

from pathlib import Path

import click

from handouts import limits as L
from handouts.cli.base import (
    FORCE_WRITE,
    LANG,
    LARGE,
    PAPER,
    Settings,
    check_language,
    check_target,
    cli,
    jobs_option,
    output_option,
    progress_reporter,
    report,
    warn,
)


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
    from handouts.read.flags import personalise

    kw = personalise(
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
    for i in ids if kw else ():
        from handouts.compose import unprescribed_reps

        why = unprescribed_reps(lib.exercise(i), kw["rx"])
        if why is not None:
            warn(f"'{i}' {why}; use --reps N to prescribe them")
    targets = sheet_targets(ids, output)
    for t in targets:
        check_target(settings, lib, t, force)
    opts = api.Options(paper=paper.lower(), language=lang, large_print=large_print)
    api.write_sheets(lib, ids, targets, opts, **kw)
    for t in targets:
        click.echo(f"wrote {t}")


def sheet_targets(ids, output: Path | None) -> list[Path]:
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
    callback=check_language,
    help="Language; 'all' writes every language with a translation, each to OUT/<lang>/.",
)
@jobs_option
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
    progress, close = progress_reporter(quiet)
    try:
        done = b.build_library(
            lib,
            settings.config,
            out,
            api.languages(lib) if lang == "all" else [lang],
            paper.lower(),
            large_print=large_print,
            nested=lang == "all",
            shard=b.parse_shard(shard),
            workers=jobs,
            force=force,
            prune_stale=prune,
            site=site,
            progress=progress,
        )
    finally:
        close()
    if done.removed and not quiet:
        click.echo(f"removed {len(done.removed)} stale output(s): {', '.join(done.removed)}")
    if done.kept:
        click.echo(f"left alone (changed since Handouts wrote them): {', '.join(done.kept)}", err=True)
    if done.stale and not prune:
        click.echo(
            f"stale: {', '.join(done.stale)} (no longer in the library; --prune removes them)", err=True
        )
    if done.site and not quiet:
        click.echo(f"download page: {out / 'index.html'} ({len(done.site)} file(s) written)")
    summary = done.summary
    report(summary, quiet)
    if summary.failed:
        raise BuildError("\n".join(summary.failed) + f"\n{len(summary.failed)} document(s) failed")


@cli.command()
@output_option("booklet.pdf")
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
    check_target(settings, lib, output, force)
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
    callback=check_language,
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
    check_target(settings, lib, target, force, file)
    api.write_program(lib, file, target, paper.lower() if paper else None, lang, large_print, warn=warn)
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
    callback=check_language,
    help="Language for rows without a lang column value.",
)
@jobs_option
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
    progress, close = progress_reporter(quiet)
    try:
        summary, errors, total = b.build_batch(
            lib,
            settings.config,
            csv_file,
            out,
            paper.lower(),
            lang,
            warn=warn,
            workers=jobs,
            force=force,
            progress=progress,
        )
    finally:
        close()
    built = len(summary.built) + len(summary.unchanged)
    report(summary, quiet)
    if errors:
        raise PartialFailure(
            "\n".join(errors) + f"\nbuilt {built} of {total} programmes; {len(errors)} failed"
        )
    if not quiet:
        click.echo(f"built {built} of {total} programmes in {out}")
