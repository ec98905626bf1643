"""The download page: ``handouts build --site`` writes OUT/index.html beside the PDFs.

Static files only: one page per language listing the booklet, every sheet with a
thumbnail of its first page, the large-print edition and the other languages, with
relative links, so it works from a folder, a USB stick (file://) or any web host, with
no script. Thumbnails are rendered with pypdfium2. Like the rest of the build it is
incremental: the manifest's ``site`` section records a fingerprint of every page and
thumbnail, and only what changed is written (atomically, and only inside OUT).
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import posixpath
from pathlib import Path

from handouts.errors import BuildError, UsageProblem
from handouts.i18n import labels, language_name
from handouts.manifest import locked, read_manifest, write_manifest
from handouts.model import Library
from handouts.paths import confine, is_regular_file
from handouts.pdf.writer import write_atomic
from handouts.read.translation import localised
from handouts.records import record

#: Bump when the thumbnails' look changes, so every one is remade.
THUMB_VERSION = 1
THUMB_WIDTH = 240  # pixels
THUMBS = "thumbs"


@record
class Entry:
    """One PDF on the page."""

    target: str  # relative to OUT, with /
    name: str
    aka: tuple[str, ...]
    pages: int
    size: int
    thumb: str  # relative to OUT


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _size(n: int, lab) -> str:
    if n < 1000 * 1000:
        return f"{max(1, round(n / 1000))} kB"
    return f"{n / 1e6:.1f} MB".replace(".", lab("site_decimal"))


def _thumbnail(pdf: Path) -> tuple[bytes, int]:
    """A PNG of the first page, THUMB_WIDTH pixels wide, and the page count."""

    doc = _open_pdf(pdf, "make a thumbnail of")
    try:
        page = doc[0]
        width = page.get_width()
        image = page.render(scale=THUMB_WIDTH / width).to_pil().convert("RGB")
        count = len(doc)
    finally:
        doc.close()
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=True)
    return buf.getvalue(), count


def _open_pdf(pdf: Path, doing: str):
    pdfium = _pdfium()
    try:
        return pdfium.PdfDocument(str(pdf))
    except (pdfium.PdfiumError, OSError) as exc:
        raise BuildError(f"cannot {doing} {pdf}: {exc}") from None


def _pdfium():
    try:  # lazy: only the download page draws thumbnails
        import pypdfium2
    except ImportError:
        raise UsageProblem("--site needs pypdfium2 for the thumbnails: pip install pypdfium2") from None
    return pypdfium2


def _page_count(pdf: Path) -> int:
    doc = _open_pdf(pdf, "read")
    try:
        return len(doc)
    finally:
        doc.close()


def write_site(out: Path, lib: Library, jobs, force: bool = False) -> list[Path]:
    """Write the download page(s) and thumbnails for the outputs of ``jobs`` found in ``out``.

    ``jobs`` is the build's whole plan (build.plan_build); outputs not on disk (another
    shard's, a failed one) are left off. Returns the files written; unchanged ones are not
    rewritten. A file in the way that this function did not write (or that was changed since)
    is never replaced without ``force``.
    """

    with locked(Path(out)):
        return _write_site(Path(out), lib, jobs, force)


def _file_sha(path: Path) -> str | None:
    return _sha(path.read_bytes()) if is_regular_file(path) else None


class _Files:
    """The page's files: each written only when the file there is not the one recorded for its
    fingerprint; what the last build wrote and this one does not is deleted if still unchanged."""

    def __init__(self, out: Path, force: bool):
        self.out, self.force = out, force
        self.recorded: dict = read_manifest(out).get("site", {})
        self.site: dict = {}
        self.written: list[Path] = []

    def put(self, rel: str, fp: str, make) -> None:
        """Write ``rel`` with ``make()`` unless the file there is the one recorded for ``fp``."""
        path = confine(self.out, rel)
        entry = self.recorded.get(rel, "")
        was_fp, _, was_sha = entry.partition(":")
        exists = os.path.lexists(path)
        sha = _file_sha(path) if exists else None
        ours = exists and sha is not None and sha == was_sha
        if ours and was_fp == fp and not self.force:
            self.site[rel] = entry
            return
        if exists and not ours and not self.force:
            raise UsageProblem(
                f"{path}: not written by handouts build --site, or changed since; "
                "move it away, or use --force to replace it"
            )
        data = make()
        write_atomic(path, data)
        self.site[rel] = f"{fp}:{_sha(data)}"
        self.written.append(path)

    def finish(self) -> None:
        for rel, entry in self.recorded.items():
            if rel in self.site:
                continue
            # an exercise that left the library, or a language no longer built: delete it only
            # when it is still the very file written here
            try:
                path = confine(self.out, rel)
            except UsageProblem:
                continue
            if _file_sha(path) == entry.partition(":")[2]:
                path.unlink()
        if self.site != self.recorded:
            manifest = read_manifest(self.out)
            manifest["site"] = self.site
            write_manifest(self.out, manifest)


def _entries(files: _Files, lib: Library, jobs) -> dict[tuple[str, bool, str], list[Entry]]:
    """Every built sheet and booklet with its thumbnail (written when it changed), by language,
    edition and kind."""
    entries: dict[tuple[str, bool, str], list[Entry]] = {}
    for job in jobs:
        pdf = confine(files.out, job.target)
        if job.kind not in ("sheet", "booklet") or not is_regular_file(pdf):
            continue
        data = pdf.read_bytes()
        thumb = f"{THUMBS}/{job.target[: -len('.pdf')]}.png"
        fp = _sha(repr((THUMB_VERSION, THUMB_WIDTH, _sha(data))).encode())
        made: dict = {}

        def make(pdf=pdf, made=made) -> bytes:
            png, made["pages"] = _thumbnail(pdf)
            return png

        files.put(thumb, fp, make)
        pages = made.get("pages") or _page_count(pdf)
        loc = localised(lib, job.language)
        if job.kind == "booklet":
            name, aka = loc.document.title, ()
        else:
            ex = loc.exercise(job.exercise)
            name, aka = ex.name, ex.also_known_as
        key = (job.language, job.large_print, job.kind)
        entries.setdefault(key, []).append(Entry(job.target, name, aka, pages, len(data), thumb))
    return entries


def _page_folders(jobs, langs: list[str]) -> list[tuple[str, str]]:
    """(language, folder) of every page: OUT/index.html in the first language, and with
    languages in folders, one page per language folder too."""
    nested = bool(jobs) and all(j.target.startswith(f"{j.language}/") for j in jobs)
    if not langs:
        return []
    if not nested:
        return [(langs[0], "")]
    return [(langs[0], ""), *((lang, lang) for lang in langs)]


def _write_site(out: Path, lib: Library, jobs, force: bool) -> list[Path]:
    files = _Files(out, force)
    langs = list(dict.fromkeys(j.language for j in jobs))
    entries = _entries(files, lib, jobs)
    folders = _page_folders(jobs, langs)
    page_dirs = {lang: d for lang, d in folders if d}
    for lang, folder in folders:
        others = [(m, page_dirs[m]) for m in langs if m != lang and m in page_dirs]
        data = render_page(localised(lib, lang), lang, folder, entries, others).encode("utf-8")
        files.put(
            posixpath.join(folder, "index.html") if folder else "index.html", _sha(data), lambda d=data: d
        )
    files.finish()
    return files.written


def _rel(target: str, folder: str) -> str:
    return posixpath.relpath(target, folder or ".")


def render_page(lib: Library, lang: str, folder: str, entries: dict, others: list[tuple[str, str]]) -> str:
    """One language's download page, as HTML text (every value escaped)."""

    lab = labels(lang)
    e = html.escape

    def meta(entry: Entry) -> str:
        pages = lab("site_page") if entry.pages == 1 else lab("site_pages", n=entry.pages)
        return lab("site_meta", pages=pages, size=_size(entry.size, lab))

    def card(entry: Entry, heading: str = "h3") -> str:
        aka = f'<p class="aka">{e(lab("also_called", names=", ".join(entry.aka)))}</p>' if entry.aka else ""
        return (
            f'<li class="card"><a href="{e(_rel(entry.target, folder))}" type="application/pdf">'
            f'<img src="{e(_rel(entry.thumb, folder))}" alt="{e(lab("site_thumb_alt", name=entry.name))}" '
            f'width="{THUMB_WIDTH // 2}" height="{round(THUMB_WIDTH // 2 * 1.414)}">'
            f'<{heading} class="name">{e(entry.name)}</{heading}></a>{aka}'
            f'<p class="meta">{e(meta(entry))}</p></li>'
        )

    def group(large: bool) -> str:
        parts = []
        booklet = entries.get((lang, large, "booklet"), [])
        sheets = entries.get((lang, large, "sheet"), [])
        if booklet:
            parts.append(
                f'<h{3 if large else 2} id="{"lp-" if large else ""}booklet">{e(lab("site_booklet"))}</h{3 if large else 2}>'
                '<div class="lead"><ul class="cards booklet">'
                + "".join(card(b, "h4" if large else "h3") for b in booklet)
                + f"</ul><p>{e(lab('site_booklet_note'))}</p></div>"
            )
        if sheets:
            parts.append(
                f'<h{3 if large else 2} id="{"lp-" if large else ""}sheets">{e(lab("site_sheets"))}</h{3 if large else 2}>'
                '<ul class="cards">' + "".join(card(s, "h4" if large else "h3") for s in sheets) + "</ul>"
            )
        return "".join(parts)

    body = [group(False)]
    large = group(True)
    if large:
        body.append(
            f'<section aria-labelledby="large-print"><h2 id="large-print">{e(lab("site_large_print"))}</h2>'
            f"<p>{e(lab('site_large_print_note'))}</p>{large}</section>"
        )
    if others:
        links = "".join(
            f'<li><a href="{e(_rel(posixpath.join(d, "index.html"), folder))}" hreflang="{e(m)}" lang="{e(m)}">'
            f"{e(language_name(m))}</a></li>"
            for m, d in others
        )
        body.append(
            f'<section aria-labelledby="languages"><h2 id="languages">{e(lab("site_languages"))}</h2>'
            f'<ul class="languages">{links}</ul></section>'
        )
    return _html(lib, lang, lab, body)


