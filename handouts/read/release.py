"""What a clinic's release pipeline asks beyond validity: clinical content a clinician has signed off."""

from __future__ import annotations

from handouts.errors import Problem, ValidationError
from handouts.model import Library
from handouts.read.translation import translation_path


def check_release(lib: Library, translations) -> None:
    """Clinical content not yet signed off by a clinician stops a release (ValidationError)."""
    problems = []
    name = str(lib.path)
    if lib.urgent_help is not None and not lib.urgent_help.reviewed:
        problems.append(
            Problem(
                name,
                None,
                None,
                "urgent_help.reviewed",
                "the urgent-help signs are not yet clinically reviewed; a clinician signs them off "
                "with reviewed: true and reviewed_by: {name, date}",
            )
        )
    for tr in translations:
        if not tr.translation_reviewed:
            problems.append(
                Problem(
                    str(translation_path(lib, tr.document.language)),
                    None,
                    None,
                    "reviewed",
                    "the translation is not yet clinically reviewed; once a clinician has checked it, set reviewed: true",
                )
            )
    if problems:
        raise ValidationError(problems, "the release")
