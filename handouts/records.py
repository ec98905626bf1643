"""Records: ``@record`` is ``@dataclass(frozen=True)``, made without compiling code per class.

A frozen dataclass costs about 0.7 ms to define: the standard library writes the source of six
methods for it and compiles each one (``@record(frozen=False)`` stands for a plain ``@dataclass``). A cold ``handouts sheet`` defines over thirty, so that was
a seventh of its time. ``record`` makes the same class with the same behaviour from code
compiled once per process: ``__init__`` from one template per number of fields (its parameter
names and field names filled in), ``__eq__``, ``__hash__``, ``__repr__``, ``__setattr__`` and
``__delattr__`` shared by every record. ``dataclasses.fields``, ``replace``, ``asdict`` and
``is_dataclass`` work on them as on any dataclass (the class is one; only the methods the
standard library would compile are made here).

What is the same as ``@dataclass(frozen=True)`` (tests compare the two on every record class):
the constructor's parameters, defaults and ``default_factory``; equality and hash over the
fields that compare, as tuples; the ``repr``; assigning or deleting a field raises
``dataclasses.FrozenInstanceError``. Not supported (a TypeError says so): ``init=False``,
``kw_only`` and ``InitVar`` fields, ``__post_init__``, and a record subclassing a dataclass.
"""

from __future__ import annotations

import dataclasses
import inspect
import reprlib
import types
from operator import attrgetter

from handouts import initialisers

#: How many templates :mod:`handouts.initialisers` holds (0 to 15 fields).
INITIALISERS = 16


class _Factory:
    """A default_factory field's default in ``__init__``: the factory is called when it is passed."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()

#: ``__init__`` code objects by number of fields past those :mod:`handouts.initialisers` holds,
#: compiled once each.
_TEMPLATES: dict[int, types.CodeType] = {}


def template_source(n: int, name: str = "__init__") -> str:
    """The source of the ``__init__`` template for ``n`` fields: parameters ``_p0``... each set
    as the field of that name (renamed for each class), a factory called when its marker is passed."""
    params = "".join(f", _p{i}" for i in range(n))
    body = "".join(
        f'    _set(self, "_p{i}", _fac[{i}]() if _p{i} is _FACTORY else _p{i})\n' for i in range(n)
    )
    return f"def {name}(self{params}):\n" + (body or "    pass\n")


def _template(n: int) -> types.CodeType:
    """The template for ``n`` fields: from :mod:`handouts.initialisers` (compiled with the package,
    its bytecode cached like any module's), else compiled now, once."""
    if n < len(initialisers.BY_FIELDS):
        return initialisers.BY_FIELDS[n].__code__
    code = _TEMPLATES.get(n)
    if code is None:
        namespace: dict = {}
        exec(compile(template_source(n), "<record>", "exec"), {}, namespace)  # noqa: S102 - our own fixed source
        code = _TEMPLATES[n] = namespace["__init__"].__code__
    return code


def initialisers_source(limit: int = INITIALISERS) -> str:
    """What :mod:`handouts.initialisers` holds: the templates for 0 to ``limit - 1`` fields."""
    funcs = "\n\n".join(template_source(n, f"init{n}") for n in range(limit))
    names = "".join(f"    init{n},\n" for n in range(limit))
    return (
        '"""The ``__init__`` templates records are made from, one per number of fields (see records.py).\n\n'
        "Written by ``python scripts/initialisers.py`` from ``records.template_source``; a test checks\n"
        "that it is current. Being a module, it is compiled once and its bytecode cached, so no\n"
        'command compiles a template. The names the templates use are given by each record.\n"""\n\n'
        "# ruff: noqa: F821 - ``_set``, ``_fac`` and ``_FACTORY`` are each record's own\n\n\n"
        f"{funcs}\n\n"
        f"BY_FIELDS = (\n{names})\n"
    )


def _init(cls, fields: list) -> types.FunctionType:
    """``cls.__init__`` for ``fields``: the template with their names as its parameters."""
    names = [f.name for f in fields]
    code = _template(len(names))
    rename = {f"_p{i}": name for i, name in enumerate(names)}
    code = code.replace(
        co_varnames=tuple(rename.get(v, v) for v in code.co_varnames),
        co_consts=tuple(rename.get(c, c) if isinstance(c, str) else c for c in code.co_consts),
        co_name="__init__",
    )
    defaults = []
    for f in fields:
        if f.default is not dataclasses.MISSING:
            defaults.append(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            defaults.append(_FACTORY)
        elif defaults:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    factories = tuple(f.default_factory for f in fields)
    env = {"_set": object.__setattr__, "_fac": factories, "_FACTORY": _FACTORY, "__builtins__": __builtins__}
    fn = types.FunctionType(code, env, "__init__", tuple(defaults) or None)
    fn.__qualname__ = f"{cls.__qualname__}.__init__"
    fn.__module__ = cls.__module__
    fn.__annotations__ = {**{f.name: f.type for f in fields}, "return": None}
    return fn


def _values(names: list[str]):
    """A function from a record to the tuple of its ``names``' values."""
    if not names:
        return lambda self: ()
    if len(names) == 1:
        name = names[0]
        return lambda self: (getattr(self, name),)
    return attrgetter(*names)


def record(cls=None, /, *, frozen: bool = True):
    """``cls`` as ``@dataclass(frozen=True)`` would make it (see the module's notes);
    ``@record(frozen=False)`` as ``@dataclass``."""
    if cls is None:
        return lambda c: _record(c, frozen)
    return _record(cls, frozen)


def _record(cls, frozen: bool):
    if "__post_init__" in vars(cls) or any(dataclasses.is_dataclass(b) for b in cls.__mro__[1:]):
        raise TypeError(f"{cls.__name__}: a record has no __post_init__ and no dataclass base")
    # the fields, their defaults and the class's dataclass attributes, with no method compiled
    # (and no signature parsed for a docstring: written below, as the standard library would)
    undocumented = not cls.__doc__
    if undocumented:
        cls.__doc__ = cls.__name__
    cls = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(cls)
    if len(fields) != len(cls.__dataclass_fields__) or any(not f.init or f.kw_only is True for f in fields):
        raise TypeError(f"{cls.__name__}: a record's fields are plain fields, each a parameter")
    cls.__init__ = _init(cls, fields)
    if undocumented:
        cls.__doc__ = cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
    names = tuple(f.name for f in fields)
    compared = _values([f.name for f in fields if f.compare])
    hashed = _values([f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    shown = [f.name for f in fields if f.repr]

    def __eq__(self, other):  # noqa: N807 - the method's own name
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self):  # noqa: N807
        return hash(hashed(self))

    @reprlib.recursive_repr()
    def __repr__(self):  # noqa: N807
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({inner})"

    def __setattr__(self, name, value):  # noqa: N807
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):  # noqa: N807
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    for fn in (__eq__, __repr__, *((__hash__, __setattr__, __delattr__) if frozen else ())):
        fn.__qualname__ = f"{cls.__qualname__}.{fn.__name__}"
        setattr(cls, fn.__name__, fn)
    if not frozen:
        cls.__hash__ = None  # as a dataclass that compares and can change: unhashable
    # what the standard library records of the class: the methods a dataclass has
    params = cls.__dataclass_params__
    params.init = params.repr = params.eq = True
    params.frozen = frozen
    return cls
