"""The validated library as frozen, typed objects.

Nothing here parses or checks: :mod:`handouts.read.library` builds these from the
loaded YAML and guarantees what the docstrings promise.
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path

from handouts.records import record

#: A dose field that a step's words state: ``{reps:10 repetitions}``.
DOSE_SPAN = re.compile(r"\{([a-z_]+):([^{}]*)\}")
#: Fields a step may mark. ``times`` states the repetitions as "N times".
SPAN_FIELDS = ("reps", "times", "hold", "duration")


@record
class Range:
    """A whole-number range, e.g. 2–3 sessions a week; ``low == high`` for one number."""

    low: int
    high: int


@record
class Hold:
    """How long to hold: seconds (a number or a range) or the source's words."""

    seconds: Range | None = None
    words: str | None = None


@record
class Dose:
    reps: int | None = None
    repeat: str | None = None  # the source's words, e.g. "as needed"
    hold: Hold | None = None
    duration: str | None = None
    sides: str | None = None  # "each" or None
    sets: int | None = None


@record
class Step:
    """One numbered step. ``text`` may hold dose spans (see :data:`DOSE_SPAN`)."""

    text: str

    def plain(self) -> str:
        """The step as the library words it."""
        return DOSE_SPAN.sub(lambda m: m.group(2), self.text)


@record
class Picture:
    """One numbered picture panel for an exercise."""

    caption: str
    alt: str
    #: the step numbers (1-based) this panel illustrates; the steps print "(N)"
    steps: tuple[int, ...] = ()
    figure: object = None  # a drawn figure from handouts.figures, or None when ``image`` is set
    image: Path | None = None


@record
class Exercise:
    id: str
    name: str
    description: str
    starting_position: str
    steps: tuple[Step, ...]
    dose: Dose
    also_known_as: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    safety: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    video: str | None = None
    pictures: tuple[Picture, ...] = ()


@record
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@record
class Faq:
    id: str
    question: str
    answer: str


@record
class Reference:
    id: str
    year: int | None  # None for a web page that gives no date (printed "n.d.")
    title: str
    authors: str | None = None
    organisation: str | None = None
    publisher: str | None = None
    url: str | None = None


@record
class UrgentHelp:
    """When to stop and get help at once: signs grouped by how urgent, added by the clinic.

    Clinical content: ``reviewed`` stays False until a clinician signs it off (``reviewed_by``,
    ``reviewed_on``); every page that prints it says so, and ``validate --release`` refuses it.
    """

    emergency: tuple[str, ...]
    same_day: tuple[str, ...]
    emergency_number: str
    urgent_number: str
    source: str  # a reference id
    reviewed: bool = False
    reviewed_by: str | None = None
    reviewed_on: str | None = None


@record
class Promotion:
    name: str
    description: str


@record
class Colours:
    primary: str
    on_primary: str
    text: str
    muted: str
    background: str
    panel: str
    safety: str
    safety_panel: str


@record
class Brand:
    organisation: str
    contact: str
    website: str | None
    colours: Colours
    logo: Path | None = None


@record
class DocumentInfo:
    title: str
    subtitle: str
    version: str
    last_reviewed: str  # YYYY-MM-DD
    language: str


@record
class Schedule:
    """How often and for how long: the library's default, or one patient's."""

    per_week: Range
    weeks: Range


@record
class Guide:
    introduction: tuple[str, ...]
    importance: Section
    finding_relief: Section
    recommendations: Section
    evidence: Section
    trends: Section
    faq: tuple[Faq, ...]
    safety: tuple[str, ...]
    references: tuple[Reference, ...]

    def faq_by_id(self, faq_id: str) -> Faq:
        return next(f for f in self.faq if f.id == faq_id)


@record
class Library:
    path: Path
    schema_version: int
    document: DocumentInfo
    brand: Brand
    programme: Schedule
    guide: Guide
    exercises: tuple[Exercise, ...]
    promotions: tuple[Promotion, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)
    #: False for a translation not yet clinically reviewed; pages then say so
    translation_reviewed: bool = True
    urgent_help: UrgentHelp | None = None

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.exercises]

    def exercise(self, exercise_id: str) -> Exercise:
        for e in self.exercises:
            if e.id == exercise_id:
                return e
        raise KeyError(exercise_id)


@record
class Prescription:
    """One patient's dose for one exercise; None keeps the library's value.

    ``personal`` marks a page made for one patient: it never prints a blank to fill in.
    """

    sets: int | None = None
    reps: int | None = None
    hold: int | None = None
    sides: str | None = None  # each, left or right
    notes: str | None = None
    personal: bool = False


NO_RX = Prescription()


@record
class Chosen:
    """An exercise of a patient's programme with its prescription."""

    id: str
    rx: Prescription


@record
class Program:
    """One patient's home-exercise programme, as read from a programme file, a CSV row or the desk."""

    patient: str
    clinician: str
    clinician_contact: str | None
    start: str
    review: str | None
    weeks: int
    per_week: int
    notes: str | None
    exercises: tuple[Chosen, ...]
    language: str | None = None
    paper: str | None = None
    large_print: bool = False
    #: what the build should tell the clinician (file:line:col: key: message), never a patient's data
    warnings: tuple[str, ...] = field(default=(), compare=False)


@record
class Prepared:
    """The "Prepared for / by / Date" line; blanks print as lines to fill by hand."""

    patient: str = ""
    clinician: str = ""
    date: str = ""


@record
class Job:
    """One output of a build or batch: what to render and where (relative to the output folder)."""

    kind: str  # sheet, booklet or program
    target: str  # path relative to the output folder
    language: str = "en"
    paper: str = "a4"
    large_print: bool = False
    exercise: str | None = None
    promo: bool = False
    program: object = None  # a model.Program for kind == "program"
    label: str = ""  # how a failure names the job (e.g. the CSV line)
