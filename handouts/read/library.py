"""Validate a loaded library into the frozen model, reporting every problem at once."""

from __future__ import annotations

import re
from pathlib import Path

from handouts import model as m
from handouts.colour import HEX, MIN_CONTRAST, TEXT_PAIRS, contrast
from handouts.figures.images import check_image
from handouts.read import cache, record
from handouts.read import shapes as S
from handouts.read.exercise import exercise
from handouts.read.fields import Checker, did_you_mean
from handouts.read.nodes import Node, load

ID = re.compile(S.ID_PATTERN)
SCHEMA_VERSION = S.SCHEMA_VERSION
#: A step longer than this many characters is more than about three printed lines.
LONG_STEP = 220
NUMBER = re.compile(r"\d+")


def _section(c: Checker, node: Node, path: str) -> m.Section | None:
    d = c.mapping(node, path, **S.SECTION.keys)
    if d is None or len(d) < 2:
        return None
    heading = c.text(d["heading"], f"{path}.heading", S.SECTION["heading"].max_len)
    paras = c.text_list(d["paragraphs"], f"{path}.paragraphs", min_items=1)
    if heading is None or paras is None:
        return None
    return m.Section(heading, paras)


def _colours(c: Checker, node: Node, path: str) -> m.Colours | None:
    names = S.COLOURS.required.keys()
    d = c.mapping(node, path, **S.COLOURS.keys)
    if d is None:
        return None
    values = {}
    for key, vnode in d.items():
        v = c.text(vnode, f"{path}.{key}", S.COLOURS[key].max_len)
        if v is not None and not HEX.match(v):
            c.error(vnode, f"{path}.{key}", f"expected a colour as #RRGGBB, got {v!r}")
            v = None
        values[key] = v
    if len(values) != len(names) or None in values.values():
        return None
    for fg, bg in TEXT_PAIRS:
        ratio = contrast(values[fg], values[bg])
        if ratio < MIN_CONTRAST:
            c.error(
                d[fg],
                f"{path}.{fg}",
                f"{fg} {values[fg]} on {bg} {values[bg]} has contrast {ratio:.2f}:1; "
                f"text needs at least {MIN_CONTRAST}:1",
            )
    return m.Colours(**values)


def _brand(c: Checker, node: Node) -> m.Brand | None:
    d = c.mapping(node, "brand", **S.BRAND.keys)
    if d is None:
        return None
    org = (
        c.text(d["organisation"], "brand.organisation", S.BRAND["organisation"].max_len)
        if "organisation" in d
        else None
    )
    contact = c.text(d["contact"], "brand.contact", S.BRAND["contact"].max_len) if "contact" in d else None
    colours = _colours(c, d["colours"], "brand.colours") if "colours" in d else None
    website = (
        c.https_url(d["website"], "brand.website", S.BRAND["website"].max_len) if "website" in d else None
    )
    logo = c.asset(d["logo"], "brand.logo", S.LOGO_SUFFIXES) if "logo" in d else None
    if logo is not None:
        logo = logo if check_image(c, d["logo"], "brand.logo", logo) else None
    if (
        None in (org, contact, colours)
        or ("website" in d and website is None)
        or ("logo" in d and logo is None)
    ):
        return None
    return m.Brand(org, contact, website, colours, logo)


def _document(c: Checker, node: Node) -> m.DocumentInfo | None:
    keys = tuple(S.DOCUMENT.required)
    d = c.mapping(node, "document", **S.DOCUMENT.keys)
    if d is None or len(d) < len(keys):
        return None
    title = c.text(d["title"], "document.title", S.DOCUMENT["title"].max_len)
    subtitle = c.text(d["subtitle"], "document.subtitle", S.DOCUMENT["subtitle"].max_len)
    version = c.text(d["version"], "document.version", S.DOCUMENT["version"].max_len)
    reviewed = c.date(d["last_reviewed"], "document.last_reviewed")
    lang = c.text(d["language"], "document.language", S.DOCUMENT["language"].max_len)
    if lang is not None and not re.match(S.LANGUAGE_PATTERN, lang):
        c.error(
            d["language"], "document.language", f"expected a language code such as 'en' or 'sv', got {lang!r}"
        )
        lang = None
    vals = (title, subtitle, version, reviewed, lang)
    return None if None in vals else m.DocumentInfo(*vals)


