"""Reading: YAML and CSV to nodes with positions, checked into the frozen model."""

from __future__ import annotations


def localised(lib, lang: str):
    """``lib`` in ``lang`` (see :func:`handouts.read.translation.localised`); the translation
    reader, YAML and validation load only when another language is asked for."""
    if lang == lib.document.language:
        return lib
    from handouts.read.translation import localised as translated  # lazy: as the docstring says

    return translated(lib, lang)
