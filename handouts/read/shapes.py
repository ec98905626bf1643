"""The shape of the library and programme files: every key, its type and its limits, stated once.

The validator takes its key lists and limits from here, and ``handouts schema`` turns the same
shapes into JSON Schema for editors, so the two cannot drift apart (a test records every key the
validator asks for and compares it with the schema).
"""

from __future__ import annotations

from dataclasses import field

from handouts import limits as L
from handouts.model import Colours
from handouts.records import record

MAX_TEXT = 5000
ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
HEX_PATTERN = r"^#[0-9A-Fa-f]{6}$"
LANGUAGE_PATTERN = L.LANGUAGE_PATTERN
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PAPERS = L.PAPERS
SCHEMA_VERSION = 1
#: The guide's sections, in print order.
GUIDE_SECTIONS = ("importance", "finding_relief", "recommendations", "evidence", "trends")


@record
class Text:
    max_len: int = MAX_TEXT
    pattern: str | None = None
    about: str = ""


@record
class Whole:
    low: int
    high: int
    about: str = ""


@record
class Date:
    about: str = "a date as YYYY-MM-DD"


@record
class Flag:
    about: str = ""


@record
class Choice:
    values: tuple[str, ...]
    about: str = ""


@record
class Url:
    max_len: int = 300
    about: str = "an https:// web address"


@record
class File:
    suffixes: tuple[str, ...]
    about: str = "a file beside the library, named relative to it"


@record
class Items:
    item: object
    min_items: int = 0


@record
class Either:
    options: tuple


@record
class Fields:
    """A mapping with known keys: ``required`` and ``optional`` map each key to its shape."""

    required: dict = field(default_factory=dict)
    optional: dict = field(default_factory=dict)

    @property
    def keys(self) -> dict:
        """``required=`` and ``optional=`` key tuples, as the checker's ``mapping`` takes them."""
        return {"required": tuple(self.required), "optional": tuple(self.optional)}

    def __getitem__(self, key: str):
        return self.required[key] if key in self.required else self.optional[key]

    def __hash__(self) -> int:
        return id(self)


def limits(shape: Whole) -> tuple[int, int]:
    return shape.low, shape.high


def range_of(low: int, high: int, about: str) -> Either:
    """A whole number, or ``{min, max}``, each within ``low``-``high``."""
    n = Whole(low, high, about)
    return Either((n, Fields(required={"min": n, "max": n})))


ID = Text(60, ID_PATTERN, "a kebab-case id such as 'wall-angels'")
ID_REF = Text(60, about="the id of an entry defined elsewhere in the library")

