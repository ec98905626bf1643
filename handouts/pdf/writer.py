"""Write PDFs atomically and reproducibly."""

from __future__ import annotations

import calendar
import datetime as _dt
import hashlib
import os
import re
import tempfile
import time
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from handouts.errors import BuildError, UsageProblem


def source_date_epoch(default_iso: str) -> int:
    """The build's timestamp: the one :func:`fixed_time` fixed, else SOURCE_DATE_EPOCH if set,
    else the library's review date."""
    fixed = _FIXED.get()
    if fixed is not None:
        return fixed
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        d = _dt.date.fromisoformat(default_iso)
        return calendar.timegm(d.timetuple())
    raw = raw.strip()
    if not re.fullmatch(r"[0-9]+", raw):
        raise UsageProblem(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got {raw!r}")
    value = int(raw)
    if value > 253402300799:
        raise UsageProblem(f"SOURCE_DATE_EPOCH is too large to be a date: {raw}")
    return value


#: The timestamp documents made in this thread (or task) are stamped with; None: reportlab's own.
_FIXED: ContextVar[int | None] = ContextVar("handouts_fixed_time", default=None)


@contextmanager
def fixed_time(epoch: int):
    """Stamp ``epoch`` as the dates of the documents made inside (see :func:`stamp`). Only this
    thread's documents: the desk makes several at once, and the environment is the process's."""
    token = _FIXED.set(int(epoch))
    try:
        yield
    finally:
        _FIXED.reset(token)


def stamp(doc) -> None:
    """Give ``doc`` (a reportlab ``PDFDocument`` just made) the fixed timestamp, if one is fixed,
    as reportlab would have read it from SOURCE_DATE_EPOCH."""
    epoch = _FIXED.get()
    if epoch is None:
        return
    from reportlab.lib.utils import TimeStamp  # lazy: reportlab's

    ts = TimeStamp.__new__(TimeStamp)
    ts.t, ts.lt, ts.dhh, ts.dmm, ts.tzname = epoch, time.gmtime(epoch), 0, 0, "UTC"
    ts.YMDhms = tuple(ts.lt)[:6]
    doc._timeStamp = ts
    doc.signature = hashlib.md5(b"a reportlab document" + ascii(epoch).encode(), usedforsecurity=False)


def _reason(path: Path, exc: OSError) -> str:
    """Why ``path`` cannot be written: a file standing where a folder must be, or the OS's word."""
    for parent in [path, *path.parents]:
        if parent.exists():
            if not parent.is_dir() and parent != path:
                return f"{parent} is a file, not a folder"
            break
    return exc.strerror or str(exc)


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) or raise BuildError saying why it cannot be."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot write {folder}: {_reason(folder / 'x', exc)}") from None


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it into place.

    A reader sees either the old file or the complete new one, never a part.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise BuildError(f"cannot write {target}: {_reason(target, exc)}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise BuildError(f"cannot write {target}: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
