"""`handouts schema`: JSON Schema for editors, made from the validator's own definitions."""

from __future__ import annotations

import json
import re
import shutil

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, ROOT

from handouts.api import load
from handouts.read import fields as checker_module
from handouts.read.programme import load_program
from handouts.read.schema import json_schema


class _NoDates(yaml.SafeLoader):
    """YAML as an editor's language server reads it: dates stay text."""


_NoDates.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


def _yaml(path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDates)


def _validator(kind):
    schema = json_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("kind", ["library", "programme"])
def test_schema_command_prints_draft_2020_12(run, kind):
    result = run("schema", kind)
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_shipped_library_and_example_programme_match_the_schema():
    assert list(_validator("library").iter_errors(_yaml(ROOT / "exercises.yaml"))) == []
    assert list(_validator("programme").iter_errors(_yaml(ROOT / "examples" / "programme.yaml"))) == []


#: Bad libraries whose fault is one of shape (keys, types, limits), which a schema can see.
SCHEMA_VISIBLE = [
    "missing-name",
    "reps-not-number",
    "reps-out-of-range",
    "unknown-key-typo",
    "schema-version",
    "empty-steps",
    "empty-text",
    "http-video",
    "javascript-video",
    "top-level-list",
]


@pytest.mark.parametrize("case", SCHEMA_VISIBLE)
def test_schema_rejects_bad_fixtures(case):
    data = _yaml(FIXTURES / "bad" / f"{case}.yaml")
    assert list(_validator("library").iter_errors(data)), case


def test_a_schema_comment_never_changes_how_a_library_loads(tmp_path):
    text = (ROOT / "exercises.yaml").read_text(encoding="utf-8")
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    plain = tmp_path / "plain.yaml"
    plain.write_text(text, encoding="utf-8")
    marked = tmp_path / "marked.yaml"
    marked.write_text(
        "# yaml-language-server: $schema=schemas/library.schema.json\n# $schema: nonsense\n" + text,
        encoding="utf-8",
    )
    a, b = load(str(plain)), load(str(marked))
    assert a.exercises == b.exercises and a.guide == b.guide and a.brand == b.brand


# -- the validator and the schema know the same keys and limits --------------------------------


def _resolve(schema: dict, path: str) -> list[dict]:
    """Every schema node a validator path (``exercises[3].dose.hold``) may stand for."""
    nodes = [schema]
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        nxt = []
        for node in _expand(nodes):
            if part.startswith("["):
                if "items" in node:
                    nxt.append(node["items"])
            elif part in node.get("properties", {}):
                nxt.append(node["properties"][part])
        nodes = nxt
    return list(_expand(nodes))


def _expand(nodes):
    for node in nodes:
        if "oneOf" in node:
            yield from _expand(node["oneOf"])
        else:
            yield node


def _record(monkeypatch):
    calls = []
    real = checker_module.Checker

    def mapping(self, node, path, required=(), optional=()):
        calls.append(("object", self.name, path, (tuple(required), tuple(optional))))
        return real_mapping(self, node, path, required, optional)

    def text(self, node, path, max_len=checker_module.MAX_TEXT):
        calls.append(("string", self.name, path, max_len))
        return real_text(self, node, path, max_len)

    def integer(self, node, path, low, high, what="a whole number"):
        calls.append(("integer", self.name, path, (low, high)))
        return real_integer(self, node, path, low, high, what)

    real_mapping, real_text, real_integer = real.mapping, real.text, real.integer
    monkeypatch.setattr(real, "mapping", mapping)
    monkeypatch.setattr(real, "text", text)
    monkeypatch.setattr(real, "integer", integer)
    return calls


def _compare(calls, name, schema):
    seen_objects = set()
    for kind, file, path, what in calls:
        if file != name:
            continue  # a figure file: a document of its own
        if path == "schema_version":
            continue  # read over a wide range, so a newer file is told which version this one reads
        candidates = [n for n in _resolve(schema, path) if n.get("type") == kind]
        assert candidates, f"{path}: the validator reads {kind} but the schema has none there"
        if kind == "object":
            required, optional = what
            match = [
                n
                for n in candidates
                if set(n["properties"]) == set(required) | set(optional)
                and set(n.get("required", ())) == set(required)
            ]
            assert match, f"{path}: validator keys {required} + {optional} differ from the schema's"
            seen_objects.add(id(match[0]))
        elif kind == "string":
            assert any(n.get("maxLength") == what or "enum" in n for n in candidates), (
                f"{path}: text limit {what}"
            )
        else:
            assert any((n["minimum"], n["maximum"]) == what for n in candidates), f"{path}: bounds {what}"
    return seen_objects


def _objects(node):
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield node
        for v in node.values():
            yield from _objects(v)
    elif isinstance(node, list):
        for v in node:
            yield from _objects(v)


def test_validator_keys_and_limits_are_the_schemas(monkeypatch, tmp_path):
    """Every key the validator asks for is in the schema at that place, with the same limits,
    and every mapping in the schema is one the validator reads: nothing more, nothing less."""
    # The shipped library, with the optional keys it leaves out: a clinician's sign-off.
    text = (ROOT / "exercises.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  reviewed: false\n", '  reviewed: true\n  reviewed_by: {name: Sam Physio, date: "2026-12-01"}\n', 1
    )
    full = tmp_path / "exercises.yaml"
    full.write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    programme = ROOT / "examples" / "programme.yaml"
    for kind, run, name in (
        ("library", lambda: load(str(full)), str(full)),
        ("programme", lambda: load_program(programme, load(str(ROOT / "exercises.yaml"))), str(programme)),
    ):
        calls = _record(monkeypatch)
        run()
        schema = json_schema(kind)
        seen = _compare(calls, name, schema)
        unread = [o for o in _objects(schema) if id(o) not in seen]
        assert not unread, (
            f"{kind}: schema mappings the validator never read: {[list(o['properties']) for o in unread]}"
        )
        monkeypatch.undo()
