"""Where Handouts may write: every output path goes through :func:`confine`.

A build writes only inside the output folder it was given, never through a link that leads
elsewhere, never over one of its own inputs and never over a file that is not one of its PDFs
unless told ``--force``.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path, PurePosixPath

from handouts.errors import UsageProblem

#: The longest file name (in UTF-8 bytes) Handouts writes; most file systems allow 255.
MAX_NAME_BYTES = 200
#: Names Windows reserves for devices, whatever the extension.
WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


class Escape(UsageProblem):
    """A path that would leave the output folder."""


def relative_target(rel: str) -> PurePosixPath:
    """``rel`` as a clean relative path (forward slashes, no ``..``, no empty parts), or Escape."""
    if not isinstance(rel, str) or not rel or "\x00" in rel or "\\" in rel:
        raise Escape(f"{rel!r}: not a relative path inside the output folder")
    p = PurePosixPath(rel)
    if (
        p.is_absolute()
        or re.match(r"^[A-Za-z]:", rel)
        or any(part in ("", ".", "..") for part in rel.split("/"))
    ):
        raise Escape(f"{rel!r}: not a relative path inside the output folder")
    return p


def confine(root: Path, rel: str) -> Path:
    """The path of ``rel`` inside ``root``, refusing every way out of it.

    ``rel`` must be a plain relative path; no folder on the way from ``root`` to it, and not the
    file itself, may be a symbolic link (a link inside the output folder could send a PDF, or a
    deletion, anywhere on the disk). ``root`` itself is the user's choice and may be a link.
    """
    parts = relative_target(rel).parts
    base = Path(root)
    here = base
    for i, part in enumerate(parts):
        here = here / part
        try:
            st = os.lstat(here)
        except FileNotFoundError:
            break
        except OSError as exc:
            raise Escape(f"{here}: cannot be checked ({exc.strerror or exc})") from None
        if stat.S_ISLNK(st.st_mode):
            raise Escape(f"{here}: is a symbolic link; Handouts writes only inside {base}, not through links")
        if i < len(parts) - 1 and not stat.S_ISDIR(st.st_mode):
            raise Escape(f"{here}: is a file where a folder must be")
    return base.joinpath(*parts)


def is_regular_file(path: Path) -> bool:
    """True for a regular file that is not a link (a FIFO or device is never read as input)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def safe_file_name(name: str, suffix: str = ".pdf", fallback: str = "programme") -> str:
    """``name`` made into a file name that is safe everywhere Handouts' PDFs are opened.

    No folders or ``..``, no control characters or characters Windows refuses, no reserved
    device names, no trailing dots or spaces, and at most MAX_NAME_BYTES bytes.
    """
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r"[\x00-\x1f\x7f-\x9f/\\:*?\"<>|]", "-", name)
    name = re.sub(r"\.{2,}", "-", name)
    name = re.sub(r"\s+", "-", name)
    if name.lower().endswith(suffix):
        name = name[: -len(suffix)]
    name = name.strip(" .-") or fallback
    if name.split(".")[0].upper() in WINDOWS_RESERVED:
        name = f"{name}-"
    room = MAX_NAME_BYTES - len(suffix.encode()) - 8  # leave room for a "-N" repeat number
    encoded = name.encode("utf-8")
    if len(encoded) > room:
        name = encoded[:room].decode("utf-8", "ignore").rstrip(" .-") or fallback
    return name + suffix


def check_output(target: Path, inputs=(), force: bool = False, what: str = "PDF") -> None:
    """Refuse to write ``target`` over an input, or over a file that is not a PDF, unless ``force``."""
    target = Path(target)
    if str(target) == "-":
        raise UsageProblem(f"-o -: {what}s are not written to standard output; name a file")
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        raise UsageProblem(f"{target}: cannot be resolved (a loop of links?)") from None
    for source in () if force else inputs:
        try:
            if source is not None and Path(source).resolve() == resolved:
                raise UsageProblem(
                    f"{target}: is an input of this command; it would be replaced by the {what} (--force allows it)"
                )
        except (OSError, RuntimeError):
            continue
    if target.is_dir():
        raise UsageProblem(f"{target}: is a folder; name the {what} file to write")
    if what == "PDF" and target.suffix.lower() != ".pdf":
        raise UsageProblem(f"-o {target}: name the PDF to write, ending in .pdf")
    if force or not os.path.lexists(target):
        return
    if not is_regular_file(target):
        raise UsageProblem(f"{target}: exists and is not a regular file; Handouts will not write through it")
    with open(target, "rb") as fh:
        head = fh.read(5)
    if head != b"%PDF-":
        raise UsageProblem(f"{target}: exists and is not a PDF; use --force to replace it")