def _html(lib: Library, lang: str, lab, body: list[str]) -> str:
    """The page around its body: head, brand band, title, notice, footer."""
    e = html.escape
    c = lib.brand.colours
    doc = lib.document
    unreviewed = "" if lib.translation_reviewed else f'<p class="notice">{e(lab("unreviewed"))}</p>'
    footer = e(lab("footer_version", version=doc.version, date=lab.date(doc.last_reviewed)))
    style = STYLE.format(
        primary=c.primary,
        on_primary=c.on_primary,
        text=c.text,
        muted=c.muted,
        background=c.background,
        panel=c.panel,
        safety=c.safety,
        safety_panel=c.safety_panel,
    )
    return (
        "<!doctype html>\n"
        f'<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(doc.title)} – {e(lab('site_heading'))}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        f'<header class="band"><p class="org">{e(lib.brand.organisation)}</p></header>\n'
        f'<main>\n<h1>{e(doc.title)}</h1>\n<p class="subtitle">{e(doc.subtitle)}</p>\n{unreviewed}'
        f'<p class="intro"><strong>{e(lab("site_heading"))}.</strong> {e(lab("site_intro"))}</p>\n'
        + "\n".join(body)
        + f"\n</main>\n<footer><p>{e(lib.brand.contact)}</p><p>{footer}</p></footer>\n</body>\n</html>\n"
    )


