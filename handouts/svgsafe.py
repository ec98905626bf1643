"""Read SVG files safely: no entities, no DTDs, no network, no external references."""

from __future__ import annotations

import re

_EXTERNAL = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_HREF = re.compile(rb"""(?:xlink:)?href\s*=\s*["']\s*([^"']*)["']""", re.IGNORECASE)


def unsafe_reason(data: bytes) -> str | None:
    """Why this SVG is refused, or None when it is safe to read."""
    if _EXTERNAL.search(data):
        return "SVG files with a DOCTYPE or entities are refused"
    for match in _HREF.finditer(data):
        target = match.group(1).strip()
        if not (target.startswith(b"#") or target.startswith(b"data:image/")):
            return f"SVG files that refer to other files or addresses are refused ({target.decode(errors='replace')!r})"
    return None


def load_svg(path: str):
    """An svglib Drawing for a file already checked by :func:`unsafe_reason`."""
    from lxml import etree
    from svglib.svglib import SvgRenderer

    with open(path, "rb") as fh:
        data = fh.read()
    reason = unsafe_reason(data)
    if reason:
        raise ValueError(reason)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(data, parser=parser)
    return SvgRenderer(path).render(root)
