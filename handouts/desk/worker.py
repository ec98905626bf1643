"""Render a programme from its YAML text in a worker, away from the threads that serve pages.

reportlab keeps process-wide state (fonts, the document timestamp), so by default the
desk renders in a small pool of worker processes; each loads the library once. The
programme text travels to the worker and the PDF back through pipes: nothing is written
to disk.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from handouts import api
from handouts.errors import HandoutsError
from handouts.read.programme import loads_program

_STATE: dict = {}


def init_worker(config: str) -> None:

    _STATE["lib"] = api.load(config)


def render_text(text: str, name: str = "programme.yaml") -> tuple[bytes | None, str | None]:
    """The PDF ``handouts program FILE`` writes for a file holding ``text`` (or an error message)."""

    try:
        lib = _STATE["lib"]
        prog = loads_program(text, lib, name)
        lang = prog.language or lib.document.language
        opts = api.Options(paper=prog.paper or "a4", language=lang, large_print=prog.large_print)
        return api.program_bytes(lib, prog, opts), None
    except HandoutsError as exc:
        return None, exc.format_message()


def ping() -> bool:
    return "lib" in _STATE


class Renderer:
    """A pool of render workers: processes (``workers`` > 0) or one thread of this process (0)."""

    def __init__(self, config: str, workers: int, lib=None):
        self.config = config
        self.workers = workers
        self.lib = lib
        self._lock = threading.Lock()
        self._pool: Executor | None = None

    def _make(self) -> Executor:
        if self.workers <= 0:
            if self.lib is not None:
                _STATE["lib"] = self.lib
            else:
                init_worker(self.config)
            return ThreadPoolExecutor(1, thread_name_prefix="handouts-render")

        ctx = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            self.workers, mp_context=ctx, initializer=init_worker, initargs=(self.config,)
        )

    def pool(self) -> Executor:
        with self._lock:
            if self._pool is None:
                self._pool = self._make()
            return self._pool

    def start(self) -> None:
        """Start the workers now, so the first preview does not wait for them."""
        pool = self.pool()
        for f in [pool.submit(ping) for _ in range(max(1, self.workers))]:
            f.result(timeout=120)

    def render(self, text: str, timeout: float = 60.0) -> tuple[bytes | None, str | None]:

        try:
            return self.pool().submit(render_text, text).result(timeout=timeout)
        except BrokenProcessPool:
            with self._lock:  # a worker died: start a fresh pool and try once more
                self._pool = None
            return self.pool().submit(render_text, text).result(timeout=timeout)

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
