"""``@record`` makes the class ``@dataclass`` would: every record in the package against its twin."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import handouts
from handouts import initialisers
from handouts.records import INITIALISERS, initialisers_source, record


def _records() -> list[type]:
    found = {}
    for info in pkgutil.walk_packages(handouts.__path__, "handouts."):
        if info.name.startswith("handouts.desk"):
            pytest.importorskip("flask")
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == info.name
                and "__dataclass_fields__" in vars(value)
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[k] for k in sorted(found)]


RECORDS = _records()


def _twin(cls: type) -> type:
    """``cls`` made again from its own annotations and defaults by the standard library."""
    fields = dataclasses.fields(cls)
    namespace = {"__annotations__": {f.name: f.type for f in fields}, "__qualname__": cls.__qualname__}
    for f in fields:
        namespace[f.name] = dataclasses.field(
            default=f.default, default_factory=f.default_factory, compare=f.compare, hash=f.hash, repr=f.repr
        )
    twin = type(cls.__name__, (), namespace)
    twin.__module__ = cls.__module__
    return dataclasses.dataclass(frozen=cls.__dataclass_params__.frozen)(twin)


def _args(cls: type) -> dict:
    """A value for every field: a different number each (defaults are compared by signature)."""
    return {f.name: 100 + i for i, f in enumerate(dataclasses.fields(cls))}


def _outcome(fn):
    try:
        return ("value", fn())
    except Exception as exc:  # noqa: BLE001 - the kind of failure is what is compared
        return ("raises", type(exc).__name__, str(exc))


def test_every_dataclass_in_the_package_is_a_record():
    assert len(RECORDS) > 40
    for cls in RECORDS:
        assert cls.__init__.__code__.co_filename in (initialisers.__file__, "<record>"), cls


def test_the_shipped_templates_are_current():
    """handouts/initialisers.py is what records.initialisers_source writes: run
    ``python scripts/initialisers.py`` after changing a template."""
    assert Path(initialisers.__file__).read_text(encoding="utf-8") == initialisers_source()
    assert len(initialisers.BY_FIELDS) == INITIALISERS


def test_a_record_with_more_fields_than_the_shipped_templates():
    names = [f"f{i}" for i in range(INITIALISERS + 3)]
    namespace = {"__annotations__": dict.fromkeys(names, "int"), names[-1]: 7}
    big = record(type("Big", (), namespace))
    value = big(*range(len(names) - 1))
    assert [getattr(value, n) for n in names] == [*range(len(names) - 1), 7]
    assert big.__init__.__code__.co_filename == "<record>"


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_a_record_behaves_as_its_dataclass_twin(cls):
    twin = _twin(cls)
    assert [(p.name, p.kind, repr(p.default)) for p in inspect.signature(cls).parameters.values()] == [
        (p.name, p.kind, repr(p.default)) for p in inspect.signature(twin).parameters.values()
    ]
    args = _args(cls)
    a, b = cls(**args), twin(**args)
    assert repr(a) == repr(b)
    assert _outcome(lambda: hash(a)) == _outcome(lambda: hash(b))
    assert a == cls(**args) and b == twin(**args)
    assert a != b and b != a  # another class: never equal
    assert [(f.name, f.type, f.compare) for f in dataclasses.fields(a)] == [
        (f.name, f.type, f.compare) for f in dataclasses.fields(b)
    ]
    assert cls.__dataclass_params__.eq and cls.__dataclass_params__.init and cls.__dataclass_params__.repr
    first = dataclasses.fields(cls)[0].name
    changed = dataclasses.replace(a, **{first: -1})
    assert getattr(changed, first) == -1 and changed != a
    assert _outcome(lambda: setattr(a, first, 7)) == _outcome(lambda: setattr(b, first, 7))
    assert _outcome(lambda: delattr(cls(**args), first)) == _outcome(lambda: delattr(twin(**args), first))
    assert _outcome(lambda: setattr(cls(**args), "other", 1)) == _outcome(
        lambda: setattr(twin(**args), "other", 1)
    )


def test_defaults_factories_and_what_compares():
    @record
    class R:
        a: int
        b: str = "x"
        c: tuple = dataclasses.field(default_factory=lambda: (1, 2))
        d: tuple = dataclasses.field(default=(), compare=False)

    r = R(1)
    assert (r.a, r.b, r.c, r.d) == (1, "x", (1, 2), ())
    assert R(1, c=(3,)).c == (3,)
    assert R(1, d=(9,)) == R(1) and hash(R(1, d=(9,))) == hash(R(1))  # d does not compare
    assert R(1) != R(2) and R(1, "y") != R(1)
    assert hash(R(1)) == hash((1, "x", (1, 2)))  # as a dataclass: a tuple of what compares
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'a'"):
        r.a = 2
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'a'"):
        R()
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        R(1, z=2)

    @record(frozen=False)
    class M:
        items: list = dataclasses.field(default_factory=list)

    m, n = M(), M()
    m.items.append(1)
    assert n.items == [] and m != n and M.__hash__ is None
    m.items = [2]
    assert m == M([2])


def test_a_record_without_a_docstring_is_documented_by_its_signature():
    @record
    class R:
        a: int
        b: str = "x"

    @dataclasses.dataclass(frozen=True)
    class D:
        a: int
        b: str = "x"

    assert R.__doc__ == "R(a: 'int', b: 'str' = 'x')" == D.__doc__.replace("D(", "R(")


@pytest.mark.parametrize(
    "body",
    [
        "a: int = 1\n    b: int",
        "a: int\n    def __post_init__(self): pass",
        "a: int = dataclasses.field(init=False, default=1)",
        "a: dataclasses.InitVar[int] = 1",
        "a: int = dataclasses.field(default=1, kw_only=True)",
    ],
)
def test_what_a_record_refuses(body):
    namespace = {"dataclasses": dataclasses, "record": record}
    with pytest.raises(TypeError):
        # compiled without this file's ``from __future__ import annotations``: InitVar is seen
        code = compile(f"@record\nclass R:\n    {body}\n", "<test>", "exec", dont_inherit=True)
        exec(code, namespace)  # noqa: S102 - fixed test source


def test_defining_a_record_compiles_nothing_after_the_first_of_its_size():
    """The point of records: a class costs a few lookups, not six compilations (counted, not timed)."""
    code = (
        "import builtins, dataclasses\n"
        "from handouts.records import record\n"
        "@record\nclass A:\n    a: int\n    b: int = 0\n"
        "calls = []\n"
        "real = builtins.compile\n"
        "builtins.compile = lambda *a, **k: calls.append(a) or real(*a, **k)\n"
        "real_exec = builtins.exec\n"
        "builtins.exec = lambda *a, **k: calls.append(a) or real_exec(*a, **k)\n"
        "for _ in range(20):\n"
        "    @record\n    class B:\n        x: int\n        y: str = ''\n"
        "    @record(frozen=False)\n    class C:\n        x: int\n        y: str = ''\n"
        "print(len(calls))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
