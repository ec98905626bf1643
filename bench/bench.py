"""Measure Handouts on this machine and print a markdown table.

Run from the repository root (``make bench``)::

    .venv/bin/python bench/bench.py            # the full run
    .venv/bin/python bench/bench.py --quick    # a smaller run

Every figure is measured in this run, never estimated: wall times of fresh
``handouts`` processes, batch throughput at one and two workers, a no-change
rebuild, the peak memory of a process rendering many personalised sheets, file
sizes, and the per-sheet render cost next to a floor (the same text drawn with
a bare reportlab canvas and the same embedded font).

Everything is written into a temporary folder, including Python's bytecode
cache (PYTHONPYCACHEPREFIX), so the repository is never written to. Fresh
processes run after one untimed warm-up, so "cold" means a new process with
the operating system's file cache warm.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "exercises.yaml"
FONT_FILE = ROOT / "handouts" / "resources" / "fonts" / "AtkinsonHyperlegible-Regular.ttf"
SHEET_ID = "wall-angels"  # the sheet used for the cold-sheet run and the floor comparison
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
LAST: dict = {}  # the CPU seconds and stdout of the last run()


# -- helpers -------------------------------------------------------------------


def handouts_cmd() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m handouts``."""
    script = Path(sys.executable).parent / "handouts"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "handouts"]


def run(cmd: list[str], cwd: Path, env: dict, ok=(0,)) -> float:
    """Wall time in seconds of one process; raises with its stderr if it fails."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the process and its reaped workers: less sensitive than wall time to other load
    LAST["cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode not in ok:
        raise SystemExit(
            f"bench: {' '.join(cmd)} exited with {proc.returncode}:\n{proc.stderr.decode(errors='replace')}"
        )
    LAST["stdout"] = proc.stdout.decode(errors="replace")
    return elapsed


def repeat(cmd: list[str], n: int, cwd: Path, env: dict, warmup: bool = True) -> list[float]:
    """Wall times of ``n`` runs after one untimed warm-up; their CPU times go to LAST["cpus"]."""
    if warmup:
        run(cmd, cwd, env)
    times, cpus = [], []
    for _ in range(n):
        times.append(run(cmd, cwd, env))
        cpus.append(LAST["cpu"])
    LAST["cpus"] = cpus
    return times


COLD_FLOOR = """\
import sys
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

font, out, lines = sys.argv[1], sys.argv[2], sys.argv[3:]
pdfmetrics.registerFont(TTFont("BenchFloor", font))
c = canvas.Canvas(out, pagesize=A4, invariant=1)
y = A4[1] - 60
for text in lines:
    for line in simpleSplit(text, "BenchFloor", 14, A4[0] - 100):
        c.setFont("BenchFloor", 14)
        c.drawString(50, y, line)
        y -= 18
