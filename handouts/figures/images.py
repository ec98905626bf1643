"""Checks for a clinic's own picture files, and safe SVG loading.

PNG and JPEG files are opened header first (so a huge image is refused before
it is decoded), then checked for damage. SVG files are parsed without entities,
DTDs or network access, and refused if they declare a DOCTYPE or entity or point
at anything outside themselves.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.errors import BuildError

if TYPE_CHECKING:  # names for annotations only: drawing a picture needs no reader
    from handouts.read.fields import Checker
    from handouts.read.nodes import Node

MAX_PIXELS = 25_000_000
MAX_BYTES = 20 * 1024 * 1024
MAX_SVG_BYTES = 5 * 1024 * 1024
#: Elements in one SVG picture: a logo or an illustration needs a few thousand; a million takes
#: minutes to draw.
MAX_SVG_ELEMENTS = 20_000
_NUMBER = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(px|pt|mm|cm|in|pc)?\s*$")
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg);base64,(.*)$", re.IGNORECASE | re.DOTALL)
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
_DECL = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_URL = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_REFUSED_TAGS = ("script", "foreignObject")


class SvgRefused(ValueError):
    pass


def _local(name) -> str:
    return name.rsplit("}", 1)[-1] if isinstance(name, str) else ""


def _parse_svg(path: Path):
    from lxml import etree  # lazy: the SVG, bitmap and drawing libraries load only for picture files

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
    count = sum(1 for _ in root.iter())
    if count > MAX_SVG_ELEMENTS:
        raise SvgRefused(
            f"the SVG file has {count} elements; at most {MAX_SVG_ELEMENTS} are allowed; simplify it"
        )
    _check_size(root)
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
            if _local(attr) == "href" and value.strip().startswith("data:"):
                _check_data_image(tag, value.strip())
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


def _length(value: str | None) -> float | None:
    m = _NUMBER.match(value or "")
    return float(m.group(1)) if m else None


def _check_size(root) -> None:
    """A finite, positive size from width and height, or from the viewBox."""

    box = root.get("viewBox")
    width, height = root.get("width"), root.get("height")
    if box is not None:
        parts = [p for p in re.split(r"[\s,]+", box.strip()) if p]
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            numbers = []
        if (
            len(numbers) != 4
            or not all(math.isfinite(n) for n in numbers)
            or numbers[2] <= 0
            or numbers[3] <= 0
        ):
            raise SvgRefused(
                f"the SVG viewBox {box[:60]!r} is not four numbers with a positive width and height"
            )
    for name, value in (("width", width), ("height", height)):
        if value is None or value.strip().endswith("%"):
            continue
        n = _length(value)
        if n is None or not math.isfinite(n) or n <= 0:
            raise SvgRefused(f"the SVG {name} {value[:40]!r} is not a positive length")
    if box is None and (width is None or height is None):
        raise SvgRefused("the SVG file has no size; give the <svg> element a width and height or a viewBox")


def _check_data_image(tag: str, uri: str) -> None:
    """A picture inside the SVG: a PNG or JPEG held to the same limits as a picture file."""

    m = _DATA_IMAGE.match(uri)
    if not m:
        raise SvgRefused(f"<{tag}> holds a data: URI that is not a base64 PNG or JPEG image")
    payload = m.group(2)
    if len(payload) > MAX_BYTES * 4 // 3 + 4:
        raise SvgRefused(f"<{tag}> holds an image larger than {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        raw = base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        raise SvgRefused(f"<{tag}> holds a data: URI that is not valid base64") from None
    problem = _image_problem(io.BytesIO(raw), "PNG" if m.group(1).lower() == "png" else "JPEG")
    if problem:
        raise SvgRefused(f"<{tag}> holds an image that is refused: {problem}")


def load_svg(path: Path):
    """A checked SVG file as a reportlab Drawing; a file that cannot be drawn is a BuildError
    naming it, never a crash on a page."""

    from svglib.svglib import SvgRenderer  # lazy: as above

    try:
        root = _parse_svg(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            drawing = SvgRenderer(str(path)).render(root)
    except SvgRefused as exc:
        raise BuildError(f"{path}: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - svglib fails in many ways on odd files
        raise BuildError(f"{path}: the SVG file cannot be drawn ({exc})") from None
    size = (getattr(drawing, "width", 0), getattr(drawing, "height", 0))
    if drawing is None or not all(isinstance(v, int | float) and math.isfinite(v) and v > 0 for v in size):
        raise BuildError(
            f"{path}: the SVG file has no usable size; give the <svg> element a width and height"
        )
    return drawing


def _bitmap_problem(path: Path, suffix: str) -> str | None:
    if path.stat().st_size > MAX_BYTES:
        return f"the image file is larger than {MAX_BYTES // (1024 * 1024)} MiB"
    with open(path, "rb") as fh:
        return _image_problem(fh, FORMATS[suffix])


def _image_problem(source, want: str) -> str | None:
    """What is wrong with a PNG or JPEG (a file object), or None. The header is read first, so
    a huge image is refused before it is decoded; then the whole image is decoded, so a file
    that is damaged anywhere is refused here and never fails later on a page."""
    from PIL import Image  # lazy: as above

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with Image.open(source) as im:  # reads the header only
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
        if w == 0 or h == 0:
            return "the image has no pixels"
        try:
            source.seek(0)
            with Image.open(source) as im:
                if fmt == "PNG":
                    im.verify()  # chunk checksums
            source.seek(0)
            with Image.open(source) as im:
                im.load()  # every pixel: a truncated file fails here, not on a page
        except Exception as exc:  # noqa: BLE001
            return f"corrupt or unreadable {want} image ({exc})"
    return None


def check_image(c: Checker, node: Node, path: str, target: Path) -> bool:
    """Report what is wrong with a picture file at ``node``; True when it is usable."""
    suffix = target.suffix.lower()
    if suffix == ".svg":
        try:
            _parse_svg(target)  # safety, size and size-of-work checks; drawing waits for a page
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
