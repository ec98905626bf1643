"""The record of what a build wrote into its output folder (``.handouts-manifest.json``), the
lock that keeps two builds apart, and pruning that deletes only files Handouts wrote."""

from __future__ import annotations

import hashlib
import json
import os
import re
from contextlib import contextmanager
from pathlib import Path

from handouts.errors import BuildError, UsageProblem
from handouts.model import Job
from handouts.paths import confine, is_regular_file, relative_target
from handouts.pdf.writer import write_atomic

MANIFEST = ".handouts-manifest.json"


def file_hash(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


MANIFEST_VERSION = 2
LOCK = ".handouts.lock"
_HEX = re.compile(r"[0-9a-f]{64}")


def maker(job: Job) -> str:
    """Which command writes the job's file: prune by one never touches the other's files."""
    return "batch" if job.kind == "program" else "build"


def group(target: str) -> str:
    """The folder prefix of a build output ('', 'sv/', 'large-print/', 'sv/large-print/')."""
    m = BUILD_TARGET.match(target)
    return m["group"] if m else ""


#: Every file name ``handouts build`` writes: [LANG/][large-print/](sheets/ID.pdf|booklet.pdf).
BUILD_TARGET = re.compile(
    r"^(?P<group>(?:[a-z]{2,3}(?:-[A-Z]{2})?/)?(?:large-print/)?)(?:sheets/[a-z0-9]+(?:-[a-z0-9]+)*\.pdf|booklet\.pdf)$"
)


def _entry_ok(target, entry) -> bool:
    if not isinstance(entry, dict) or not _plain(target):
        return False
    kind = entry.get("maker")
    return (
        kind in ("build", "batch")
        and isinstance(entry.get("fingerprint"), str)
        and isinstance(entry.get("sha256"), str)
        and bool(_HEX.fullmatch(entry["sha256"]))
        and isinstance(entry.get("size"), int)
        and not isinstance(entry.get("size"), bool)
        and (kind == "batch" or bool(BUILD_TARGET.match(target)))
        and all(type(entry.get(k, 0)) is int for k in ("mtime_ns", "inode"))
    )


def read_manifest(out: Path) -> dict:
    """The manifest in ``out``; what is malformed or hostile in it is dropped, never trusted.

    An entry must name a plain relative path inside ``out`` with the hash and size of the file
    written there; entries whose file has gone are forgotten (a batch's file names may carry a
    patient's name, and the manifest keeps nothing about a file that is no longer there).
    """
    empty = {"version": MANIFEST_VERSION, "outputs": {}}
    try:
        path = confine(out, MANIFEST)
        if not is_regular_file(path):
            return empty
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UsageProblem):
        return empty
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return empty
    outputs = data.get("outputs")
    if not isinstance(outputs, dict):
        return empty
    kept = {}
    for target, entry in outputs.items():
        if _entry_ok(target, entry) and os.path.lexists(Path(out) / target):
            kept[target] = entry
    result = {"version": MANIFEST_VERSION, "outputs": kept}
    site = data.get("site")
    if isinstance(site, dict):  # the download page's files (handouts.site)
        result["site"] = {k: v for k, v in site.items() if isinstance(v, str) and _plain(k)}
    return result


def _plain(target) -> bool:
    try:
        relative_target(target)
    except UsageProblem:
        return False
    return True


def write_manifest(out: Path, manifest: dict) -> None:

    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    write_atomic(confine(out, MANIFEST), text.encode("utf-8"))


def unchanged(out: Path, target: str, entry: dict | None, fp: str) -> bool:
    """True only when the file in ``out`` is the very file recorded for this fingerprint."""
    if not entry or entry.get("fingerprint") != fp:
        return False
    try:
        path = confine(out, target)
    except UsageProblem:
        return False
    if not is_regular_file(path):
        return False
    st = path.stat()
    if st.st_size != entry["size"]:
        return False
    if (st.st_mtime_ns, st.st_ino) == (entry.get("mtime_ns"), entry.get("inode")):
        return True  # the very file written then: a replaced file has a new inode or time
    return file_hash(str(path)) == entry["sha256"]


@contextmanager
def locked(out: Path):
    """Hold ``OUT/.handouts.lock`` for the whole build: two builds never write one folder at once."""
    path = confine(out, LOCK)
    try:
        fh = open(path, "a+b")  # noqa: SIM115 - held open for the block
    except OSError as exc:
        raise BuildError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        try:
            if os.name == "nt":  # pragma: no cover - Windows
                import msvcrt  # lazy: Windows only

                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl  # lazy: POSIX only

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BuildError(
                f"{out}: another Handouts build is writing into this folder; let it finish, then run again"
            ) from None
        yield
    finally:
        fh.close()


def prune(out: Path, stale: list[str]) -> tuple[list[str], list[str]]:
    """Delete the stale outputs that are still the files this build wrote; returns (removed, kept).

    A file changed since Handouts wrote it (or one that is not a regular file) is left alone and
    forgotten: Handouts deletes only what it wrote.
    """
    removed, kept = [], []
    with locked(out):
        manifest = read_manifest(out)
        recorded = manifest["outputs"]
        for target in stale:
            entry = recorded.pop(target, None)
            if entry is None:
                continue
            try:
                path = confine(out, target)
            except UsageProblem:
                kept.append(target)
                continue
            if is_regular_file(path) and file_hash(str(path)) == entry["sha256"]:
                path.unlink()
                removed.append(target)
            else:
                kept.append(target)
        write_manifest(out, manifest)
    return removed, kept