DOCUMENT = Fields(
    required={
        "title": Text(75),
        "subtitle": Text(200),
        "version": Text(30),
        "last_reviewed": Date(),
        "language": Text(10, LANGUAGE_PATTERN, "a language code such as 'en' or 'sv'"),
    }
)
COLOURS = Fields(
    required={name: Text(20, HEX_PATTERN, "a colour as #RRGGBB") for name in Colours.__dataclass_fields__}
)
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
# Limits of text printed on page furniture (the band, the footer, the "Prepared for" line) are the
# lengths that fit on the fullest shipped page in every language and print size
# (tests/test_field_limits.py proves each at its limit); longer text in the body wraps, and a page
# it no longer fits fails the build saying by how much.
BRAND = Fields(
    required={"organisation": Text(60), "contact": Text(300), "colours": COLOURS},
    optional={"website": Url(100), "logo": File(LOGO_SUFFIXES)},
)
PER_WEEK = Whole(*L.PER_WEEK, "sessions a week")
WEEKS = Whole(*L.WEEKS, "weeks")
PROGRAMME = Fields(
    required={
        "per_week": range_of(PER_WEEK.low, PER_WEEK.high, PER_WEEK.about),
        "weeks": range_of(WEEKS.low, WEEKS.high, WEEKS.about),
    }
)
SECTION = Fields(required={"heading": Text(200), "paragraphs": Items(Text(), 1)})
FAQ = Fields(required={"id": ID, "question": Text(300), "answer": Text()})
REFERENCE = Fields(
    required={"id": ID, "title": Text(300)},
    optional={
        "year": Whole(1800, 2100, "a year (may be left out for a web page that gives none, with url)"),
        "authors": Text(300),
        "organisation": Text(300),
        "publisher": Text(300),
        "url": Url(),
    },
)
GUIDE = Fields(
    required={
        "introduction": Items(Text(), 1),
        **{name: SECTION for name in GUIDE_SECTIONS},
        "faq": Items(FAQ, 1),
        "safety": Items(ID_REF),
        "references": Items(REFERENCE, 1),
    }
)
REPS = Whole(*L.REPS, "repetitions")
HOLD = Whole(*L.HOLD_SECONDS, "seconds")
SETS = Whole(*L.SETS, "sets")
WORDS = Text(60, about="the source's words, when it gives no number")
DOSE = Fields(
    optional={
        "reps": REPS,
        "repeat": WORDS,
        "hold": Either((WORDS, range_of(HOLD.low, HOLD.high, HOLD.about))),
        "duration": WORDS,
        "sides": Choice(("each",)),
        "sets": SETS,
    }
)
EXERCISE = Fields(
    required={
        "id": ID,
        "name": Text(80),
        "description": Text(1500),
        "starting_position": Text(500),
        "steps": Items(Text(1000), 1),
        "dose": DOSE,
    },
    optional={
        "also_known_as": Items(Text(80)),
        "positions": Items(Text(40)),
        "safety": Items(ID_REF),
        "references": Items(ID_REF),
        "video": Url(200, "an https:// address of a video; a longer one makes a QR code too dense to scan"),
        "pictures": File((".yaml",), "the exercise's figure file, beside the library"),
    },
)
PROMOTION = Fields(required={"name": Text(120), "description": Text(500)})
#: A sign is one short line in a compact box on every sheet.
SIGN = Text(90, about="one sign, in the patient's words")
PHONE = Text(20, r"^[0-9+][0-9 ()+-]*$", "a phone number such as 999, 112 or 111")
URGENT_HELP = Fields(
    required={
        "source": ID_REF,
        "reviewed": Flag("true once a clinician has signed the signs off (then give reviewed_by)"),
        "numbers": Fields(required={"emergency": PHONE, "urgent": PHONE}),
        "emergency": Items(SIGN, 1),
        "same_day": Items(SIGN, 1),
    },
    optional={"reviewed_by": Fields(required={"name": Text(120), "date": Date()})},
)
LIBRARY = Fields(
    required={
        "schema_version": Whole(SCHEMA_VERSION, SCHEMA_VERSION, "the library format's version"),
        "document": DOCUMENT,
        "brand": BRAND,
        "programme": PROGRAMME,
        "guide": GUIDE,
        "exercises": Items(EXERCISE, 1),
    },
    optional={"promotions": Items(PROMOTION), "urgent_help": URGENT_HELP},
)

# -- a patient's programme file --------------------------------------------------------------
SIDES = ("each", "left", "right")
CLINICIAN = Fields(required={"name": Text(40)}, optional={"contact": Text(50)})
CHOSEN = Fields(
    required={"id": ID_REF},
    optional={"sets": SETS, "reps": REPS, "hold": HOLD, "sides": Choice(SIDES), "notes": Text(600)},
)
PROGRAM = Fields(
    required={
        "patient": Text(70),
        "clinician": CLINICIAN,
        "start": Date(),
        "weeks": WEEKS,
        "per_week": PER_WEEK,
        "exercises": Items(Either((ID_REF, CHOSEN)), 1),
    },
    optional={
        "review": Date(),
        "notes": Text(1200),
        "lang": Text(10, LANGUAGE_PATTERN, "a language code such as 'en' or 'sv'"),
        "paper": Choice(PAPERS),
        "large_print": Flag(),
    },
)

#: The documents ``handouts schema`` describes.
DOCUMENTS = {"library": LIBRARY, "programme": PROGRAM}