def _faq(c: Checker, node: Node, path: str, seen: dict) -> tuple[m.Faq, ...] | None:
    """The FAQ entries; ``seen`` collects every well-formed id, even of entries with other problems."""
    items = c.seq(node, path, 1)
    if items is None:
        return None
    out = []
    for i, n in enumerate(items):
        p = f"{path}[{i}]"
        d = c.mapping(n, p, **S.FAQ.keys)
        if d is None or len(d) < 3:
            continue
        fid = c.unique_id(d["id"], f"{p}.id", seen)
        q = c.text(d["question"], f"{p}.question", S.FAQ["question"].max_len)
        a = c.text(d["answer"], f"{p}.answer", S.FAQ["answer"].max_len)
        if None not in (fid, q, a):
            out.append(m.Faq(fid, q, a))
    return tuple(out)


def _references(c: Checker, node: Node, path: str) -> tuple[m.Reference, ...] | None:
    items = c.seq(node, path, 1)
    if items is None:
        return None
    out, seen = [], {}
    for i, n in enumerate(items):
        p = f"{path}[{i}]"
        d = c.mapping(n, p, **S.REFERENCE.keys)
        if d is None or not {"id", "title"} <= d.keys():
            continue
        rid = c.unique_id(d["id"], f"{p}.id", seen)
        year = (
            c.integer(d["year"], f"{p}.year", *S.limits(S.REFERENCE["year"]), "a year") if "year" in d else 0
        )
        title = c.text(d["title"], f"{p}.title", S.REFERENCE["title"].max_len)
        words = ("authors", "organisation", "publisher")
        opt = {k: c.text(d[k], f"{p}.{k}", S.REFERENCE[k].max_len) for k in words if k in d}
        if "url" in d:
            opt["url"] = c.https_url(d["url"], f"{p}.url", S.REFERENCE["url"].max_len)
        if not ("authors" in d or "organisation" in d):
            c.error(n, p, "a reference needs 'authors' or 'organisation'")
            continue
        if "year" not in d and "url" not in d:
            c.error(n, p, "a reference needs a 'year', or a 'url' for a web page that gives none")
            continue
        if None not in (rid, year, title) and None not in opt.values():
            out.append(m.Reference(rid, year or None, title, **opt))
    return tuple(out)


def _guide(c: Checker, node: Node) -> m.Guide | None:
    sections = S.GUIDE_SECTIONS
    req = tuple(S.GUIDE.required)
    d = c.mapping(node, "guide", **S.GUIDE.keys)
    if d is None or len(d) < len(req):
        return None
    intro = c.text_list(d["introduction"], "guide.introduction", 1)
    secs = {s: _section(c, d[s], f"guide.{s}") for s in sections}
    faq_ids: dict = {}
    faq = _faq(c, d["faq"], "guide.faq", faq_ids)
    refs = _references(c, d["references"], "guide.references")
    safety = c.refs(d["safety"], "guide.safety", list(faq_ids), "FAQ entry")
    if intro is None or None in secs.values() or None in (faq, refs, safety):
        return None
    return m.Guide(intro, **secs, faq=faq, safety=safety, references=refs)


def _urgent_help(c: Checker, node: Node, ref_ids) -> m.UrgentHelp | None:
    U = S.URGENT_HELP
    d = c.mapping(node, "urgent_help", **U.keys)
    if d is None or not set(U.required) <= d.keys():
        return None
    source = c.text(d["source"], "urgent_help.source", S.ID_REF.max_len)
    if source is not None and source not in ref_ids:
        c.error(
            d["source"],
            "urgent_help.source",
            f"no reference with id '{source}'{did_you_mean(source, ref_ids)}",
        )
        source = None
    reviewed = c.boolean(d["reviewed"], "urgent_help.reviewed")
    nd = c.mapping(d["numbers"], "urgent_help.numbers", **U["numbers"].keys) or {}
    numbers = {}
    for key in U["numbers"].required:
        if key in nd:
            value = c.text(nd[key], f"urgent_help.numbers.{key}", S.PHONE.max_len)
            if value is not None and not re.fullmatch(S.PHONE.pattern, value):
                c.error(
                    nd[key],
                    f"urgent_help.numbers.{key}",
                    f"expected a phone number such as 999, got {value!r}",
                )
                value = None
            numbers[key] = value
    emergency = c.text_list(d["emergency"], "urgent_help.emergency", 1, S.SIGN.max_len)
    same_day = c.text_list(d["same_day"], "urgent_help.same_day", 1, S.SIGN.max_len)
    by = on = None
    if "reviewed_by" in d:
        bd = c.mapping(d["reviewed_by"], "urgent_help.reviewed_by", **U["reviewed_by"].keys) or {}
        by = (
            c.text(bd["name"], "urgent_help.reviewed_by.name", S.URGENT_HELP["reviewed_by"]["name"].max_len)
            if "name" in bd
            else None
        )
        on = c.date(bd["date"], "urgent_help.reviewed_by.date") if "date" in bd else None
    if reviewed and (by is None or on is None):
        c.error(
            d["reviewed"],
            "urgent_help.reviewed",
            "reviewed: true needs reviewed_by: {name, date} of the clinician",
        )
        return None
    values = (source, reviewed, emergency, same_day, numbers.get("emergency"), numbers.get("urgent"))
    if None in values:
        return None
    return m.UrgentHelp(
        emergency, same_day, numbers["emergency"], numbers["urgent"], source, reviewed, by, on
    )