STYLE = """
*,*::before,*::after{{box-sizing:border-box}}
body{{margin:0;color:{text};background:{background};font:1.125rem/1.5 "Atkinson Hyperlegible",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}}
.band{{background:{primary};color:{on_primary};padding:.75rem 1.25rem}}
.band p{{margin:0;font-weight:700;font-size:1.2rem}}
main{{max-width:72rem;margin:0 auto;padding:1rem 1.25rem 2rem}}
h1{{font-size:2rem;margin:.5rem 0 0}}
h2{{font-size:1.5rem;margin:2rem 0 .5rem;border-bottom:3px solid {primary};padding-bottom:.25rem}}
h3{{font-size:1.25rem;margin:1.25rem 0 .5rem}}
.subtitle{{color:{muted};margin:.25rem 0 1rem}}
.notice{{border:3px solid {safety};background:{safety_panel};padding:.5rem .75rem;font-weight:700}}
.cards{{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:1rem}}
.lead{{display:flex;flex-wrap:wrap;gap:1rem 1.5rem;align-items:flex-start}}
.lead .cards{{grid-template-columns:minmax(11rem,14rem);flex:0 1 14rem}}
.lead p{{flex:1 1 16rem;margin:0;max-width:40rem}}
.card{{border:1px solid {muted};border-radius:.5rem;padding:.75rem;background:{panel}}}
.card a{{color:{text};text-decoration:none;display:block}}
.card a:hover .name,.card a:focus .name{{text-decoration:underline}}
.card img{{display:block;width:100%;height:auto;border:1px solid {muted};background:#fff}}
.card .name{{font-size:1.15rem;margin:.5rem 0 0;color:{primary}}}
.aka,.meta{{margin:.25rem 0 0;color:{muted};font-size:1rem}}
.languages a,footer a{{color:{primary};font-weight:700}}
a:focus-visible{{outline:3px solid {primary};outline-offset:3px}}
footer{{border-top:1px solid {muted};max-width:72rem;margin:0 auto;padding:1rem 1.25rem;color:{muted};font-size:1rem}}
@media print{{.band{{background:none;color:{text}}}.card{{break-inside:avoid}}}}
"""
