"""The numbers every part of Handouts agrees on, stated once: dose bounds and paper sizes.

Plain constants, so the command line can use them without loading anything else (``--help``
stays fast); ``handouts.read.shapes`` builds the library's and programme's shapes from them.
"""

PAPERS = ("a4", "letter")
#: (lowest, highest), inclusive.
SETS = (1, 10)
REPS = (1, 100)
HOLD_SECONDS = (1, 300)
PER_WEEK = (1, 14)
WEEKS = (1, 52)
#: A language code: it names files (exercises.LANG.yaml, the label catalogues), so nothing else passes.
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"
