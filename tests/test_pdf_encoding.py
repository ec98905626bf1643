"""reportlab's PDF text encoding with ASCII written directly (handouts/pdf/encoding.py) gives the
same bytes, and the same refusals, as reportlab's own codec."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfdoc

from handouts.pdf import encoding, tagging  # noqa: F401 - tagging installs the encoder


def _outcome(fn, value):
    try:
        return fn(value)
    except UnicodeEncodeError as exc:
        return ("refused", exc.start, exc.end)


def test_every_character_encodes_as_reportlab_encodes_it():
    for i in range(0x3000):
        c = chr(i)
        for text in (c, f"BT ({c}) Tj ET", f"{c}x"):
            assert _outcome(encoding.pdfdoc_encode, text) == _outcome(encoding._ORIGINAL, text), hex(i)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "1 0 0 1 72 700 cm\nBT /F1 12 Tf (Hello) Tj ET\n" * 500,
        "Övning – axlar",
        "\x18",
        b"bytes\x00",
        "€",
        "a\x1fb",
    ],
)
def test_whole_streams_and_odd_values(value):
    assert _outcome(encoding.pdfdoc_encode, value) == _outcome(encoding._ORIGINAL, value)


def test_the_writer_uses_it():
    assert pdfdoc.pdfdocEnc is encoding.pdfdoc_encode
