"""Clinic-scale builds: a plan of jobs, a manifest of fingerprints, a pool of workers.

The parent process loads the library, plans one job per output, fingerprints each
from everything that decides its bytes, and skips outputs whose fingerprint and
file are unchanged. The rest render in worker processes (reportlab is not
thread-safe), each writing its PDF atomically. Same input, same bytes, whatever
the number of workers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from handouts import __version__
from handouts.errors import BuildError, HandoutsError, Interrupted, LayoutError, UsageProblem
from handouts.model import Library
from handouts.paths import confine, is_regular_file, relative_target

MANIFEST = ".handouts-manifest.json"


@dataclass(frozen=True)
class Job:
    kind: str  # sheet, booklet or program
    target: str  # path relative to the output folder
    language: str = "en"
    paper: str = "a4"
    large_print: bool = False
    exercise: str | None = None
    promo: bool = False
    program: object = None  # a model.Program for kind == "program"
    label: str = ""  # how a failure names the job (e.g. the CSV line)


@dataclass
class Summary:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        total = len(self.built) + len(self.failed)
        rate = total / self.seconds if self.seconds > 0 else 0.0
        return (
            f"built {len(self.built)}, unchanged {len(self.unchanged)}, failed {len(self.failed)} "
            f"in {self.seconds:.2f} s ({rate:.0f} documents/s)"
        )


def parse_shard(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise UsageProblem(f"--shard: expected K/N such as 1/4, got {text!r}") from None
    if not 1 <= k <= n:
        raise UsageProblem(f"--shard: K must be from 1 to N, got {text!r}")
    return k, n


def in_shard(target: str, shard: tuple[int, int] | None) -> bool:
    """A stable split: the same output always lands in the same shard."""
    if shard is None:
        return True
    k, n = shard
    return int(hashlib.sha256(target.encode()).hexdigest()[:12], 16) % n == k - 1


def file_hash(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


@lru_cache(maxsize=64)
def _asset_hash(path: str) -> str:
    return file_hash(path)


@lru_cache(maxsize=1)
def engine_versions() -> tuple[str, ...]:
    """The versions of the libraries that decide a PDF's bytes: an upgrade rebuilds."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("reportlab", "pikepdf", "pyphen", "svglib"):
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=none")
    return tuple(out)


def _assets(lib: Library, exercises) -> list[str]:
    from handouts import glyphs

    files = [str(glyphs.font_path(s)) for s in glyphs.FONT_FILES]
    if lib.brand.logo:
        files.append(str(lib.brand.logo))
    for ex in exercises:
        files += [str(p.image) for p in ex.pictures if p.image]
    return [f"{f}:{_asset_hash(f)}" for f in files]


