"""Text from data, made safe for reportlab's paragraph markup."""

from __future__ import annotations

from xml.sax.saxutils import escape


def esc(text: str) -> str:
    """Escape data text for a reportlab Paragraph: markup characters print literally."""
    return escape(text.replace("\n", " "))
