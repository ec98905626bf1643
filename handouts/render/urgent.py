"""The urgent-help box: when to stop and get help at once, in two groups by how urgent.

Printed compactly on every sheet (two columns), and in full on the booklet's how-to and FAQ
pages and on a programme's summary. Every word on it is the library's (the signs, translated
like the rest) or a locale label; the phone numbers are the library's, since they depend on the
clinic's country.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from handouts.i18n import Labels
from handouts.model import Library
from handouts.pdf.tagging import new_key, tag
from handouts.render import choices, reuse
from handouts.render.grid import Table
from handouts.render.panels import two_columns
from handouts.render.para import Paragraph, style_settings
from handouts.render.theme import Theme
from handouts.text import esc


def _styles(theme: Theme) -> tuple[ParagraphStyle, ParagraphStyle]:
    """A sign (the safety text with a hanging bullet) and the source note (the field size)."""
    s = theme.styles
    base = s["safety"]
    sign = ParagraphStyle(
        "urgent_sign",
        parent=base,
        leftIndent=base.fontSize * 0.8,
        bulletIndent=0,
        bulletFontName=base.fontName,
        bulletFontSize=base.fontSize,
        spaceAfter=1,
    )
    return sign, ParagraphStyle("urgent_note", parent=s["field"], spaceBefore=0)


def _tagged(flowable, kind: str):
    return tag(flowable, (kind, None))


def _signs(signs, theme: Theme, style) -> list:
    """A tagged list of signs, each with a bullet."""
    lst = new_key()
    out = []
    for sign in signs:
        item = new_key()
        out.append(
            tag(
                Paragraph(esc(sign), style, bulletText="•"),
                ("L", lst),
                ("LI", item),
                ("LBody", None),
            )
        )
    return out


def _inline(key: str, number: str, signs, style: ParagraphStyle, labels: Labels):
    """A group as one paragraph: the heading in bold, then every sign after a bullet."""
    items = " ".join(f"•&nbsp;{esc(sign)}" for sign in signs)
    text = f"<b>{esc(labels(key, number=number))}</b> {items}"
    return _tagged(Paragraph(text, style), "P")


#: The shares of the room the left group may take, tried in this order.
SHARES = tuple(s / 100 for s in range(38, 63, 2))


def _what(tagged) -> tuple:
    """What a group's line breaking depends on: its text and its style, by value."""
    p = tagged.flowable
    return (p.text, p.bulletText, style_settings(p.style))


def _groups(left, right, theme: Theme, inner: float) -> Table:
    """Two paragraphs side by side, a rule between them, the split chosen so the taller is as
    short as it can be (the groups differ in length)."""
    gap = 12
    room = inner - gap * 1.5

    def height(share: float) -> float:
        w = room * share
        return max(left.wrap(w, 10_000)[1], right.wrap(room - w, 10_000)[1])

    # the trials' choice is kept (see choices.py): a new process breaks only its lines
    kept = choices.key("urgent-groups", _what(left), _what(right), room)
    share = choices.choose(kept, SHARES, lambda s: (round(height(s), 1), abs(s - 0.5)))
    col = room * share
    groups = two_columns(
        left,
        right,
        col,
        room - col + gap / 2,
        gap,
        [
            ("LEFTPADDING", (1, 0), (1, 0), gap / 2),
            ("LINEAFTER", (0, 0), (0, 0), 0.75, theme.colours["muted"]),
        ],
    )
    return groups


def _compact(lib: Library, theme: Theme, labels: Labels, width: float, pad: float, level: int) -> list:
    """A sheet's box: the title, the two groups side by side (each one paragraph, its heading
    in bold, then its signs), and one short line naming the source."""
    u = lib.urgent_help
    s = theme.styles
    title = s["safety_title"].clone("urgent_title", leading=round(s["safety_title"].fontSize * 1.1, 1))
    head = _tagged(Paragraph(esc(labels("urgent_title_short")), title), f"H{level}")
    # the signs at body size (never under 12 pt), set a little tighter than running text
    size = s["safety"].fontSize
    group = s["safety"].clone("urgent_group", fontSize=size, leading=round(size * 1.1, 1), spaceAfter=0)
    groups = _groups(
        _inline("urgent_emergency_short", u.emergency_number, u.emergency, group, labels),
        _inline("urgent_same_day_short", u.urgent_number, u.same_day, group, labels),
        theme,
        width - 2 * pad,
    )
    note = s["field"].clone("urgent_note", fontSize=size, leading=round(size * 1.17, 1), spaceBefore=0)
    source = _tagged(Paragraph(esc(short_source_line(lib, labels)), note), "P")
    return [[head], [groups], [source]]


