"""The library layer the CLI calls: load, then write documents. No click here."""

from __future__ import annotations

import difflib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from handouts.errors import UsageProblem
from handouts.model import Library


@dataclass(frozen=True)
class Options:
    paper: str = "a4"
    language: str = "en"
    large_print: bool = False


def load(config: str, strict: bool = False, lang: str | None = None) -> Library:
    from handouts.validate import load_library

    lib = load_library(config, strict=strict)
    return localised(lib, lang, strict) if lang else lib


_LOCALISED: dict = {}


def localised(lib: Library, lang: str | None, strict: bool = False) -> Library:
    """The library in ``lang`` (its translation laid over it), cached per run."""
    if not lang or lang == lib.document.language:
        return lib
    from handouts.i18n import labels
    from handouts.translate import apply_translation

    labels(lang)  # a missing catalogue or label is an error before any work
    key = (lib, lang, strict)  # the library itself, not its id: ids are reused after garbage collection
    if key not in _LOCALISED:
        _LOCALISED[key] = apply_translation(lib, lang, strict)
    return _LOCALISED[key]


def check_ids(lib: Library, ids) -> None:
    for i in ids:
        if i not in lib.ids:
            close = difflib.get_close_matches(i, lib.ids, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise UsageProblem(f"no exercise with id '{i}'.{hint} Valid ids: {', '.join(lib.ids)}")


_CONTEXTS: dict = {}


def context(lib: Library, opts: Options):
    """The theme and labels for a brand and options, built once per process."""
    from handouts.i18n import labels
    from handouts.theme import build_theme

    key = (lib.brand, opts)
    if key not in _CONTEXTS:
        _CONTEXTS[key] = (
            build_theme(lib.brand, opts.paper, opts.large_print, opts.language),
            labels(opts.language),
        )
    return _CONTEXTS[key]


@contextmanager
def rendering(lib: Library, opts: Options):
    """The library in the options' language, its theme and labels, with the document
    timestamp fixed (SOURCE_DATE_EPOCH or the review date) while the block runs."""
    from handouts.writer import fixed_time, source_date_epoch

    epoch = source_date_epoch(lib.document.last_reviewed)
    lib = localised(lib, opts.language)
    theme, labels = context(lib, opts)
    with fixed_time(epoch):
        yield lib, theme, labels


def render_document(
    lib: Library, kind: str, opts: Options, *, exercise: str | None = None, program=None, promo=False, **kw
) -> bytes:
    """The one place that says which renderer makes which document: 'sheet' (of ``exercise``,
    personalised by ``kw``), 'booklet' or 'program'. Every writer, the build and the desk use it."""
    with rendering(lib, opts) as (lib, theme, labels):
        if kind == "sheet":
            from handouts.sheet import render_sheet

            return render_sheet(lib, lib.exercise(exercise), theme, labels, **kw)
        if kind == "booklet":
            from handouts.booklet import render_booklet

            return render_booklet(lib, theme, labels, promo=promo)
        if kind == "program":
            from handouts.programdoc import render_program

            return render_program(lib, program, theme, labels)
    raise ValueError(f"no document of kind {kind!r}")


def write_sheets(lib: Library, ids, targets: list[Path], opts: Options, **kw) -> list[Path]:
    from handouts.writer import write_atomic

    rendered = [
        (t, render_document(lib, "sheet", opts, exercise=i, **kw)) for i, t in zip(ids, targets, strict=True)
    ]
    for target, data in rendered:
        write_atomic(target, data)
    return targets


def personalise(
    lib: Library,
    lang: str = "en",
    patient=None,
    clinician=None,
    date=None,
    sets=None,
    reps=None,
    hold=None,
    per_week=None,
    weeks=None,
    note=None,
) -> dict:
    """Keyword arguments for write_sheets from the quick one-off sheet options."""
    from handouts import shapes as S
    from handouts.blocks import Prepared
    from handouts.checker import CONTROL
    from handouts.compose import Prescription, Schedule
    from handouts.glyphs import missing
    from handouts.i18n import labels
    from handouts.model import Range

    given = [patient, clinician, date, sets, reps, hold, per_week, weeks, note]
    if all(v is None for v in given):
        return {}
    if patient is None:
        raise UsageProblem("--patient is required to personalise a sheet")
    for flag, value, limit in (
        ("--patient", patient, S.PROGRAM["patient"].max_len),
        ("--clinician", clinician, S.CLINICIAN["name"].max_len),
        ("--note", note, S.CHOSEN["notes"].max_len),
    ):
        if value is None:
            continue
        if len(value) > limit:
            raise UsageProblem(f"{flag}: at most {limit} characters are allowed, got {len(value)}")
        bad = CONTROL.search(value)
        if bad:
            raise UsageProblem(f"{flag}: control character U+{ord(bad.group()):04X} is not allowed")
        ch = missing(value)
        if ch is not None:
            raise UsageProblem(f"{flag}: the font cannot draw {ch!r} (U+{ord(ch):04X})")
    p = lib.programme
    schedule = Schedule(
        Range(per_week, per_week) if per_week else p.per_week, Range(weeks, weeks) if weeks else p.weeks
    )
    iso = date.date().isoformat() if date else None
    return {
        "rx": Prescription(sets=sets, reps=reps, hold=hold, notes=note, personal=True),
        "prepared": Prepared(patient, clinician or "", labels(lang).date(iso) if iso else ""),
        "schedule": schedule,
    }


def write_booklet(lib: Library, target: Path, opts: Options, promo: bool = False) -> Path:
    from handouts.writer import write_atomic

    write_atomic(target, render_document(lib, "booklet", opts, promo=promo))
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
    from handouts.program import load_program
    from handouts.writer import write_atomic

    prog = load_program(program_path, lib)
    for message in prog.warnings if warn else ():
        warn(message)
    lang = language or prog.language or lib.document.language
    lib = localised(lib, lang)
    opts = Options(
        paper=paper or prog.paper or "a4", language=lang, large_print=large_print or prog.large_print
    )
    write_atomic(target, render_program_bytes(lib, prog, opts))
    return target


def render_program_bytes(lib: Library, prog, opts: Options) -> bytes:
    return render_document(lib, "program", opts, program=prog)


def check_release(lib: Library, translations) -> None:
    """Clinical content not yet signed off by a clinician stops a release (ValidationError)."""
    from handouts.errors import Problem, ValidationError
    from handouts.translate import translation_path

    problems = []
    name = str(lib.path)
    if lib.urgent_help is not None and not lib.urgent_help.reviewed:
        problems.append(
            Problem(
                name,
                None,
                None,
                "urgent_help.reviewed",
                "the urgent-help signs are not yet clinically reviewed; a clinician signs them off "
                "with reviewed: true and reviewed_by: {name, date}",
            )
        )
    for tr in translations:
        if not tr.translation_reviewed:
            problems.append(
                Problem(
                    str(translation_path(lib, tr.document.language)),
                    None,
                    None,
                    "reviewed",
                    "the translation is not yet clinically reviewed; once a clinician has checked it, set reviewed: true",
                )
            )
    if problems:
        raise ValidationError(problems, "the release")


def languages(lib: Library) -> list[str]:
    """The library's own language and every language with a catalogue and a translation file."""
    from handouts.i18n import available
    from handouts.translate import translation_path

    others = [c for c in available() if c != lib.document.language and translation_path(lib, c).is_file()]
    return [lib.document.language, *others]


def write_translation_template(
    lib: Library, lang: str, target: Path | None = None, force: bool = False
) -> Path:
    """A translation file with every key, its English text and ``reviewed: false``."""

    import yaml

    from handouts.i18n import language_code
    from handouts.translate import translation_path
    from handouts.writer import write_atomic

    language_code(lang)
    g = lib.guide
    from handouts.shapes import GUIDE_SECTIONS as sections

    exercises = {}
    for e in lib.exercises:
        d: dict = {"name": e.name}
        if e.also_known_as:
            d["also_known_as"] = list(e.also_known_as)
        d.update(
            positions=list(e.positions),
            description=e.description,
            starting_position=e.starting_position,
            steps=[s.text for s in e.steps],
        )
        hold_words = e.dose.hold.words if e.dose.hold else None
        words = {
            k: v
            for k, v in (("hold", hold_words), ("repeat", e.dose.repeat), ("duration", e.dose.duration))
            if v
        }
        if words:
            d["dose"] = words
        if e.pictures:
            d["pictures"] = [{"caption": p.caption, "alt": p.alt} for p in e.pictures]
        exercises[e.id] = d
    data = {
        "language": lang,
        "reviewed": False,
        "document": {"title": lib.document.title, "subtitle": lib.document.subtitle},
        "brand": {"contact": lib.brand.contact},
        "guide": {
            "introduction": list(g.introduction),
            **{
                s: {"heading": getattr(g, s).heading, "paragraphs": list(getattr(g, s).paragraphs)}
                for s in sections
            },
            "faq": {f.id: {"question": f.question, "answer": f.answer} for f in g.faq},
        },
        "exercises": exercises,
    }
    if lib.urgent_help is not None:
        u = lib.urgent_help
        data["urgent_help"] = {
            "numbers": {"emergency": u.emergency_number, "urgent": u.urgent_number},
            "emergency": list(u.emergency),
            "same_day": list(u.same_day),
        }
    head = (
        f"# Translation of {lib.path.name} into '{lang}'. Replace each English text and keep the keys.\n"
        "# Keep every {field:words} dose mark in the steps: translate the words, keep the numbers.\n"
        "# Set reviewed: true once a clinician has checked the translation.\n"
    )
    text = head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
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
    import tempfile

    from handouts.figures.contact import write_contact_sheet as contact
    from handouts.writer import write_atomic

    check_ids(lib, ids)
    with tempfile.TemporaryDirectory() as d, rendering(lib, Options(paper=paper)) as (lib, theme, _):
        tmp = Path(d) / "contact.pdf"
        contact(lib, tmp, theme.pagesize, ids=list(ids) or None)
        data = tmp.read_bytes()
    write_atomic(target, data)
    return target