def validate_node(root: Node, c: Checker, path: Path) -> m.Library | None:
    d = c.mapping(root, "", **S.LIBRARY.keys)
    if d is None:
        return None
    if "schema_version" in d:
        sv = c.integer(d["schema_version"], "schema_version", 0, 10_000)
        if sv is not None and sv != SCHEMA_VERSION:
            c.error(
                d["schema_version"],
                "schema_version",
                f"this Handouts reads schema_version {SCHEMA_VERSION}, got {sv}",
            )
    document = _document(c, d["document"]) if "document" in d else None
    brand = _brand(c, d["brand"]) if "brand" in d else None
    programme = None
    if "programme" in d:
        pd = c.mapping(d["programme"], "programme", **S.PROGRAMME.keys)
        if pd is not None and len(pd) == 2:
            pw = c.number_range(pd["per_week"], "programme.per_week", *S.limits(S.PER_WEEK))
            wk = c.number_range(pd["weeks"], "programme.weeks", *S.limits(S.WEEKS))
            programme = m.Schedule(pw, wk) if pw and wk else None
    guide = _guide(c, d["guide"]) if "guide" in d else None
    faq_ids = [f.id for f in guide.faq] if guide else []
    ref_ids = [r.id for r in guide.references] if guide else []
    exercises = []
    if "exercises" in d:
        items = c.seq(d["exercises"], "exercises", 1) or []
        seen: dict = {}
        for i, n in enumerate(items):
            e = exercise(c, n, f"exercises[{i}]", seen, faq_ids, ref_ids)
            if e is not None:
                exercises.append(e)
    promotions = []
    if "promotions" in d:
        for i, n in enumerate(c.seq(d["promotions"], "promotions") or []):
            pd = c.mapping(n, f"promotions[{i}]", **S.PROMOTION.keys)
            if pd and len(pd) == 2:
                name = c.text(pd["name"], f"promotions[{i}].name", S.PROMOTION["name"].max_len)
                desc = c.text(
                    pd["description"], f"promotions[{i}].description", S.PROMOTION["description"].max_len
                )
                if name and desc:
                    promotions.append(m.Promotion(name, desc))
    urgent = _urgent_help(c, d["urgent_help"], ref_ids) if "urgent_help" in d else None
    c.check_glyphs()
    if c.problems or None in (document, brand, programme, guide) or ("urgent_help" in d and urgent is None):
        return None
    return m.Library(
        path=path,
        schema_version=SCHEMA_VERSION,
        document=document,
        brand=brand,
        programme=programme,
        guide=guide,
        exercises=tuple(exercises),
        promotions=tuple(promotions),
        warnings=tuple(str(w) for w in c.warnings),
        urgent_help=urgent,
    )


def load_library(path: Path | str, strict: bool = False) -> m.Library:
    """Load and validate a library file. Raises ValidationError listing every problem.

    A library validated before from the same files comes from the cache (:mod:`handouts.read.cache`);
    with ``strict`` a cached library with warnings is validated again, to report them."""
    return cache.usable(path, strict) or validate_library(path, strict)


def validate_library(path: Path | str, strict: bool = False) -> m.Library:
    """Validate a library file without asking the cache first, and keep the result there."""
    path = Path(path)
    name = str(path)
    with record.recording() as files:
        root, problems = load(path, name)
        c = Checker(name, base=path.resolve().parent)
        c.problems.extend(problems)
        lib = c.finish(validate_node(root, c, path), strict)
    cache.write(path, lib, files)
    return lib