def short_source_line(lib: Library, labels: Labels) -> str:
    """The source in a few words, for a sheet: its full reference is in the library's list at
    the address the sheet's footer names."""
    u = lib.urgent_help
    ref = next(r for r in lib.guide.references if r.id == u.source)
    line = labels("urgent_source_short", source=f"{ref.organisation or ref.authors or ''}: {ref.title}")
    return line + (f" {labels('urgent_unreviewed')}" if not u.reviewed else "")


def source_line(lib: Library, labels: Labels, numbered: bool = True) -> str:
    """Who added the signs and from where, and whether a clinician has reviewed them yet;
    ``numbered`` adds the reference's number in the booklet's list."""
    u = lib.urgent_help
    ids = [r.id for r in lib.guide.references]
    ref = next(r for r in lib.guide.references if r.id == u.source)
    number = ids.index(u.source) + 1
    who = ref.organisation or ref.authors or ""
    line = labels(
        "urgent_source",
        organisation=lib.brand.organisation,
        source=f"{who}: {ref.title}" + (f" [{number}]" if numbered else ""),
    )
    if ref.url:
        line += f" {ref.url}"
    if not u.reviewed:
        line += f" {labels('urgent_unreviewed')}"
    return line


def placed_whole(lib: Library, theme: Theme, labels: Labels, width: float, compact: bool = False):
    """:func:`urgent_box` for a document that places it whole on a page (a sheet, or a standard
    programme's first page): made once per thread and the same flowable handed to every such
    document (see :mod:`handouts.render.reuse`). Large print's programme may break the box over
    a page, so it makes its own."""
    return reuse.kept(
        "urgent",
        (lib, theme, labels),
        (width, compact),
        lambda: urgent_box(lib, theme, labels, width, compact=compact),
    )


def urgent_box(
    lib: Library,
    theme: Theme,
    labels: Labels,
    width: float,
    depth: int = 0,
    columns: int | None = None,
    compact: bool = False,
):
    """The box, ``width`` wide, its groups in ``columns`` (the theme's by default); ``compact``
    (a sheet's) sets them side by side in every edition and names the source without a number
    in a reference list the reader does not have."""
    columns = 2 if compact else columns or theme.columns
    u = lib.urgent_help
    if u is None:
        return None
    s = theme.styles
    sign_style, note_style = _styles(theme)
    pad = 8
    inner = width - 2 * pad
    head = _tagged(Paragraph(esc(labels("urgent_title")), s["safety_title"]), f"H{min(2 + depth, 6)}")
    emergency = [
        _tagged(Paragraph(esc(labels("urgent_emergency", number=u.emergency_number)), s["box_label"]), "P"),
        *_signs(u.emergency, theme, sign_style),
    ]
    same_day = [
        _tagged(Paragraph(esc(labels("urgent_same_day", number=u.urgent_number)), s["box_label"]), "P"),
        *_signs(u.same_day, theme, sign_style),
    ]
    source = _tagged(Paragraph(esc(source_line(lib, labels)), note_style), "P")
    if compact:
        rows = _compact(lib, theme, labels, width, pad, min(2 + depth, 6))
    elif columns == 2:
        gap = 10
        col = (inner - gap) / 2
        groups = two_columns(emergency, same_day, col, col, gap)
        rows = [[[head, groups]], [source]]
    else:
        # A row a sign, so a tall box (large print) splits between pages, boxed on each; the
        # title, each group's heading and its first sign stay together, never stranded.
        rows = [[[head, *emergency[:2]]], *([f] for f in emergency[2:])]
        rows += [[same_day[:2]], *([f] for f in same_day[2:]), [source]]
    box = Table(rows, colWidths=[width], splitByRow=1, repeatRows=0)
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2, theme.colours["text"]),
                ("BACKGROUND", (0, 0), (-1, -1), theme.colours["background"]),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, 0), 2 if compact else 5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 3 if compact else 6),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return box
