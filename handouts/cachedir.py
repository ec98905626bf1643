"""The user's cache folder: where it is, whether it is on, and entries written whole.

``$XDG_CACHE_HOME/handouts`` or ``~/.cache/handouts`` on Linux, ``~/Library/Caches/handouts`` on
macOS, ``%LOCALAPPDATA%\\handouts\\Cache`` on Windows. What goes in it (the validated library, an SVG
logo's drawing) is kept with what decides it: Handouts' own code (:func:`code_stamp`) and the
versions of the libraries that make the pages (:func:`engine_versions`). An entry is JSON, read
without running code, and written atomically. ``HANDOUTS_NO_CACHE=1`` (``handouts --no-cache``)
turns the cache off; deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import stat
import sys
import tempfile
from collections import OrderedDict
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from handouts import __version__
from handouts.checkedjson import loads

ENV = "HANDOUTS_NO_CACHE"
#: An entry larger than this is not read (the shipped library's is about 60 KB).
MAX_ENTRY = 16 * 1024 * 1024
#: The libraries whose versions decide a PDF's bytes (a build's fingerprint holds them too).
ENGINES = ("reportlab", "rl_accel", "pyphen", "svglib", "lxml", "tinycss2", "cssselect2")
#: The module a library installs, where its name differs.
_MODULES = {"rl_accel": "_rl_accel"}


#: Set while a document holding something about a patient is made: nothing is written then.
_PRIVATE: ContextVar[bool] = ContextVar("handouts_cache_private", default=False)


def enabled() -> bool:
    return os.environ.get(ENV, "").strip().lower() in ("", "0", "false", "no")


@contextmanager
def private(on: bool = True):
    """While a document holding a patient's name, notes or dates is made, the cache is read but
    never written: what is kept (a picture at the size the patient's notes left it, say) could tell
    something about them. Nested, the outer document's privacy stays."""
    token = _PRIVATE.set(_PRIVATE.get() or on)
    try:
        yield
    finally:
        _PRIVATE.reset(token)


def writing() -> bool:
    """Whether an entry may be written now: the cache is on and no private document is being made."""
    return enabled() and not _PRIVATE.get()


def folder() -> Path | None:
    """The user's cache folder for Handouts, or None when there is no home to put it in."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "handouts" / "Cache" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "handouts"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "handouts"
    try:
        return Path.home() / ".cache" / "handouts"
    except RuntimeError:  # no home directory
        return None


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """Handouts' version and its own source files' sizes and times: an edited checkout rebuilds.
    Worked out once per process: the code a process runs is the code it loaded."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", "static", "templates"))
        for name in sorted(filenames):
            if name.endswith((".py", ".yaml", ".ttf", ".txt")):
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                h.update(f"{dirpath}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def engine_versions() -> tuple[str, ...]:
    """The versions of the libraries that decide a PDF's bytes: an upgrade rebuilds. Read from the
    names of their installed metadata folders (``reportlab-4.2.5.dist-info``), which is quick;
    importlib.metadata answers only when that fails."""

    return tuple(f"{name}={_installed_version(name)}" for name in ENGINES)


def _installed_version(name: str) -> str:
    spec = importlib.util.find_spec(_MODULES.get(name, name))
    if spec is not None and spec.origin:
        where = Path(spec.origin).parent
        prefix = f"{name}-"
        for place in (where.parent, where):  # a package's folder, or a module's own
            found = [n for n in _listing(str(place)) if n.startswith(prefix) and n.endswith(".dist-info")]
            if len(found) == 1:
                return found[0][len(prefix) : -len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version  # lazy: only when the quick way fails

    try:
        return version(name)
    except PackageNotFoundError:
        return "none"


@lru_cache(maxsize=8)
def _listing(folder: str) -> tuple[str, ...]:
    """A folder's names, read once: the engines mostly share one site-packages."""
    try:
        return tuple(os.listdir(folder))
    except OSError:
        return ()


def entry_path(kind: str, key: str) -> Path | None:
    """Where an entry of ``kind`` (a word) for ``key`` lives, or None with no cache folder or the
    cache turned off."""
    base = folder()
    if base is None or not enabled():
        return None
    name = hashlib.sha256(f"{kind}\0{key}".encode()).hexdigest()[:40]
    return base / f"{kind}-{name}.json"


def read_entry(entry: Path):
    """An entry's JSON as plain values (no code runs), or None when missing, too large or corrupt;
    the caller checks every value before it uses one."""
    try:
        with open(entry, "rb") as fh:
            raw = fh.read(MAX_ENTRY + 1)
        return loads(raw) if len(raw) <= MAX_ENTRY else None
    except (OSError, ValueError, RecursionError, TypeError):
        return None


def write_entry(entry: Path, data) -> None:
    """Write ``data`` as JSON atomically (never half an entry); any failure is silently skipped.
    Nothing is written while a private document is made (:func:`private`)."""
    if _PRIVATE.get():
        return
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{entry.name.split('-')[0]}-", suffix=".tmp", dir=entry.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, entry)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise
    except (OSError, TypeError, ValueError, ArithmeticError):
        return


def prune(kind: str, limit: int) -> None:
    """Past ``limit`` entries of ``kind``, remove the oldest until three quarters are left: only
    this folder's own entries (``kind-<40 hex>.json``, plain files), never anything else, and
    nothing while a private document is made."""
    base = folder()
    if base is None or not writing():
        return
    try:
        names = [
            n for n in os.listdir(base) if n.startswith(f"{kind}-") and _OWN.fullmatch(n[len(kind) + 1 :])
        ]
    except OSError:
        return
    if len(names) <= limit:
        return
    found = []
    for name in names:
        try:
            st = os.lstat(base / name)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            found.append((st.st_mtime_ns, name))
    found.sort()
    for _, name in found[: len(found) - limit * 3 // 4]:
        with suppress(OSError):
            os.unlink(base / name)


class Kept:
    """Entries of one ``kind`` kept under their keys: the ``memo`` most recently used in this
    process, and the ``limit`` newest in the cache folder as ``{"key": key, **fields}``. Off, this
    process's memory too, when the cache is; nothing is written while a private document is made."""

    def __init__(self, kind: str, limit: int, memo: int) -> None:
        self.kind, self.limit, self.memo = kind, limit, memo
        self._held: OrderedDict[str, object] = OrderedDict()

    def get(self, key: str, check):
        """The value kept under ``key``, or None: this process's, else ``check(fields)`` of the
        folder's entry (``check`` returns the value, or None for fields it refuses)."""
        if not enabled():
            return None
        held = self._held.get(key)
        if held is None:
            entry = entry_path(self.kind, key)
            data = read_entry(entry) if entry is not None else None
            if not isinstance(data, dict) or data.get("key") != key:
                return None
            held = check({k: v for k, v in data.items() if k != "key"})
            if held is None:
                return None
        self._remember(key, held)
        return held

    def put(self, key: str, value, fields: dict) -> None:
        """Keep ``value`` under ``key`` in this process, and ``fields`` in the folder (unless this
        process holds that value already)."""
        if not enabled() or self._held.get(key) == value:
            return
        self._remember(key, value)
        entry = entry_path(self.kind, key)
        if entry is not None and writing():
            write_entry(entry, {"key": key, **fields})
            prune(self.kind, self.limit)

    def forget(self) -> None:
        """Forget this process's entries (for tests and benchmarks)."""
        self._held.clear()

    def _remember(self, key: str, value) -> None:
        self._held[key] = value
        self._held.move_to_end(key)
        while len(self._held) > self.memo:
            self._held.popitem(last=False)


_OWN = re.compile(r"[0-9a-f]{40}\.json")
