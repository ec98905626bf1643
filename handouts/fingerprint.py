"""What decides a document's bytes, hashed: the build skips a document whose fingerprint and
file are unchanged. Handouts' version, the engines' versions, the job, the timestamp, and the
library content, labels and files the kind of document draws."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from handouts import __version__, glyphs
from handouts.cachedir import ENGINES, engine_versions  # noqa: F401 - ENGINES: what the fingerprint holds
from handouts.i18n import catalogue_digest
from handouts.manifest import file_hash
from handouts.model import Job, Library


@lru_cache(maxsize=64)
def _asset_hash(path: str) -> str:
    return file_hash(path)


def _assets(lib: Library, exercises) -> list[str]:

    files = [str(glyphs.font_path(s)) for s in glyphs.FONT_FILES]
    if lib.brand.logo:
        files.append(str(lib.brand.logo))
    for ex in exercises:
        files += [str(p.image) for p in ex.pictures if p.image]
    return [f"{f}:{_asset_hash(f)}" for f in files]


def fingerprint(lib: Library, job: Job, epoch: int) -> str:
    """A hash of everything that decides the job's bytes."""
    parts = [
        __version__,
        engine_versions(),
        job,
        epoch,
        _content_digest(lib, job.kind, job.exercise, job.language),
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


#: id(library) -> (the library, {(kind, exercise, language): digest}). The library is held, so
#: its id cannot be reused by another object while the entry lives.
_DIGESTS: dict[int, tuple[Library, dict]] = {}


def _content_digest(lib: Library, kind: str, exercise: str | None, language: str) -> str:
    """The digest of the library content, labels and files a kind of document draws: the same
    for every programme of a batch, so it is computed once, not once per patient."""
    held = _DIGESTS.get(id(lib))
    if held is None or held[0] is not lib:
        if len(_DIGESTS) > 16:
            _DIGESTS.clear()
        held = _DIGESTS[id(lib)] = (lib, {})
    key = (kind, exercise if kind == "sheet" else None, language)
    if key not in held[1]:
        if kind == "sheet":
            ex = lib.exercise(exercise)
            content = [
                ex,
                lib.brand,
                lib.document,
                lib.programme,
                lib.guide.faq,
                lib.guide.safety,
                lib.guide.references,
                lib.translation_reviewed,
                lib.urgent_help,
            ]
            exercises = [ex]
        else:
            content = [
                lib.document,
                lib.brand,
                lib.programme,
                lib.guide,
                lib.exercises,
                lib.promotions,
                lib.translation_reviewed,
                lib.urgent_help,
            ]
            exercises = lib.exercises
        parts = [content, catalogue_digest(language), _assets(lib, exercises)]
        held[1][key] = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
    return held[1][key]
