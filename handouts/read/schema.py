"""JSON Schema (draft 2020-12) for the library and programme files, generated from ``shapes``.

Editors with a YAML language server use it to complete keys and flag mistakes as a clinician
types; ``handouts validate`` remains the full check (doses against steps, ids, files, fonts).
"""

from __future__ import annotations

import json

from handouts.read import shapes as S

DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLES = {"library": "Handouts exercise library", "programme": "Handouts patient programme"}


def _node(shape) -> dict:
    if isinstance(shape, S.Text):
        # Text must hold something other than white space.
        out: dict = {"type": "string", "maxLength": shape.max_len, "pattern": shape.pattern or r"\S"}
    elif isinstance(shape, S.Whole):
        out = {"type": "integer", "minimum": shape.low, "maximum": shape.high}
    elif isinstance(shape, S.Date):
        out = {"type": "string", "pattern": S.DATE_PATTERN, "format": "date"}
    elif isinstance(shape, S.Flag):
        out = {"type": "boolean"}
    elif isinstance(shape, S.Choice):
        out = {"type": "string", "enum": list(shape.values)}
    elif isinstance(shape, S.Url):
        out = {"type": "string", "pattern": "^https://", "maxLength": shape.max_len}
    elif isinstance(shape, S.File):
        suffixes = "|".join(s.lstrip(".") for s in shape.suffixes)
        out = {"type": "string", "maxLength": 500, "pattern": rf"(?i)\.({suffixes})$"}
    elif isinstance(shape, S.Items):
        out = {"type": "array", "items": _node(shape.item)}
        if shape.min_items:
            out["minItems"] = shape.min_items
    elif isinstance(shape, S.Either):
        out = {"oneOf": [_node(o) for o in shape.options]}
    elif isinstance(shape, S.Fields):
        props = {**shape.required, **shape.optional}
        out = {
            "type": "object",
            "properties": {k: _node(v) for k, v in props.items()},
            "additionalProperties": False,
        }
        if shape.required:
            out["required"] = list(shape.required)
    else:  # pragma: no cover - a new shape type without a rule here
        raise TypeError(f"no JSON Schema rule for {shape!r}")
    about = getattr(shape, "about", "")
    if about:
        out["description"] = about
    return out


def json_schema(kind: str) -> dict:
    """The schema for ``kind``: 'library' or 'programme'."""
    schema = {
        "$schema": DIALECT,
        "title": TITLES[kind],
        **_node(S.DOCUMENTS[kind]),
    }
    return schema


def dumps(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
