"""Content translations: ``exercises.LANG.yaml`` beside the library, keyed by id and field.

A field not translated falls back to English with a warning (an error under --strict).
Translated steps must mark the same dose fields with the same numbers as the English.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from handouts import model as m
from handouts.errors import Problem, ValidationError, counted
from handouts.i18n import available, labels, language_code
from handouts.read import shapes as S
from handouts.read.exercise import steps as read_steps
from handouts.read.fields import Checker
from handouts.read.nodes import Node, load
from handouts.read.shapes import GUIDE_SECTIONS


def translation_path(lib: m.Library, lang: str) -> Path:

    return lib.path.with_name(f"{lib.path.stem}.{language_code(lang)}.yaml")


class _Tr:
    def __init__(self, c: Checker):
        self.c = c

    def text(self, d: dict | None, key: str, path: str, english: str, node: Node | None) -> str:
        if d is not None and key in d:
            value = self.c.text(d[key], f"{path}.{key}")
            return english if value is None else value
        self.c.warn(node, f"{path}.{key}", "not translated; the English text is used")
        return english

    def same_count(self, node: Node, path: str, items: list, english: tuple, noun: str = "item") -> bool:
        """Whether a translated list has as many entries as the English; an error says so if not."""
        if len(items) == len(english):
            return True
        self.c.error(node, path, f"has {counted(len(items), noun)}; the English has {len(english)}")
        return False

    def texts(self, d: dict | None, key: str, path: str, english: tuple, node: Node | None) -> tuple:
        if d is None or key not in d:
            if english:
                self.c.warn(node, f"{path}.{key}", "not translated; the English text is used")
            return english
        items = self.c.seq(d[key], f"{path}.{key}") or []
        if not self.same_count(d[key], f"{path}.{key}", items, english):
            return english
        out = [self.c.text(n, f"{path}.{key}[{i}]") for i, n in enumerate(items)]
        return english if None in out else tuple(out)

    def section(self, d: dict | None, key: str, path: str, sec: m.Section, node: Node | None) -> m.Section:
        sd = (
            self.c.mapping(d[key], f"{path}.{key}", optional=("heading", "paragraphs"))
            if d and key in d
            else None
        )
        where = d[key] if d and key in d else node
        return m.Section(
            self.text(sd, "heading", f"{path}.{key}", sec.heading, where),
            self.texts(sd, "paragraphs", f"{path}.{key}", sec.paragraphs, where),
        )


def _urgent_help(tr: _Tr, node: Node | None, urgent: m.UrgentHelp | None, root: Node) -> m.UrgentHelp | None:
    """The signs in the translation's words, and its country's numbers if it gives them."""
    c = tr.c
    if urgent is None:
        if node is not None:
            c.warn(node, "urgent_help", "the library has no urgent_help; this is ignored")
        return None
    d = c.mapping(node, "urgent_help", optional=("emergency", "same_day", "numbers")) if node else None
    where = node if node is not None else root
    emergency = tr.texts(d, "emergency", "urgent_help", urgent.emergency, where)
    same_day = tr.texts(d, "same_day", "urgent_help", urgent.same_day, where)
    numbers = {"emergency": urgent.emergency_number, "urgent": urgent.urgent_number}
    if d and "numbers" in d:
        nd = c.mapping(d["numbers"], "urgent_help.numbers", optional=tuple(numbers)) or {}
        for key, n in nd.items():
            value = c.text(n, f"urgent_help.numbers.{key}", S.PHONE.max_len)
            if value is not None:
                numbers[key] = value
    return dataclasses.replace(
        urgent,
        emergency=emergency,
        same_day=same_day,
        emergency_number=numbers["emergency"],
        urgent_number=numbers["urgent"],
    )


def _exercise(tr: _Tr, node: Node | None, ex: m.Exercise) -> m.Exercise:
    c = tr.c
    path = f"exercises.{ex.id}"
    d = (
        c.mapping(
            node,
            path,
            optional=(
                "name",
                "also_known_as",
                "positions",
                "description",
                "starting_position",
                "steps",
                "dose",
                "pictures",
            ),
        )
        if node
        else None
    )
    dose = ex.dose
    if d and "dose" in d:
        dd = c.mapping(d["dose"], f"{path}.dose", optional=("hold", "repeat", "duration")) or {}
        if "hold" in dd and dose.hold is not None and dose.hold.words:
            dose = dataclasses.replace(
                dose, hold=m.Hold(words=c.text(dd["hold"], f"{path}.dose.hold") or dose.hold.words)
            )
        if "repeat" in dd and dose.repeat:
            dose = dataclasses.replace(
                dose, repeat=c.text(dd["repeat"], f"{path}.dose.repeat") or dose.repeat
            )
        if "duration" in dd and dose.duration:
            dose = dataclasses.replace(
                dose, duration=c.text(dd["duration"], f"{path}.dose.duration") or dose.duration
            )
    steps = ex.steps
    if d and "steps" in d:
        translated = read_steps(c, d["steps"], f"{path}.steps", dose)
        if translated is not None and tr.same_count(
            d["steps"], f"{path}.steps", translated, ex.steps, "step"
        ):
            for i, (a, b) in enumerate(zip(ex.steps, translated, strict=True)):
                fa = [f for f, _ in m.DOSE_SPAN.findall(a.text)]
                fb = [f for f, _ in m.DOSE_SPAN.findall(b.text)]
                if fa != fb:
                    c.error(
                        d["steps"].value[i],
                        f"{path}.steps[{i}]",
                        f"marks dose fields {fb}; the English step marks {fa}",
                    )
            steps = translated
    else:
        c.warn(node, f"{path}.steps", "not translated; the English text is used")
    return dataclasses.replace(
        ex,
        pictures=_pictures(tr, d, path, ex, node),
        name=tr.text(d, "name", path, ex.name, node),
        also_known_as=tr.texts(d, "also_known_as", path, ex.also_known_as, node),
        positions=tr.texts(d, "positions", path, ex.positions, node),
        description=tr.text(d, "description", path, ex.description, node),
        starting_position=tr.text(d, "starting_position", path, ex.starting_position, node),
        steps=steps,
        dose=dose,
    )


def _pictures(tr: _Tr, d: dict | None, path: str, ex: m.Exercise, node: Node | None) -> tuple:
    """Captions and alt texts of the exercise's pictures, in order."""
    if not ex.pictures:
        return ex.pictures
    items = tr.c.seq(d["pictures"], f"{path}.pictures") if d and "pictures" in d else None
    if items is None:
        tr.c.warn(node, f"{path}.pictures", "not translated; the English captions are used")
        return ex.pictures
    if not tr.same_count(d["pictures"], f"{path}.pictures", items, ex.pictures):
        return ex.pictures
    out = []
    for i, (n, pic) in enumerate(zip(items, ex.pictures, strict=True)):
        p = f"{path}.pictures[{i}]"
        pd = tr.c.mapping(n, p, optional=("caption", "alt"))
        out.append(
            dataclasses.replace(
                pic, caption=tr.text(pd, "caption", p, pic.caption, n), alt=tr.text(pd, "alt", p, pic.alt, n)
            )
        )
    return tuple(out)


