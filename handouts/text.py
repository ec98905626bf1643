"""Text from data, made safe for reportlab's paragraph markup."""

from __future__ import annotations

import re

#: A number and the word after it ("20–30 seconds", "4–16 weeks") stay on one line.
_NUMBER_SPACE = re.compile(r"(?<=\d) (?=[^\W\d])")


def esc(text: str, keep_units: bool = True) -> str:
    """Escape data text for a reportlab Paragraph: markup characters print literally,
    and (in running text) a number is never parted from its unit at a line break."""
    text = text.replace("\n", " ")
    if keep_units:
        text = _NUMBER_SPACE.sub("\u00a0", text)
    # what xml.sax.saxutils.escape does, without importing it (it imports urllib.request: 14 ms)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unesc(markup: str) -> str:
    """The text ``esc`` escaped, as xml.sax.saxutils.unescape gives it back (the three entities)."""
    return markup.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
