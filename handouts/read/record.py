"""Which files validation read, with their hashes: the library cache is current only while
every one of them is unchanged. Readers call :func:`note`; the cache wraps validation in
:func:`recording`."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path

#: The most of one file that is hashed (a larger file reads as changed).
READ_LIMIT = 64 * 1024 * 1024

_READ: list[dict[str, str]] = []  # the files being recorded, innermost last


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def recording():
    """Collect ``{path: sha256}`` of every file :func:`note` is told of while validating."""
    files: dict[str, str] = {}
    _READ.append(files)
    try:
        yield files
    finally:
        _READ.remove(files)


def note(path: Path | str, data: bytes | None = None) -> None:
    """Validation read (or checked) ``path``; ``data`` is its content when the caller has it."""
    if not _READ:
        return
    p = str(Path(path).resolve())
    try:
        if data is None:
            with open(p, "rb") as fh:
                data = fh.read(READ_LIMIT + 1)
        _READ[-1][p] = digest(data)
    except OSError:
        _READ[-1][p] = "unreadable"
