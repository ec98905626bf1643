"""Checks for a clinic's own picture files, and safe SVG loading.

PNG and JPEG files are opened header first (so a huge image is refused before
it is decoded), then checked for damage. SVG files are parsed without entities,
DTDs or network access, and refused if they declare a DOCTYPE or entity or point
at anything outside themselves.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from handouts.checker import Checker
from handouts.loader import Node

MAX_PIXELS = 25_000_000
MAX_BYTES = 20 * 1024 * 1024
MAX_SVG_BYTES = 5 * 1024 * 1024
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
_DECL = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_REFUSED_TAGS = ("script", "foreignObject")


class SvgRefused(ValueError):
    pass


def _local(name) -> str:
    return name.rsplit("}", 1)[-1] if isinstance(name, str) else ""


def _parse_svg(path: Path):
    from lxml import etree

    raw = path.read_bytes()
    if len(raw) > MAX_SVG_BYTES:
        raise SvgRefused(f"the SVG file is larger than {MAX_SVG_BYTES // (1024 * 1024)} MiB")
    if _DECL.search(raw):
        raise SvgRefused("SVG files with a DOCTYPE or ENTITY declaration are refused; remove it")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(raw, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SvgRefused(f"not a well-formed SVG file: {exc}") from None
    if _local(root.tag) != "svg":
        raise SvgRefused(f"not an SVG file: the top element is <{_local(root.tag)}>, not <svg>")
    for el in root.iter():
        if not isinstance(el.tag, str):
            if isinstance(el, etree._ProcessingInstruction):
                raise SvgRefused(f"processing instruction <?{el.target}?> is refused")
            continue
        tag = _local(el.tag)
        if tag in _REFUSED_TAGS:
            raise SvgRefused(f"<{tag}> elements are refused in SVG pictures")
        for attr, value in el.attrib.items():
            if _local(attr) == "href" and not value.strip().startswith(("#", "data:")):
                raise SvgRefused(
                    f"<{tag}> refers to {value.strip()[:80]!r}; SVG pictures may only refer to "
                    "'#fragments' inside themselves or data: URIs"
                )
        texts = [el.text or ""] if tag == "style" else []
        texts += [v for a, v in el.attrib.items() if _local(a) in ("style",) or "url(" in v]
        for text in texts:
            if "@import" in text:
                raise SvgRefused("@import in an SVG style is refused")
            for target in _URL.findall(text):
                if target and not target.startswith(("#", "data:")):
                    raise SvgRefused(
                        f"url({target[:80]}) refers outside the SVG file; only url(#id) is allowed"
                    )
    return root


def load_svg(path: Path):
    """A checked SVG file as a reportlab Drawing (raises SvgRefused)."""
    from svglib.svglib import SvgRenderer

    root = _parse_svg(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        drawing = SvgRenderer(str(path)).render(root)
    if drawing is None or not drawing.width or not drawing.height:
        raise SvgRefused("the SVG file has no size; give the <svg> element a width and height or a viewBox")
    return drawing


def _bitmap_problem(path: Path, suffix: str) -> str | None:
    from PIL import Image

    if path.stat().st_size > MAX_BYTES:
        return f"the image file is larger than {MAX_BYTES // (1024 * 1024)} MiB"
    want = FORMATS[suffix]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with Image.open(path) as im:  # reads the header only
                fmt, (w, h) = im.format, im.size
        except Image.DecompressionBombError:
            return f"the image has too many pixels; at most {MAX_PIXELS // 1_000_000} megapixels are allowed"
        except Exception as exc:  # noqa: BLE001 - any decoder failure means a bad file
            return f"corrupt or unreadable {want} image ({exc})"
        if fmt != want:
            return f"the file is a {fmt} image, not {want}; save it as {want} or rename it"
        if w * h > MAX_PIXELS:
            return (
                f"the image is {w} x {h} pixels ({w * h / 1e6:.1f} megapixels); "
                f"at most {MAX_PIXELS // 1_000_000} megapixels are allowed; scale it down"
            )
        try:
            with Image.open(path) as im:
                if fmt == "PNG":
                    im.verify()  # chunk checksums, without decoding the pixels
                else:
                    im.draft("RGB", (max(1, w // 8), max(1, h // 8)))
                    im.load()
        except Exception as exc:  # noqa: BLE001
            return f"corrupt or unreadable {want} image ({exc})"
    return None


def check_image(c: Checker, node: Node, path: str, target: Path) -> bool:
    """Report what is wrong with a picture file at ``node``; True when it is usable."""
    suffix = target.suffix.lower()
    if suffix == ".svg":
        try:
            root = _parse_svg(target)  # the safety checks; drawing waits until a page needs it
            if not (root.get("viewBox") or (root.get("width") and root.get("height"))):
                raise SvgRefused(
                    "the SVG file has no size; give the <svg> element a width and height or a viewBox"
                )
        except SvgRefused as exc:
            c.error(node, path, str(exc))
            return False
        except Exception as exc:  # noqa: BLE001 - svglib fails in many ways on odd files
            c.error(node, path, f"the SVG file cannot be drawn ({exc})")
            return False
        return True
    problem = _bitmap_problem(target, suffix)
    if problem:
        c.error(node, path, problem)
    return problem is None
