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
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from handouts import __version__
from handouts.errors import HandoutsError, UsageProblem
from handouts.model import Library

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
    program: object = None  # a program.Program for kind == "program"
    label: str = ""  # how a failure names the job (e.g. the CSV line)


@dataclass
class Summary:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
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


@lru_cache(maxsize=64)
def file_hash(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def _assets(lib: Library, exercises) -> list[str]:
    from handouts import glyphs

    files = [str(glyphs.font_path(s)) for s in glyphs.FONT_FILES]
    if lib.brand.logo:
        files.append(str(lib.brand.logo))
    for ex in exercises:
        files += [str(p.image) for p in ex.pictures if p.image]
    return [f"{f}:{file_hash(f)}" for f in files]


def fingerprint(lib: Library, job: Job, epoch: int) -> str:
    """A hash of everything that decides the job's bytes."""
    from handouts.i18n import labels

    if job.kind == "sheet":
        ex = lib.exercise(job.exercise)
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
            job.program,
        ]
        exercises = lib.exercises
    parts = [__version__, job, epoch, content, labels(job.language).table, _assets(lib, exercises)]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


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


def _init_worker(config: str, strict: bool) -> None:
    from handouts import api

    _WORKER["lib"] = api.load(config, strict=strict)


def _render(lib: Library, job: Job) -> bytes:
    from handouts import api

    opts = api.Options(paper=job.paper, language=job.language, large_print=job.large_print)
    lib = api.localised(lib, job.language)
    theme, labels = api.context(lib, opts)
    if job.kind == "sheet":
        from handouts.sheet import render_sheet

        return render_sheet(lib, lib.exercise(job.exercise), theme, labels)
    if job.kind == "booklet":
        from handouts.booklet import render_booklet

        return render_booklet(lib, theme, labels, promo=job.promo)
    from handouts.programdoc import render_program

    return render_program(lib, job.program, theme, labels)


def run_job(job: Job, out: str, epoch: int) -> tuple[str, str | None]:
    """Render and write one job; returns (target, error message or None)."""
    from handouts.writer import fixed_time, write_atomic

    try:
        with fixed_time(epoch):
            data = _render(_WORKER["lib"], job)
        write_atomic(Path(out) / job.target, data)
    except HandoutsError as exc:
        return job.target, f"{job.label or job.target}: {exc.format_message()}"
    return job.target, None


# -- the run -------------------------------------------------------------------


def read_manifest(out: Path) -> dict:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and data.get("version") == 1 else {"version": 1, "outputs": {}}
    except (OSError, ValueError):
        return {"version": 1, "outputs": {}}


def write_manifest(out: Path, manifest: dict) -> None:
    from handouts.writer import write_atomic

    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    write_atomic(out / MANIFEST, text.encode("utf-8"))


def run(
    lib: Library,
    config: str,
    jobs: list[Job],
    out: Path,
    *,
    workers: int | None = None,
    force: bool = False,
    incremental: bool = True,
    progress=None,
    strict: bool = False,
) -> Summary:
    """Build ``jobs`` into ``out``. ``progress(done, total)`` is called as documents finish."""
    from handouts import api
    from handouts.writer import make_folder, source_date_epoch

    started = time.perf_counter()
    epoch = source_date_epoch(lib.document.last_reviewed)
    make_folder(out)
    summary = Summary()
    manifest = read_manifest(out) if incremental else {"version": 1, "outputs": {}}
    recorded = manifest["outputs"]
    todo: list[tuple[Job, str]] = []
    for job in jobs:
        fp = fingerprint(api.localised(lib, job.language), job, epoch)
        if not force and incremental and recorded.get(job.target) == fp and (out / job.target).is_file():
            summary.unchanged.append(job.target)
        else:
            todo.append((job, fp))
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    done = 0
    if progress:
        progress(0, len(todo))

    def finish(target: str, error: str | None, fp: str) -> None:
        nonlocal done
        done += 1
        if error:
            summary.failed.append(error)
            recorded.pop(target, None)
        else:
            summary.built.append(target)
            recorded[target] = fp
        if progress:
            progress(done, len(todo))

    try:
        if workers == 1 or len(todo) <= 1:
            _WORKER["lib"] = lib
            for job, fp in todo:
                finish(*run_job(job, str(out), epoch), fp)
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, as_completed

            fork = "fork" in multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if fork else None)
            # forked workers inherit the loaded library; spawned ones load it once each
            _WORKER["lib"] = lib
            init = {} if fork else {"initializer": _init_worker, "initargs": (config, strict)}
            with ProcessPoolExecutor(workers, mp_context=ctx, **init) as pool:
                futures = {pool.submit(run_job, job, str(out), epoch): fp for job, fp in todo}
                for future in as_completed(futures):
                    finish(*future.result(), futures[future])
    finally:
        if incremental and (summary.built or summary.failed):
            write_manifest(out, manifest)
    summary.seconds = time.perf_counter() - started
    return summary


def stale_outputs(out: Path, jobs: list[Job], shard=None) -> list[str]:
    """Outputs recorded in the manifest that no job makes any more (within this shard)."""
    targets = {j.target for j in jobs}
    recorded = read_manifest(out)["outputs"]
    return sorted(t for t in recorded if t not in targets and in_shard(t, shard))


def prune(out: Path, stale: list[str]) -> None:
    manifest = read_manifest(out)
    for target in stale:
        (out / target).unlink(missing_ok=True)
        manifest["outputs"].pop(target, None)
    write_manifest(out, manifest)
