"""reportlab's PDF text encoding, with ASCII written as it is.

reportlab encodes every piece of the file it writes (object headers, dictionaries, and the whole
of each page's content stream) through its ``extpdfdoc`` codec, a character map applied one
character at a time: about 2 ms of a 19 ms sheet, nearly all of it spent on text that is plain
ASCII, which that codec maps to the same bytes. :func:`install` puts in reportlab's place an
encoder that writes such text directly and hands anything else (and the eight ASCII control
characters the codec refuses) to reportlab's own. A test compares the two for every character.
"""

from __future__ import annotations

import re

from reportlab.pdfbase import pdfdoc

#: The ASCII characters ``extpdfdoc`` has no byte for (it raises on them): left to reportlab.
_REFUSED = re.compile("[\x18-\x1f]")
_ORIGINAL = pdfdoc.pdfdocEnc


def pdfdoc_encode(x):
    """What reportlab's ``pdfdocEnc`` returns for ``x``, quicker for plain ASCII text."""
    if isinstance(x, str) and x.isascii() and not _REFUSED.search(x):
        return x.encode("ascii")
    return _ORIGINAL(x)


def install() -> None:
    """Use :func:`pdfdoc_encode` for everything reportlab's PDF writer encodes."""
    pdfdoc.pdfdocEnc = pdfdoc_encode