def _guide(tr: _Tr, node: Node | None, g: m.Guide, root: Node) -> m.Guide:
    """The guide's introduction, sections and FAQ, each text translated or kept."""
    c = tr.c
    secs = GUIDE_SECTIONS
    g_d = c.mapping(node, "guide", optional=("introduction", "faq", *secs)) if node is not None else None
    faq_d = (
        c.mapping(g_d["faq"], "guide.faq", optional=[f.id for f in g.faq]) if g_d and "faq" in g_d else None
    )
    faq = []
    for f in g.faq:
        fd = (
            c.mapping(faq_d[f.id], f"guide.faq.{f.id}", optional=("question", "answer"))
            if faq_d and f.id in faq_d
            else None
        )
        where = faq_d[f.id] if faq_d and f.id in faq_d else root
        faq.append(
            m.Faq(
                f.id,
                tr.text(fd, "question", f"guide.faq.{f.id}", f.question, where),
                tr.text(fd, "answer", f"guide.faq.{f.id}", f.answer, where),
            )
        )
    return dataclasses.replace(
        g,
        introduction=tr.texts(g_d, "introduction", "guide", g.introduction, root),
        faq=tuple(faq),
        **{s: tr.section(g_d, s, "guide", getattr(g, s), root) for s in secs},
    )


