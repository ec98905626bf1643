"""The booklet after its front: every exercise, the evidence, the FAQ, the progress log, the
references and the back page (with the products, when a build asks for them)."""

from __future__ import annotations

from reportlab.platypus import KeepTogether, PageBreak, Spacer, TableStyle

from handouts.i18n import Labels
from handouts.model import NO_RX, Library, Reference, Schedule
from handouts.pdf.tagging import new_key, tag
from handouts.render.block import H, P
from handouts.render.booklet_flow import Anchor, Marker, h, paras
from handouts.render.booklet_front import AFTER_EXERCISES, FAQ, FIRST_EXERCISE, LOG, urgent
from handouts.render.grid import Table
from handouts.render.pagination import exercise_pages, paginate
from handouts.render.para import Paragraph
from handouts.render.tables import log_table
from handouts.render.theme import Theme
from handouts.text import esc


def exercises(lib: Library, theme: Theme, labels: Labels, frame_h: float) -> list:
    """Every exercise on a page of its own (two in large print), each a contents entry."""
    s = theme.styles
    schedule = Schedule(lib.programme.per_week, lib.programme.weeks)
    section = labels("exercises")
    story: list = [Marker(section, level=0, section=section, ref=FIRST_EXERCISE)]
    n = len(lib.exercises)
    for i, ex in enumerate(lib.exercises, start=1):
        counter = P(Paragraph(esc(labels("exercise_number", n=i, m=n)), s["field"]))
        spec = exercise_pages(
            lib, ex, theme, labels, schedule, NO_RX, None, depth=1, lead=[counter], ends_document=False
        )
        laid = paginate(f"booklet page for '{ex.id}'", spec, frame_h, theme)
        block = [f for k, page in enumerate(laid) for f in ([PageBreak()] if k else []) + page]
        story += [Marker(ex.name, level=1, section=section), *block, PageBreak()]
    return story[:-1]


def evidence(lib: Library, theme: Theme, labels: Labels, cites: str) -> list:
    """The source's evidence, and its notes on trends."""
    s = theme.styles
    g = lib.guide
    return [
        Anchor(AFTER_EXERCISES),
        h(g.evidence.heading, s["h1"]),
        *paras(g.evidence.paragraphs, s["reading"]),
        P(Paragraph(esc(cites), s["small"])),
        h(
            g.trends.heading,
            s["h2"],
            level=1,
            section=g.evidence.heading,
            contents=theme.contents_subsections,
        ),
        *paras(g.trends.paragraphs, s["reading"]),
    ]


def faq(lib: Library, theme: Theme, labels: Labels) -> list:
    """The questions and answers, after the urgent-help signs."""
    s = theme.styles
    box = urgent(lib, theme, labels, depth=0)[2:]  # (the heading keeps the room the box needs)
    out = [h(labels("faq"), s["h1"], ref=FAQ), *box, Spacer(1, 8)]
    for f in lib.guide.faq:
        out.append(
            KeepTogether(
                [H(2, Paragraph(esc(f.question), s["h3"])), P(Paragraph(esc(f.answer), s["reading"]))]
            )
        )
    return out


def progress_log(lib: Library, theme: Theme, labels: Labels) -> list:
    """The log: a row a week, a column a session (the table goes on over the page when it must)."""
    s = theme.styles
    schedule = Schedule(lib.programme.per_week, lib.programme.weeks)
    return [
        h(labels("progress_log"), s["h1"], ref=LOG),
        P(Paragraph(esc(labels("progress_log_intro")), s["reading"])),
        Spacer(1, 6),
        log_table(theme, labels, schedule, theme.frame_width),
    ]


def reference_text(n: int, r: Reference, no_date: str = "n.d.") -> str:
    who = r.authors or r.organisation
    title = f"“{r.title}.”" if r.publisher else f"{r.title}."
    tail = f" {r.publisher}." if r.publisher else ""
    if r.url:
        tail += f" {r.url}"
    return f"{n}. {who} ({r.year or no_date}). {title}{tail}"


def references(lib: Library, theme: Theme, labels: Labels) -> list:
    style = theme.styles["reading"].clone("ref", leftIndent=18, firstLineIndent=-18)
    refs_list = new_key()
    items = [
        tag(Paragraph(esc(reference_text(n, r, labels("no_date"))), style), ("L", refs_list), ("LI", None))
        for n, r in enumerate(lib.guide.references, start=1)
    ]
    return [h(labels("references"), theme.styles["h1"]), *items]


def back_page(lib: Library, theme: Theme, labels: Labels) -> list:
    """The clinic's details and a box for its stamp or contact sticker."""
    s = theme.styles
    out = [
        h(labels("back_page"), s["h1"]),
        P(Paragraph(esc(lib.brand.organisation), s["h3"])),
        P(Paragraph(esc(lib.brand.contact), s["reading"])),
    ]
    if lib.brand.website:
        link = s["reading"].clone("link", hyphenationLang="", embeddedHyphenation=0)  # see blocks._title
        out.append(P(Paragraph(esc(lib.brand.website), link)))
    stamp = Table(
        [[P(Paragraph(esc(labels("stamp_box")), s["field"]))]],
        colWidths=[theme.frame_width * 0.6],
        rowHeights=[110],
    )
    stamp.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1, theme.colours["muted"]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    stamp.hAlign = "LEFT"
    return [*out, Spacer(1, 12), stamp]


def dashes(text: str) -> str:
    """A spaced hyphen, which means a break ("Shirt - Black"), set as the en dash it stands for."""
    return text.replace(" - ", " – ")


def promotions(lib: Library, theme: Theme, labels: Labels) -> list:
    """The products the source advertises, on a page of their own, away from the clinic's stamp,
    labelled as an advertisement and set apart from the clinical content by a dashed frame."""
    s = theme.styles
    body = s["reading"]
    inner = [H(2, Paragraph(esc(labels("promotions")), s["h3"]))]
    for p in lib.promotions:
        inner += [
            H(3, Paragraph(f"<b>{esc(dashes(p.name))}</b>", body)),
            P(Paragraph(esc(dashes(p.description)), body)),
        ]
    box = Table([[inner]], colWidths=[theme.frame_width])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1, theme.colours["muted"], None, (4, 3)),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
            ]
        )
    )
    heading = s["h1"].clone("advert_h1", textColor=theme.colours["muted"])
    return [h(labels("advertisement"), heading, section=labels("advertisement")), box]
