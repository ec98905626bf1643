"""The one way to make a document: ``render(lib, doc)`` gives the PDF's bytes. It says which
renderer makes which kind; the CLI's writers, the build's workers, the desk and the benchmarks
all call it."""

from __future__ import annotations

from dataclasses import field

from handouts.i18n import labels as catalogue
from handouts.model import Library
from handouts.pdf.writer import fixed_time, source_date_epoch
from handouts.records import record


@record
class Options:
    """How a document is printed: paper, language and edition."""

    paper: str = "a4"
    language: str = "en"
    large_print: bool = False


@record
class Document:
    """One document to render: 'sheet' (of ``exercise``, personalised by ``personal``: rx,
    prepared, schedule), 'booklet' (with ``promo``) or 'program' (of ``program``)."""

    kind: str
    options: Options = Options()
    exercise: str | None = None
    program: object = None
    promo: bool = False
    personal: dict = field(default_factory=dict, compare=False)


_CONTEXTS: dict = {}


def context(lib: Library, opts: Options):
    """The theme and labels for a brand and options, built once per process."""
    key = (lib.brand, opts)
    if key not in _CONTEXTS:
        from handouts.render.theme import build_theme  # lazy: reportlab loads only to draw

        _CONTEXTS[key] = (
            build_theme(lib.brand, opts.paper, opts.large_print, opts.language),
            catalogue(opts.language),
        )
    return _CONTEXTS[key]


def render(lib: Library, doc: Document) -> bytes:
    """The PDF of ``doc`` from ``lib`` (already in the document's language), its timestamp fixed
    (SOURCE_DATE_EPOCH or the library's review date)."""
    if lib.document.language != doc.options.language:
        raise ValueError(
            f"the library is in {lib.document.language!r}, the document in {doc.options.language!r}"
        )
    theme, labels = context(lib, doc.options)
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        if doc.kind == "sheet":
            from handouts.render.sheet import render_sheet  # lazy: each kind loads only its renderer

            return render_sheet(lib, lib.exercise(doc.exercise), theme, labels, **doc.personal)
        if doc.kind == "booklet":
            from handouts.render.booklet import render_booklet  # lazy: as above

            return render_booklet(lib, theme, labels, promo=doc.promo)
        if doc.kind == "program":
            from handouts.render.programme import render_program  # lazy: as above

            return render_program(lib, doc.program, theme, labels)
    raise ValueError(f"no document of kind {doc.kind!r}")