def fingerprint(lib: Library, job: Job, epoch: int) -> str:
    """A hash of everything that decides the job's bytes."""
    parts = [
        __version__,
        engine_versions(),
        job,
        epoch,
        _content_digest(lib, job.kind, job.exercise, job.language),
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


#: id(library) -> (the library, {(kind, exercise, language): digest}). The library is held, so
#: its id cannot be reused by another object while the entry lives.
_DIGESTS: dict[int, tuple[Library, dict]] = {}


def _content_digest(lib: Library, kind: str, exercise: str | None, language: str) -> str:
    """The digest of the library content, labels and files a kind of document draws: the same
    for every programme of a batch, so it is computed once, not once per patient."""
    from handouts.i18n import labels

    held = _DIGESTS.get(id(lib))
    if held is None or held[0] is not lib:
        if len(_DIGESTS) > 16:
            _DIGESTS.clear()
        held = _DIGESTS[id(lib)] = (lib, {})
    key = (kind, exercise if kind == "sheet" else None, language)
    if key not in held[1]:
        if kind == "sheet":
            ex = lib.exercise(exercise)
            content = [
                ex,
                lib.brand,
                lib.document,
                lib.programme,
                lib.guide.faq,
                lib.guide.safety,
                [r.id for r in lib.guide.references],
                lib.translation_reviewed,
            ]
            exercises = [ex]
        else:
            content = [
                lib.document,
                lib.brand,
                lib.programme,
                lib.guide,
                lib.exercises,
                lib.promotions,
                lib.translation_reviewed,
            ]
            exercises = lib.exercises
        parts = [content, labels(language).table, _assets(lib, exercises)]
        held[1][key] = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
    return held[1][key]


def plan_build(lib: Library, languages: list[str], paper: str, large_print: bool, nested: bool) -> list[Job]:
    jobs = []
    for lang in languages:
        base = f"{lang}/" if nested else ""
        if large_print:
            base += "large-print/"
        jobs += [Job("sheet", f"{base}sheets/{i}.pdf", lang, paper, large_print, exercise=i) for i in lib.ids]
        jobs.append(Job("booklet", f"{base}booklet.pdf", lang, paper, large_print))
    return jobs


# -- workers -------------------------------------------------------------------

_WORKER: dict = {}


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies, however the parent ends."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's interrupt handling still ends the pool
        pass


def _init_worker(config: str | None, strict: bool) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the pool
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    if config is not None:
        from handouts.read.library import load_library

        _WORKER["lib"] = load_library(config, strict=strict)


def _render(lib: Library, job: Job) -> bytes:
    from handouts.read.translation import localised
    from handouts.render.document import Document, Options, render

    opts = Options(paper=job.paper, language=job.language, large_print=job.large_print)
    doc = Document(job.kind, opts, exercise=job.exercise, program=job.program, promo=job.promo)
    return render(localised(lib, job.language), doc)


@dataclass(frozen=True)
class Result:
    target: str
    error: str | None = None
    sha256: str | None = None
    size: int = 0


def run_job(job: Job, out: str, epoch: int) -> Result:
    """Render and write one job (inside ``out``, atomically)."""
    from handouts.pdf.writer import fixed_time, write_atomic

    try:
        with fixed_time(epoch):
            data = _render(_WORKER["lib"], job)
        write_atomic(confine(Path(out), job.target), data)
    except HandoutsError as exc:
        message = exc.format_message()
        if isinstance(exc, LayoutError) and job.kind == "program" and job.program is not None:
            message += _printed_fields(job.program)
        return Result(job.target, f"{job.label or job.target}: {message}")
    return Result(job.target, None, hashlib.sha256(data).hexdigest(), len(data))


def _printed_fields(program) -> str:
    """For a programme that does not fit: the lengths of the patient's fields that print on its
    pages, longest first, so a CSV row's author knows which column to shorten."""
    fields = {
        "patient": program.patient,
        "clinician": program.clinician,
        "contact": program.clinician_contact,
        "notes": program.notes,
    }
    sized = sorted(((len(v), k) for k, v in fields.items() if v), reverse=True)
    shown = ", ".join(f"{k} {n} characters" for n, k in sized)
    return f" (printed from this programme: {shown}; shorten the longest)" if shown else ""


def _run_packed(args) -> Result:
    return run_job(*args)


# -- the manifest ----------------------------------------------------------------

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
    from handouts.pdf.writer import write_atomic

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
                import msvcrt

                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BuildError(
                f"{out}: another Handouts build is writing into this folder; let it finish, then run again"
            ) from None
        yield
    finally:
        fh.close()


# -- the run -------------------------------------------------------------------


def run(
    lib: Library,
    config: str,
    jobs: list[Job],
    out: Path,
    *,
    workers: int | None = None,
    force: bool = False,
    progress=None,
) -> Summary:
    """Build ``jobs`` into ``out``. ``progress(done, total)`` is called as documents finish.

    Ctrl-C or SIGTERM stops at once: the workers are ended, what was built is recorded in the
    manifest, and Interrupted (exit code 130) says how far it got.
    """
    from handouts.pdf.writer import make_folder, source_date_epoch
    from handouts.read.translation import localised

    started = time.perf_counter()
    epoch = source_date_epoch(lib.document.last_reviewed)
    make_folder(out)
    summary = Summary()
    with locked(out):
        manifest = read_manifest(out)
        recorded = manifest["outputs"]
        todo: list[tuple[Job, str]] = []
        for job in jobs:
            fp = fingerprint(localised(lib, job.language), job, epoch)
            if not force and unchanged(out, job.target, recorded.get(job.target), fp):
                summary.unchanged.append(job.target)
            else:
                todo.append((job, fp))
        fps = {job.target: (fp, maker(job)) for job, fp in todo}
        done = 0
        if progress:
            progress(0, len(todo))

        def finish(result: Result) -> None:
            nonlocal done
            done += 1
            if result.error:
                summary.failed.append(result.error)
                recorded.pop(result.target, None)
            else:
                summary.built.append(result.target)
                fp, kind = fps[result.target]
                entry = {"fingerprint": fp, "sha256": result.sha256, "size": result.size, "maker": kind}
                try:
                    st = os.stat(confine(out, result.target))
                    entry.update(mtime_ns=st.st_mtime_ns, inode=st.st_ino)
                except (OSError, UsageProblem):
                    pass  # without them the next run compares hashes
                recorded[result.target] = entry
            if progress:
                progress(done, len(todo))

        with _interruptible() as stop:
            try:
                _execute(lib, config, todo, out, epoch, workers, finish, stop)
            finally:
                write_manifest(out, manifest)
    summary.seconds = time.perf_counter() - started
    if stop.signal:
        raise Interrupted(len(summary.built), len(todo) - len(summary.built) - len(summary.failed), out)
    return summary


def _execute(lib, config, todo, out: Path, epoch: int, workers, finish, stop) -> None:
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    _WORKER["lib"] = lib
    if workers == 1 or len(todo) <= 1:
        try:
            for job, _fp in todo:
                finish(run_job(job, str(out), epoch))
        except KeyboardInterrupt:
            stop.signal = stop.signal or "interrupt"
        return
    import multiprocessing

    fork = "fork" in multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    # Forked workers inherit the loaded library; spawned ones load it once each.
    pool = ctx.Pool(workers, initializer=_init_worker, initargs=(None if fork else config, False))
    try:
        tasks = [(job, str(out), epoch) for job, _fp in todo]
        for result in pool.imap_unordered(_run_packed, tasks, chunksize=1):
            finish(result)
        pool.close()
    except KeyboardInterrupt:
        stop.signal = stop.signal or "interrupt"
        pool.terminate()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


class _Stop:
    signal: str | None = None


@contextmanager
def _interruptible():
    """SIGTERM is handled like Ctrl-C while a build runs, so both stop it cleanly."""
    import signal
    import threading

    stop = _Stop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def on_term(signum, frame):
        stop.signal = "terminate"
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, on_term)
    try:
        yield stop
    except KeyboardInterrupt:
        stop.signal = stop.signal or "interrupt"
    finally:
        signal.signal(signal.SIGTERM, old)


def stale_outputs(out: Path, jobs: list[Job], shard=None) -> list[str]:
    """Build outputs recorded in the manifest that this build no longer makes.

    Only files ``handouts build`` wrote, in the folders this build writes (its languages and
    editions), within this shard: a batch's programmes and the large-print set of a build
    without --large-print are never stale.
    """
    targets = {j.target for j in jobs}
    groups = {group(j.target) for j in jobs if maker(j) == "build"}
    recorded = read_manifest(out)["outputs"]
    return sorted(
        t
        for t, entry in recorded.items()
        if entry["maker"] == "build" and t not in targets and group(t) in groups and in_shard(t, shard)
    )


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