c.showPage()
c.save()
"""


#: Run in a fresh Python: one cold sheet (a failed one exits non-zero, so the bench stops), then
#: print (as the last line) the modules it loaded that are not Handouts' own, in the order they
#: loaded; a module still waiting to load lazily (see handouts/deferred.py) is left out, as the
#: sheet never loaded it.
MODULES_PROBE = """\
import json, sys, types
from handouts.cli import main
sys.argv = ["handouts", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    if exc.code not in (0, None):
        raise
names = [n for n, m in list(sys.modules.items())
         if n != "__main__" and n.split(".")[0] != "handouts" and type(m) is types.ModuleType]
print(json.dumps(names))
"""

#: A fresh Python importing the modules named on its command line and running nothing else: what
#: a cold sheet pays for Python, click, reportlab, pyphen and the standard library (including the
#: few standard modules only Handouts' code asks for) before any of Handouts' own work. Handouts'
#: package itself is imported first, for its lines that defer the patterns and the modules a run
#: seldom uses (handouts/deferred.py) as every run does: without them reportlab's import alone
#: takes 40 ms more. Every name must import: a failure exits non-zero, so the figure is never
#: made low by a module left out.
LIBRARIES_ONLY = """\
import importlib, sys
import handouts
from handouts import deferred
deferred.defer_modules()
wanted = sys.argv[1:]
errors = {}
for name in wanted:
    if name not in sys.modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # one an extension registers as it loads (Cython's) comes later
            errors[name] = exc
for name in deferred.MODULES:  # one the sheet loaded is loaded here too
    if name in wanted and name in sys.modules:
        dir(sys.modules[name])
missing = [f"{name}: {errors.get(name)}" for name in wanted if name not in sys.modules]
if missing:
    sys.exit("not imported: " + "; ".join(missing))
"""

#: A bare Python's modules, printed as JSON: the ones a cold sheet does not add.
BARE_MODULES = "import json, sys; print(json.dumps(sorted(sys.modules)))"


def timed_writing(sheet_module, render, n: int) -> tuple[list[float], list[float]]:
    """``render()`` run ``n`` times: (each call's seconds, the seconds of that call spent writing
    the file, i.e. in the canvas's ``save``: the page numbers and footer, the structure tree, the
    fonts, packing and compressing). The sheet's canvas class is wrapped, made once, for these
    calls only; the output is the same."""
    made = sheet_module.numbered_canvas
    spent: list[float] = []
    classes: dict = {}

    def numbered_canvas(page_label):
        timed = classes.get(page_label)
        if timed is None:
            base = made(page_label)

            class Timed(base):
                def save(self):
                    t = time.perf_counter()
                    try:
                        base.save(self)
                    finally:
                        spent.append(time.perf_counter() - t)

            timed = classes[page_label] = Timed
        return timed

    sheet_module.numbered_canvas = numbered_canvas
    try:
        total = per_call(render, n)
    finally:
        sheet_module.numbered_canvas = made
    if len(spent) != n:
        raise SystemExit(f"bench: {len(spent)} saves timed for {n} sheets")
    return total, spent


def pages_in(path: Path) -> int:
    """Pages in a PDF, read with pikepdf or pypdf (the test extras); else its page objects."""
    try:
        import pikepdf

        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except ImportError:
        pass
    try:
        from pypdf import PdfReader

        return len(PdfReader(path).pages)
    except ImportError:
        pass
    n = len(PAGE.findall(path.read_bytes()))  # counts only page objects outside object streams
    if n == 0:
        raise SystemExit(f"bench: cannot count the pages of {path}: install pikepdf or pypdf")
    return n


def load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def maxrss_mb(ru_maxrss: int) -> float:
    """ru_maxrss is in kilobytes on Linux and in bytes on macOS."""
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(
        self,
        figure: str,
        value: str,
        low: str = "—",
        runs: str = "1",
        target: str = "—",
        ok=None,
        floor: str = "—",
    ):
        verdict = "—" if ok is None else ("yes" if ok else "**no**")
        self.rows.append((figure, value, low, runs, floor, target, verdict))

    def timed(self, figure: str, times: list[float], limit_s: float | None, floor: str = "—") -> None:
        """A repeated wall-clock figure: median (and median CPU), min and runs, against a target."""
        median = statistics.median(times)
        cpu = f" ({ms(statistics.median(LAST['cpus']))} CPU)" if LAST.get("cpus") else ""
        self.add(
            figure,
            ms(median) + cpu,
            ms(min(times)),
            str(len(times)),
            f"<= {limit_s * 1000:.0f} ms" if limit_s else "—",
            median <= limit_s if limit_s else None,
            floor,
        )

    def render(self) -> str:
        head = ("Figure", "Measured (median)", "Min", "Runs", "/ floor", "Target", "Meets")
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in self.rows]
        return "\n".join(lines)


def worker(args: list[str], name: str, cwd: Path, env: dict):
    """The JSON one of this script's worker modes prints, run in a fresh Python; stops the bench
    with the worker's errors if it fails."""
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        raise SystemExit(f"bench: the {name} worker failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


# -- the personalised sheets of the memory worker --------------------------------


def personalised_kwargs(lib, ex, i: int) -> dict:
    """A different patient, and a different dose where the exercise has a number to change."""

    dose = {}
    if ex.dose.reps is not None:
        dose["reps"] = 1 + i % 30
    elif ex.dose.hold is not None and ex.dose.hold.seconds is not None:
        dose["hold"] = 5 + i % 60
    from handouts.read.flags import personalise

    return personalise(lib, "en", patient=f"Patient {i:05d} Example", clinician="Sam Physio", **dose)


def memory_worker(n: int) -> None:
    """Render ``n`` personalised sheets in this process; print peak RSS at checkpoints as JSON."""
    import resource

    from handouts import api
    from handouts.pdf.writer import fixed_time, source_date_epoch
    from handouts.render.document import Options, context
    from handouts.render.sheet import render_sheet

    def peak() -> float:
        return maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

    lib = api.load(str(CONFIG))
    theme, labels = context(lib, Options())
    exercises = lib.exercises
    checkpoints = {max(1, n // 10), max(1, n // 2), n}
    samples = [{"sheets": 0, "peak_mb": peak()}]
    total_bytes = 0
    started = time.perf_counter()
    with fixed_time(source_date_epoch(lib.document.last_reviewed)):
        for i in range(1, n + 1):
            ex = exercises[i % len(exercises)]
            total_bytes += len(render_sheet(lib, ex, theme, labels, **personalised_kwargs(lib, ex, i)))
            if i in checkpoints:
                samples.append({"sheets": i, "peak_mb": peak(), "seconds": time.perf_counter() - started})
    json.dump({"samples": samples, "bytes": total_bytes}, sys.stdout)


# -- this machine's own parallel speed-up on batch programmes ------------------------


def ceiling_worker(csv_path: str, n: int) -> None:
    """Render the first ``n`` programmes of the CSV in this process, then the same ``n`` split in
    two halves over two forked processes (no pool, no pipes, no files written), three times in
    turn; print the wall and CPU times as JSON. About what two processes gain on this machine
    for the rendering alone, with none of the batch's own work (its start, its pool, its
    parent, writing files) in the way."""
    import gc
    import traceback

    from handouts import api, build
    from handouts.pdf.writer import fixed_time, source_date_epoch

    lib = api.load(str(CONFIG))
    jobs, errors = build.plan_batch(lib, Path(csv_path))
    if errors or len(jobs) < n:
        raise SystemExit(f"bench: the ceiling worker's CSV gave {len(jobs)} programmes: {errors[:1]}")
    jobs = jobs[:n]
    epoch = source_date_epoch(lib.document.last_reviewed)

    def render_all(part) -> None:
        with fixed_time(epoch):
            for job in part:
                if not build._render(lib, job):
                    raise SystemExit("bench: a programme rendered no bytes")

    def in_two() -> tuple[float, float]:
        """Wall and CPU seconds of the two halves rendered at once; every child is reaped (or
        ended) before a failure is raised."""
        started = time.perf_counter()
        children = []
        try:
            # contiguous halves: the CSV's rows cycle through the exercises, so each half has the mix
            for half in (jobs[: n // 2], jobs[n // 2 :]):
                pid = os.fork()
                if pid == 0:  # the child renders its half and ends without running the parent's cleanup
                    code = 1
                    try:
                        render_all(half)
                        code = 0
                    except BaseException:
                        traceback.print_exc()
                        sys.stderr.flush()
                    finally:
                        os._exit(code)
                children.append(pid)
        except BaseException:
            for pid in children:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            raise
        cpu, failed = 0.0, 0
        for pid in children:
            _, status, usage = os.wait4(pid, 0)
            failed += status != 0
            cpu += usage.ru_utime + usage.ru_stime
        if failed:
            raise SystemExit(f"bench: {failed} ceiling child(ren) failed (their errors are above)")
        return time.perf_counter() - started, cpu

    # warm: fonts, pictures, kept layouts, all in place before the children fork (a batch worker
    # warms its own in its first rows)
    render_all(jobs[:20])
    gc.freeze()  # as a batch worker does after loading the library
    runs = []
    for _ in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        render_all(jobs)
        serial, serial_cpu = time.perf_counter() - started, time.process_time() - cpu
        parallel, parallel_cpu = in_two()
        runs.append(
            {"serial": serial, "parallel": parallel, "serial_cpu": serial_cpu, "parallel_cpu": parallel_cpu}
        )
    json.dump(runs, sys.stdout)


# -- the floor -------------------------------------------------------------------


def floor_lines(lib, ex, kw: dict) -> list[tuple[str, float]]:
    """The sheet's text as (line, font size): name, description, steps and dose lines."""
    from handouts.compose import dose_rows, step_text
    from handouts.i18n import labels
    from handouts.model import NO_RX, Schedule

    lab = labels("en")
    rx = kw.get("rx", NO_RX)
    schedule = kw.get("schedule") or Schedule(lib.programme.per_week, lib.programme.weeks)
    lines = [(ex.name, 28.0), (ex.description, 12.0)]
    lines += [(f"{n}. {step_text(s, lab, rx)}", 14.0) for n, s in enumerate(ex.steps, 1)]
    lines += [(f"{k}: {v}", 14.0) for k, v in dose_rows(ex, lab, schedule, rx)]
    return lines


def floor_render(lines: list[tuple[str, float]]) -> bytes:
    """One page with a bare canvas: wrap each text and drawString it in the embedded TTF font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    width, height = A4
    y = height - 60
    for text, size in lines:
        c.setFont("BenchFloor", size)
        for line in simpleSplit(text, "BenchFloor", size, width - 100):
            c.drawString(50, y, line)
            y -= size * 1.3
        y -= size * 0.5
    c.showPage()
    c.save()
    return buf.getvalue()


def per_call(fn, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


# -- the run ---------------------------------------------------------------------


def write_csv(path: Path, lib, n: int) -> None:
    """``n`` rows, each a programme of ONE exercise (summary page + exercise page + log page)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["patient", "clinician", "date", "exercises", "per_week", "weeks"])
        for i in range(n):
            ex = lib.exercises[i % len(lib.exercises)]
            if ex.dose.reps is not None:
                spec = f"{ex.id}:{1 + i % 3}x{5 + i % 20}"
            elif ex.dose.hold is not None and ex.dose.hold.seconds is not None:
                spec = f"{ex.id}:hold={10 + i % 50}"
            else:
                spec = ex.id
            w.writerow([f"Patient {i:05d} Example", "Sam Physio", "2026-12-01", spec, 1 + i % 5, 2 + i % 10])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a smaller run: 200 batch rows, 1,000 memory sheets")
    ap.add_argument("--memory-worker", type=int, metavar="N", help=argparse.SUPPRESS)
    ap.add_argument("--ceiling-worker", nargs=2, metavar=("CSV", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_worker:
        memory_worker(args.memory_worker)
        return 0
    if args.ceiling_worker:
        ceiling_worker(args.ceiling_worker[0], int(args.ceiling_worker[1]))
        return 0

    quick = args.quick
    n_help, n_cold = 10, 5
    n_batch = 200 if quick else 1000
    n_memory = 1000 if quick else 10_000
    n_floor = 50 if quick else 200
    bench_started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="handouts-bench-") as tmp_name:
        tmp = Path(tmp_name)
        pycache = tmp / "pycache"
        sys.dont_write_bytecode = True  # this process writes no bytecode into the repository
        # Child processes cache their bytecode in the temporary folder (written by the warm-up
        # runs), as an installed package would have it, without writing into the repository.
        env = dict(os.environ, PYTHONPYCACHEPREFIX=str(pycache))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("HANDOUTS_CONFIG", None)
        env.pop("HANDOUTS_NO_CACHE", None)
        env["XDG_CACHE_HOME"] = str(tmp / "cache")  # the library cache, never the user's
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]  # this process's own loads too
        os.environ.pop("HANDOUTS_NO_CACHE", None)
        cmd = [*handouts_cmd(), "--config", str(CONFIG)]

        import reportlab

        from handouts import __version__, api

        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:
            cpus = os.cpu_count() or 1
        print("# Handouts benchmark" + (" (--quick)" if quick else ""))
        print()
        print(
            f"- machine: {platform.machine()}, {cpus} CPUs usable (nproc), {platform.system()} {platform.release()}"
        )
        print(
            f"- python {platform.python_version()} ({platform.python_implementation()}), reportlab {reportlab.Version}"
        )
        print(f"- handouts {__version__}, library {CONFIG.relative_to(ROOT)}")
        print(f"- load average at start (1, 5, 15 min): {load()} (other processes share these CPUs)")
        print()

        table = Table()
        lib = api.load(str(CONFIG))

        # fresh processes
        t = repeat([*handouts_cmd(), "--help"], n_help, tmp, env)
        help_median = statistics.median(t)
        table.timed("`handouts --help`", t, 0.06)
        t = repeat([sys.executable, "-c", "import click"], n_help, tmp, env)
        click_median = statistics.median(t)
        table.timed(
            "cold: Python importing click alone, nothing else (what `--help` cannot go below); "
            f"`--help` takes {help_median / click_median:.2f}x this",
            t,
            None,
        )

        # the cold floor: a fresh Python drawing the sheet's text with a bare canvas and the same font
        floor_script = tmp / "floor.py"
        floor_script.write_text(COLD_FLOOR, encoding="utf-8")
        floor_ex = lib.exercise(SHEET_ID)
        floor_text = [floor_ex.name, floor_ex.description, *(s.plain() for s in floor_ex.steps)]
        floor_cmd = [sys.executable, str(floor_script), str(FONT_FILE), str(tmp / "floor.pdf"), *floor_text]
        t_floor = repeat(floor_cmd, n_cold, tmp, env)
        cold_floor = statistics.median(t_floor)
        table.timed("cold floor: a Python script, bare canvas, same text and TTF", t_floor, None)

        sheet_pdf = tmp / "cold" / f"{SHEET_ID}.pdf"
        sheet = [*cmd, "sheet", SHEET_ID, "-o", str(sheet_pdf)]
        t = repeat([*cmd, "--no-cache", "sheet", SHEET_ID, "-o", str(sheet_pdf)], n_cold, tmp, env)
        table.timed(
            f"cold `handouts sheet {SHEET_ID}`, `--no-cache`",
            t,
            None,
            f"{statistics.median(t) / cold_floor:.1f}x",
        )
        t = repeat(sheet, n_cold, tmp, env)  # the warm-up run fills the library cache
        cold_sheet = statistics.median(t)
        ratio = cold_sheet / cold_floor
        table.timed(f"cold `handouts sheet {SHEET_ID}` (library cached)", t, 0.15, f"{ratio:.1f}x")
        table.add(
            "cold sheet / cold floor",
            f"{ratio:.2f}x",
            target="<= 1.3x",
            ok=ratio <= 1.3,
            floor=f"{ratio:.2f}x",
        )

        # what the cold sheet's target leaves: Python and the libraries alone, no Handouts code run
        probe = tmp / "probe.py"
        probe.write_text(MODULES_PROBE, encoding="utf-8")
        run(
            [sys.executable, str(probe), "--config", str(CONFIG), "sheet", SHEET_ID, "-o", str(sheet_pdf)],
            tmp,
            env,
        )
        modules = json.loads(LAST["stdout"].strip().splitlines()[-1])
        run([sys.executable, "-c", BARE_MODULES], tmp, env)
        added = len(set(modules) - set(json.loads(LAST["stdout"])))
        libraries = tmp / "libraries.py"
        libraries.write_text(LIBRARIES_ONLY, encoding="utf-8")
        t_libs = repeat([sys.executable, str(libraries), *modules], n_cold, tmp, env)
        libs = statistics.median(t_libs)
        table.timed(
            f"cold: Python importing the other modules a cold sheet loads ({added} beyond a bare "
            "Python's: click, reportlab, pyphen, standard library), running none of Handouts' work",
            t_libs,
            None,
            f"{libs / cold_floor:.2f}x",
        )
        table.add(
            "room 1.3x the floor leaves beyond those imports",
            f"{(1.3 * cold_floor - libs) * 1000:.0f} ms (1.3 x floor - the row above), for what the "
            f"sheet takes beyond them: {(cold_sheet - libs) * 1000:.0f} ms (Handouts' own "
            "imports, the library, laying out, drawing, writing)",
        )

        booklet_pdf = tmp / "cold" / "booklet.pdf"
        t = repeat([*cmd, "booklet", "-o", str(booklet_pdf)], n_cold, tmp, env)
        table.timed(
            "cold `handouts booklet` (library cached)", t, 0.3, f"{statistics.median(t) / cold_floor:.1f}x"
        )

        # a full build, then no-change rebuilds
        out = tmp / "build"
        t_first = run([*cmd, "build", "--out", str(out), "-q"], tmp, env)
        table.add("first `handouts build` (8 sheets + booklet, all CPUs)", ms(t_first))
        t = repeat([*cmd, "build", "--out", str(out)], n_cold, tmp, env, warmup=False)
        if not re.search(r"built 0, unchanged \d+, failed 0", LAST["stdout"]):
            raise SystemExit(f"bench: the rebuild was not a no-change build: {LAST['stdout']!r}")
        table.timed("no-change `handouts build`", t, 0.15)

        # batch: one programme of one exercise per row
        patients = tmp / "patients.csv"
        write_csv(patients, lib, n_batch)
        walls, cpu = {}, {}
        for jobs in (1, 2):
            folder = tmp / f"batch-j{jobs}"
            walls[jobs] = run(
                [*cmd, "batch", str(patients), "--out", str(folder), "--jobs", str(jobs), "--force", "-q"],
                tmp,
                env,
            )
            cpu[jobs] = LAST["cpu"]
        pdfs = sorted((tmp / "batch-j2").glob("*.pdf"))
        if len(pdfs) != n_batch:
            raise SystemExit(f"bench: the batch wrote {len(pdfs)} PDFs, expected {n_batch}")
        pages = sum(pages_in(p) for p in pdfs)
        scale = 1000 / n_batch
        for jobs in (1, 2):
            w = walls[jobs]
            target, ok = ("<= 5 s per 1,000", w * scale <= 5.0) if jobs == 2 else ("—", None)
            table.add(
                f"`handouts batch` {n_batch:,} one-exercise programmes, `--jobs {jobs}`",
                f"{w:.1f} s: {n_batch / w:.0f} documents/s, {pages / w:.0f} pages/s ({cpu[jobs]:.1f} s CPU)",
                target=target,
                ok=ok,
            )
        speedup = walls[1] / walls[2]
        table.add("batch speed-up, jobs 1 / jobs 2", f"{speedup:.2f}x", target=">= 1.8x", ok=speedup >= 1.8)
        if hasattr(os, "fork"):
            # what two processes gain on this machine for the same programmes, without the batch
            n_ceiling = min(n_batch, 200)
            pairs = worker(["--ceiling-worker", str(patients), str(n_ceiling)], "ceiling", tmp, env)
            gains = [p["serial"] / p["parallel"] for p in pairs]
            gain = statistics.median(gains)
            more = statistics.median([p["parallel_cpu"] / p["serial_cpu"] - 1 for p in pairs])
            table.add(
                f"this machine's own 2-process speed-up for rendering alone: the batch's first {n_ceiling} "
                "programmes rendered in one process, then in two halves over two forked ones (no pool, "
                "no files), three times in turn",
                f"{gain:.2f}x ({', '.join(f'{g:.2f}x' for g in gains)}); the two used {more:+.0%} CPU "
                f"of the one. The batch's speed-up is {speedup / gain:.0%} of it; its `--jobs 2` run "
                f"used {cpu[2] / cpu[1] - 1:+.0%} CPU of its `--jobs 1` run (start, parent and files included)",
            )
        table.add("pages per batch programme (summary + exercise + log)", f"{pages / n_batch:.1f}")
        table.add(
            "CPU per programme, `--jobs 1` (the run's start and library load spread over them)",
            f"{cpu[1] / n_batch * 1000:.1f} ms (5 s per 1,000 on 2 workers leaves 10 ms at a perfect 2x)",
        )

        # in-process: our sheet against the floor, the same personalised sheet
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        from handouts.pdf.writer import fixed_time, source_date_epoch
        from handouts.render import sheet as sheet_module
        from handouts.render.document import Options, context
        from handouts.render.sheet import render_sheet

        # Handouts' fonts first: reportlab hands a font registered later for the same face the
        # object registered first, so registering the floor's first would draw the sheet with it
        theme, labels = context(lib, Options())
        pdfmetrics.registerFont(TTFont("BenchFloor", str(FONT_FILE)))
        ex = lib.exercise(SHEET_ID)
        kw = personalised_kwargs(lib, ex, 7)
        lines = floor_lines(lib, ex, kw)
        with fixed_time(source_date_epoch(lib.document.last_reviewed)):
            render_sheet(lib, ex, theme, labels, **kw)  # warm: fonts, figures, caches
            floor_render(lines)
            ours = per_call(lambda: render_sheet(lib, ex, theme, labels, **kw), n_floor)
            floor = per_call(lambda: floor_render(lines), n_floor)
            split, writing = timed_writing(
                sheet_module, lambda: render_sheet(lib, ex, theme, labels, **kw), n_floor
            )
        o, f = statistics.median(ours), statistics.median(floor)
        w = statistics.median(writing)
        share = statistics.median([part / whole for part, whole in zip(writing, split, strict=True)])
        table.add(
            f"in-process `render_sheet` ({SHEET_ID}, personalised)",
            f"{o * 1000:.1f} ms",
            f"{min(ours) * 1000:.1f} ms",
            str(n_floor),
        )
        table.add(
            "floor: same text, bare canvas + drawString, same TTF",
            f"{f * 1000:.2f} ms",
            f"{min(floor) * 1000:.2f} ms",
            str(n_floor),
        )
        table.add(
            "of our sheet: writing the file (page numbers, structure tree, fonts, packing, compressing)",
            f"{w * 1000:.2f} ms, {share:.0%} of each sheet (median over {n_floor} more sheets); "
            "the rest is laying out and drawing",
            f"{min(writing) * 1000:.2f} ms",
            str(n_floor),
        )
        table.add(
            "our sheet / floor, same run",
            f"{o / f:.1f}x",
            target="<= 3x",
            ok=o / f <= 3,
            floor=f"{o / f:.1f}x",
        )

        # peak memory of one process rendering many personalised sheets
        result = worker(["--memory-worker", str(n_memory)], "memory", tmp, env)
        samples = result["samples"]
        growth = samples[-1]["peak_mb"] - samples[1]["peak_mb"]
        flat = growth <= 2.0
        trail = ", ".join(f"{s['sheets']:,}: {s['peak_mb']:.1f}" for s in samples)
        last = samples[-1]
        table.add(
            f"worker peak RSS (max RSS), {n_memory:,} personalised sheets",
            f"{last['peak_mb']:.1f} MB (after sheets: {trail} MB)",
            target="<= 80 MB and flat",
            ok=last["peak_mb"] <= 80 and flat,
        )
        table.add(
            f"worker growth, {samples[1]['sheets']:,} to {last['sheets']:,} sheets",
            f"{growth:+.1f} MB ({'flat' if flat else 'grows'})",
        )
        table.add(
            f"worker render rate over {n_memory:,} sheets",
            f"{last['sheets'] / last['seconds']:.0f} sheets/s ({last['seconds'] / last['sheets'] * 1000:.1f} ms each)",
        )

        # file sizes
        sizes = [p.stat().st_size for p in sorted((out / "sheets").glob("*.pdf"))]
        table.add(
            f"sheet with pictures, over the {len(sizes)} sheets",
            f"{kb(max(sizes))} max",
            f"{kb(min(sizes))}",
            "—",
            "<= 30 KB",
            max(sizes) <= 30 * 1024,
        )
        b = (out / "booklet.pdf").stat().st_size
        table.add(
            f"booklet ({pages_in(out / 'booklet.pdf')} pages)", kb(b), target="<= 150 KB", ok=b <= 150 * 1024
        )
        prog = [p.stat().st_size for p in pdfs]
        table.add(
            f"one programme ({pdfs[0].name}, {pages_in(pdfs[0])} pages)",
            kb(pdfs[0].stat().st_size),
            f"{kb(min(prog))} (max {kb(max(prog))})",
        )

        print(table.render())
        print()
        print(
            f"Whole benchmark: {time.perf_counter() - bench_started:.0f} s; load average at the end: {load()}."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
