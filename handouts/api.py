"""The library layer the CLI and the desk call: load a library, write documents. No click here."""

from __future__ import annotations

import difflib
import io
from pathlib import Path

from handouts.errors import UsageProblem
from handouts.model import Library
from handouts.pdf.writer import write_atomic
from handouts.read import cache, record
from handouts.render.document import Document, Options, context, render

__all__ = ["Options", "languages", "localised"]  # what callers of the library layer use from below

# The readers (YAML, validation, figure posing) load only when a command needs them: a library from
# the cache needs none of them, which is most of a cold `handouts sheet`'s start-up.


def load(config: str, strict: bool = False, lang: str | None = None) -> Library:
    lib = cache.usable(config, strict)
    if lib is None:
        from handouts.read.library import validate_library  # lazy: validation only when the cache misses

        lib = validate_library(config, strict=strict)
    return localised(lib, lang, strict) if lang else lib


def localised(lib: Library, lang: str | None, strict: bool = False) -> Library:
    """The library in ``lang`` (see :func:`handouts.read.translation.localised`), from the cache when
    ``lib`` was read in this process and neither it nor the translation has changed since."""
    if not lang or lang == lib.document.language:
        return lib
    base_files = cache.files_of(lib)
    if base_files is not None:
        hit = _TRANSLATED.get((id(lib), lang, strict))
        if hit is not None and hit[0] is lib:
            return hit[1]
        found = cache.usable(lib.path, strict, lang)
        if found is not None:
            _TRANSLATED[(id(lib), lang, strict)] = (lib, found)
            return found
    from handouts.read.translation import localised as translated  # lazy: only for another language

    with record.recording() as files:
        out = translated(lib, lang, strict)
    if base_files is not None and files:  # files is empty when the translation was read before
        cache.write(lib.path, out, {**base_files, **files}, lang)
    return out


#: (library id, language, strict) -> (library, its translation) read from the cache in this process.
_TRANSLATED: dict[tuple, tuple] = {}


def languages(lib: Library) -> list[str]:
    from handouts.read.translation import languages as found  # lazy: as above

    return found(lib)


def load_program(path: Path, lib: Library):
    from handouts.read.programme import load_program as read  # lazy: only the programme commands

    return read(path, lib)


def check_ids(lib: Library, ids) -> None:
    for i in ids:
        if i not in lib.ids:
            close = difflib.get_close_matches(i, lib.ids, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise UsageProblem(f"no exercise with id '{i}'.{hint} Valid ids: {', '.join(lib.ids)}")


def write_sheets(lib: Library, ids, targets: list[Path], opts: Options, **personal) -> list[Path]:
    lib = localised(lib, opts.language)
    rendered = [
        (t, render(lib, Document("sheet", opts, exercise=i, personal=personal)))
        for i, t in zip(ids, targets, strict=True)
    ]
    for target, data in rendered:
        write_atomic(target, data)
    return targets


def write_booklet(lib: Library, target: Path, opts: Options, promo: bool = False) -> Path:
    write_atomic(target, render(localised(lib, opts.language), Document("booklet", opts, promo=promo)))
    return target


def write_program(
    lib: Library,
    program_path: Path,
    target: Path,
    paper: str | None = None,
    language: str | None = None,
    large_print: bool = False,
    warn=None,
) -> Path:
    """Write the programme; ``warn(message)`` hears what the clinician should know (an exercise
    with no prescribed repetitions)."""
    prog = load_program(program_path, lib)
    for message in prog.warnings if warn else ():
        warn(message)
    lang = language or prog.language or lib.document.language
    opts = Options(
        paper=paper or prog.paper or "a4", language=lang, large_print=large_print or prog.large_print
    )
    write_atomic(target, program_bytes(lib, prog, opts))
    return target


def program_bytes(lib: Library, prog, opts: Options) -> bytes:
    """A patient's programme as PDF bytes (the desk serves them without a file)."""
    return render(localised(lib, opts.language), Document("program", opts, program=prog))


def write_translation_template(
    lib: Library, lang: str, target: Path | None = None, force: bool = False
) -> Path:
    """A translation file with every key, its English text and ``reviewed: false``."""
    from handouts.read.translation import template, translation_path  # lazy: only this command

    text = template(lib, lang)
    target = target or translation_path(lib, lang)
    if target.exists() and not force:
        raise UsageProblem(
            f"{target}: exists already; a finished translation would be lost. "
            "Name another file with -o, or use --force to replace it"
        )
    if Path(target).resolve() == lib.path.resolve():
        raise UsageProblem(f"{target}: is the library itself; name another file with -o")
    write_atomic(target, text.encode("utf-8"))
    return target


def write_contact_sheet(lib: Library, target: Path, paper: str = "a4", ids=()) -> Path:
    """Every exercise's picture panels (or those of ``ids``) on a contact sheet, written atomically."""

    # lazy: the contact sheet draws with reportlab's graphics, which no other command here needs at once
    from handouts.figures.contact import write_contact_sheet as contact

    check_ids(lib, ids)
    theme, _ = context(lib, Options(paper=paper, language=lib.document.language))
    buffer = io.BytesIO()
    contact(lib, buffer, theme.pagesize, ids=list(ids) or None)
    write_atomic(target, buffer.getvalue())
    return target
