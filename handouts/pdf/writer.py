"""Write PDFs atomically and reproducibly."""

from __future__ import annotations

import calendar
import datetime as _dt
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from handouts.errors import BuildError, UsageProblem


def source_date_epoch(default_iso: str) -> int:
    """The build's timestamp: SOURCE_DATE_EPOCH if set, else the library's review date."""
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


@contextmanager
def fixed_time(epoch: int):
    """Make reportlab stamp ``epoch`` as the document's dates (it reads SOURCE_DATE_EPOCH)."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


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
