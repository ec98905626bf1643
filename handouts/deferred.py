"""Regular expressions our libraries compile when they are imported, compiled when first used instead.

``reportlab.platypus.paragraph`` compiles ``uri_pat`` (a URL matcher with wide Unicode ranges)
as it is imported: about 45 ms, a tenth of a cold ``handouts sheet``. It is used only to break a
long web address across lines. ``reportlab.lib.textsplit`` compiles ``rx`` (about 6 ms), used only
to wrap Chinese, Japanese and Korean text in ``cjkwrap``, which Handouts never calls. PyYAML
compiles a character check (about 7 ms) that a run reading its labels with libyaml never uses.

:func:`defer` puts a stand-in for each into the ``re`` module's cache before any of them is
imported, so their ``re.compile`` returns the stand-in, and the stand-in compiles the real pattern
the first time anything asks it for anything. Matching is unchanged (a test compares both). Should
a library change a pattern, or Python its cache, the stand-in is simply never used and the library
compiles as before (a test names the pattern that is no longer deferred).

:func:`defer_modules` does the same for a module: reportlab imports Pillow's ``PIL.Image`` (10 ms,
half of it building its EXIF tag tables) as it is imported, though only a raster logo or picture
uses it, and ``reportlab.lib.PyFontify`` (2 ms). The module is put in place lazily (Python's own
``importlib.util.LazyLoader``) and loaded the first time anything reads a name from it. Only the
command line does this (``handouts.cli.main``): before Python 3.12 a lazy module's first load is
not locked, so a program rendering from several threads through ``handouts.api`` gets the module
loaded as usual.
"""

from __future__ import annotations

import importlib.util
import re
import sys

try:
    from re import _compiler  # Python 3.11 and newer (re has imported it already)
except ImportError:  # Python 3.10
    import sre_compile as _compiler

#: (source, flags) of each pattern, exactly as reportlab 5.1 and PyYAML 6.0 write it.
PATTERNS = (
    (
        "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)"
        "(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9]"
        "(?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}(?<!-))*"
        "\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))(?::\\d{2,5})?"
        "(?:[/?#][^\\s]*)?\\Z",
        int(re.I),
    ),
    ("([\u2e80-\uffff])", int(re.UNICODE)),
    # PyYAML's pure-Python reader's check for unprintable characters (7 ms); libyaml's loaders,
    # which read the label catalogues, do not use it
    ("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", 0),
)


def _compile(source: str, flags: int):
    """The real pattern, compiled without ``re``'s cache (which holds the stand-in)."""
    return _compiler.compile(source, flags)


class Deferred:
    """Stands in for a compiled pattern; compiles it on first use and hands everything on to it."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int) -> None:
        self._source, self._flags, self._compiled = source, flags, None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = _compile(self._source, self._flags)
        return self._compiled

    def __getattr__(self, name: str):
        if name.startswith("__") or name in self.__slots__:
            # copy and pickle ask for __reduce_ex__ and the like before __init__ has run: answering
            # from the compiled pattern would recurse through an unset slot
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __reduce__(self):
        """Copied or pickled, a stand-in is its real pattern (which ``re`` pickles by source)."""
        return (_compile, (self._source, self._flags))

    def __copy__(self):
        return self.compiled()

    def __deepcopy__(self, memo):
        return self.compiled()

    def __repr__(self) -> str:
        return f"Deferred({self._source[:40]!r}...)"


def defer() -> None:
    """Put the stand-ins into ``re``'s cache, where ``re.compile`` looks first (3.10 to 3.13)."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return
    for source, flags in PATTERNS:
        cache.setdefault((str, source, flags), Deferred(source, flags))


#: Modules our libraries import as they are imported but a run seldom uses: Pillow's image module,
#: and reportlab's Python syntax colouring (``PyFontify``, 2 ms of regular expressions, imported by
#: its preformatted-code paragraphs, which Handouts never prints).
MODULES = ("PIL.Image", "reportlab.lib.PyFontify")


def defer_modules() -> None:
    """Put each of MODULES in place unloaded: it loads when any of its names is first read."""
    for name in MODULES:
        if name in sys.modules:
            continue
        try:
            spec = importlib.util.find_spec(name)  # imports the package (PIL's is small), not the module
        except (ImportError, ValueError):
            continue
        if spec is None or spec.loader is None:
            continue
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        parent, _, child = name.rpartition(".")
        setattr(sys.modules[parent], child, module)


def load_modules() -> None:
    """Load every deferred module now: before threads might each be first to read one (Python
    before 3.12 does not lock a lazy module's loading)."""
    for name in MODULES:
        module = sys.modules.get(name)
        if module is not None:
            dir(module)  # reading anything from a lazy module loads it
