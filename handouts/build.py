"""Clinic-scale builds: a plan of jobs, a manifest of fingerprints, a pool of workers.

The parent process loads the library, plans one job per output, fingerprints each
from everything that decides its bytes, and skips outputs whose fingerprint and
file are unchanged. The rest render in worker processes (reportlab is not
thread-safe), each writing its PDF atomically. Same input, same bytes, whatever
the number of workers.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import os
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import field
from pathlib import Path

from handouts.compose import unprescribed_reps
from handouts.errors import HandoutsError, Interrupted, LayoutError, UsageProblem
from handouts.fingerprint import fingerprint
from handouts.manifest import group, locked, maker, prune, read_manifest, unchanged, write_manifest
from handouts.model import Job, Library
from handouts.paths import confine
from handouts.pdf.writer import fixed_time, make_folder, source_date_epoch, write_atomic
from handouts.read import localised
from handouts.records import record
from handouts.render.document import Document, Options, render


@record(frozen=False)
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


def plan_build(lib: Library, languages: list[str], paper: str, large_print: bool, nested: bool) -> list[Job]:
    jobs = []
    for lang in languages:
        base = f"{lang}/" if nested else ""
        if large_print:
            base += "large-print/"
        jobs += [Job("sheet", f"{base}sheets/{i}.pdf", lang, paper, large_print, exercise=i) for i in lib.ids]
        jobs.append(Job("booklet", f"{base}booklet.pdf", lang, paper, large_print))
    return jobs


def plan_batch(lib: Library, csv_path: Path, paper: str = "a4", language: str | None = None, warn=None):
    """One programme job per good CSV row, and an error message per bad row; ``warn(message)``
    hears of each exercise a row prescribes no repetitions for (the page prints none)."""

    from handouts.read.patients import output_names, read_rows  # lazy: only a batch reads a CSV

    rows = read_rows(csv_path, lib)
    jobs, errors = [], []
    for row, name in zip(rows, output_names(rows), strict=True):
        if row.program is None:
            errors.append(row.error)
            continue
        lang = row.program.language or language or lib.document.language
        try:
            localised(lib, lang)
        except HandoutsError as exc:
            errors.append(f"{csv_path}:{row.line}: lang: {exc.format_message()}")
            continue
        for chosen in row.program.exercises if warn else ():
            why = unprescribed_reps(lib.exercise(chosen.id), chosen.rx)
            if why is not None:
                warn(f"{csv_path}:{row.line}: exercises: '{chosen.id}' {why}; write {chosen.id}:SETSxREPS")
        jobs.append(
            Job(
                "program",
                name,
                lang,
                row.program.paper or paper,
                large_print=row.program.large_print,
                program=row.program,
                label=f"{csv_path}:{row.line}",
            )
        )
    return jobs, errors


# -- workers -------------------------------------------------------------------

_WORKER: dict = {}


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies, however the parent ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's interrupt handling still ends the pool
        pass


def _init_worker(config: str | None, strict: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the pool
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    if config is not None:
        from handouts.read.library import load_library  # lazy: only a worker without the parent's library

        _WORKER["lib"] = load_library(config, strict=strict)
    gc.freeze()  # the library and the modules outlive every document: out of this worker's collections


def _render(lib: Library, job: Job) -> bytes:
    opts = Options(paper=job.paper, language=job.language, large_print=job.large_print)
    doc = Document(job.kind, opts, exercise=job.exercise, program=job.program, promo=job.promo)
    return render(localised(lib, job.language), doc)


@record
class Result:
    target: str
    error: str | None = None
    sha256: str | None = None
    size: int = 0


def run_job(job: Job, out: str, epoch: int) -> Result:
    """Render and write one job (inside ``out``, atomically)."""

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

    import multiprocessing  # lazy: a build with nothing to do starts no workers

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


# -- the commands' work ----------------------------------------------------------


@record(frozen=False)
class Built:
    """What ``handouts build`` did: the run, the outputs no longer made, those it removed and
    those it left alone (changed since Handouts wrote them), and the download page's files."""

    summary: Summary
    stale: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    site: list[str] = field(default_factory=list)


def build_library(
    lib: Library,
    config: str,
    out: Path,
    languages: list[str],
    paper: str = "a4",
    *,
    large_print: bool = False,
    nested: bool = False,
    shard: tuple[int, int] | None = None,
    workers: int | None = None,
    force: bool = False,
    prune_stale: bool = False,
    site: bool = False,
    progress=None,
) -> Built:
    """Every sheet and booklet of ``languages`` (and their large-print edition) into ``out``:
    plan, run what changed, find what is stale and prune it when asked, write the download page."""

    for code in languages:
        localised(lib, code)  # a bad translation stops the build before any work
    plan = plan_build(lib, languages, paper, False, nested=nested)
    if large_print:
        plan += plan_build(lib, languages, paper, True, nested=nested)
    todo = [j for j in plan if in_shard(j.target, shard)]
    done = Built(run(lib, config, todo, out, workers=workers, force=force, progress=progress))
    done.stale = stale_outputs(out, plan, shard)
    if done.stale and prune_stale:
        done.removed, done.kept = prune(out, done.stale)
    if site:
        from handouts.site import write_site  # lazy: only with --site

        done.site = write_site(out, lib, plan, force=force)
    return done


def build_batch(
    lib: Library,
    config: str,
    csv_path: Path,
    out: Path,
    paper: str = "a4",
    language: str | None = None,
    warn=None,
    **kw,
) -> tuple[Summary, list[str], int]:
    """One programme per CSV row into ``out``: the run, every failed row's message (bad rows and
    failed documents), and how many rows there were; ``warn`` as for plan_batch."""
    plan, errors = plan_batch(lib, csv_path, paper, language, warn=warn)
    summary = run(lib, config, plan, out, **kw)
    return summary, errors + summary.failed, len(plan) + len(errors)
