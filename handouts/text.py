"""Text from data, made safe for reportlab's paragraph markup."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

#: A number and the word after it ("20–30 seconds", "4–16 weeks") stay on one line.
_NUMBER_SPACE = re.compile(r"(?<=\d) (?=[^\W\d])")


def esc(text: str, keep_units: bool = True) -> str:
    """Escape data text for a reportlab Paragraph: markup characters print literally,
    and (in running text) a number is never parted from its unit at a line break."""
    text = text.replace("\n", " ")
    return escape(_NUMBER_SPACE.sub("\u00a0", text) if keep_units else text)