def apply_translation(lib: m.Library, lang: str, strict: bool = False) -> m.Library:
    """The library with its ``lang`` translation laid over it; warnings kept on the result."""
    if lang == lib.document.language:
        return lib
    path = translation_path(lib, lang)
    name = path.name if path.parent == Path(".").resolve() else str(path)
    if not path.is_file():
        raise ValidationError(
            [
                Problem(
                    name,
                    None,
                    None,
                    "",
                    f"no translation for language '{lang}'; "
                    f"write one with: handouts translate-template --lang {lang}",
                )
            ],
            name,
        )
    root, problems = load(path, name)
    c = Checker(name, base=path.parent)
    c.problems.extend(problems)
    tr = _Tr(c)
    top = (
        c.mapping(
            root,
            "",
            required=("language", "reviewed"),
            optional=("document", "brand", "guide", "exercises", "urgent_help"),
        )
        or {}
    )
    if "language" in top and c.text(top["language"], "language", 10) not in (None, lang):
        c.error(top["language"], "language", f"expected '{lang}' to match the file name")
    reviewed = c.boolean(top["reviewed"], "reviewed") if "reviewed" in top else False
    doc_d = (
        c.mapping(top["document"], "document", optional=("title", "subtitle")) if "document" in top else None
    )
    brand_d = c.mapping(top["brand"], "brand", optional=("contact",)) if "brand" in top else None
    guide = _guide(tr, top.get("guide"), lib.guide, root)
    ex_d = c.mapping(top["exercises"], "exercises", optional=lib.ids) if "exercises" in top else {}
    exercises = tuple(_exercise(tr, (ex_d or {}).get(e.id), e) for e in lib.exercises)
    doc = dataclasses.replace(
        lib.document,
        title=tr.text(doc_d, "title", "document", lib.document.title, root),
        subtitle=tr.text(doc_d, "subtitle", "document", lib.document.subtitle, root),
        language=lang,
    )
    brand = dataclasses.replace(
        lib.brand, contact=tr.text(brand_d, "contact", "brand", lib.brand.contact, root)
    )
    urgent = _urgent_help(tr, top.get("urgent_help"), lib.urgent_help, root)
    c.check_glyphs()
    c.finish(lib, strict)
    return dataclasses.replace(
        lib,
        document=doc,
        brand=brand,
        guide=guide,
        exercises=exercises,
        translation_reviewed=bool(reviewed),
        urgent_help=urgent,
        warnings=lib.warnings + tuple(str(w) for w in c.warnings),
    )


def template(lib: m.Library, lang: str) -> str:
    """A translation file's text: every key with its English text and ``reviewed: false``."""
    language_code(lang)
    g = lib.guide
    sections = GUIDE_SECTIONS
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
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


_LOCALISED: dict = {}


def localised(lib: m.Library, lang: str | None, strict: bool = False) -> m.Library:
    """The library in ``lang`` (its translation laid over it), read once per process."""
    if not lang or lang == lib.document.language:
        return lib
    labels(lang)  # a missing catalogue or label is an error before any work
    key = (lib, lang, strict)  # the library itself, not its id: ids are reused after garbage collection
    if key not in _LOCALISED:
        _LOCALISED[key] = apply_translation(lib, lang, strict)
    return _LOCALISED[key]


def languages(lib: m.Library) -> list[str]:
    """The library's own language and every language with a catalogue and a translation file."""
    others = [c for c in available() if c != lib.document.language and translation_path(lib, c).is_file()]
    return [lib.document.language, *others]
