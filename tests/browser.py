"""Headless Chromium for the browser tests: Debian's chromium driven by Playwright.

Playwright cannot download its own browsers everywhere, so the tests use the system's
``chromium``. Where it is missing the tests skip with a message, except under CI=true,
where a skipped browser test is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

#: How long a page may take to answer: generous, as the machine may be shared; the desk's own
#: 30-second bound is tested without a browser.
TIMEOUT_MS = 90_000

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--disable-breakpad",
]


def chromium_path() -> str | None:
    candidates = (
        os.environ.get("HANDOUTS_CHROMIUM"),
        "/usr/bin/chromium",
        "chromium",
        "chromium-browser",
        "google-chrome-stable",  # preinstalled on some CI runners
        "google-chrome",
    )
    for name in candidates:
        if name and (found := shutil.which(name)):
            return found
    return None


def need_browser() -> str:
    """The chromium executable, or skip (fail under CI=true) with how to install it."""
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "Playwright is not installed (pip install -e '.[test]')"
    path = chromium_path()
    if reason is None and path is None:
        reason = "no chromium found: install it with 'apt-get install chromium' (or set HANDOUTS_CHROMIUM)"
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser test cannot run under CI=true: {reason}")
        pytest.skip(reason)
    return path


@contextmanager
def browser_context(profile: Path | None = None, **kw):
    """A fresh Chromium context (its profile in ``profile`` when given, so a test can search it)."""
    from playwright.sync_api import sync_playwright

    exe = need_browser()
    with sync_playwright() as p:
        if profile is not None:
            ctx = p.chromium.launch_persistent_context(
                str(profile),
                executable_path=exe,
                args=CHROMIUM_ARGS,
                headless=True,
                accept_downloads=True,
                **kw,
            )
            ctx.set_default_timeout(TIMEOUT_MS)
            try:
                yield ctx
            finally:
                ctx.close()
        else:
            browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
            try:
                ctx = browser.new_context(accept_downloads=True, **kw)
                ctx.set_default_timeout(TIMEOUT_MS)
                yield ctx
                ctx.close()
            finally:
                browser.close()


@contextmanager
def serving(app, host: str = "127.0.0.1"):
    """Serve a WSGI app with waitress on a free port of ``host`` in a thread; yields the base URL."""
    from waitress.server import create_server

    renderer = app.extensions.get("handouts.renderer")
    if renderer is not None:
        renderer.start()  # the render workers are up before the first request, as under serve
    server = create_server(app, host=host, port=0, threads=8, ident="handouts-desk")
    port = server.effective_port
    config = app.config.get("DESK")
    if config is not None:
        config.port = port
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{port}"
    finally:
        # Close every channel from inside the server's own loop (closing them from here races
        # with its select() on the same descriptors); the loop ends when none is left.
        server.trigger.pull_trigger(lambda: [c.close() for c in list(server._map.values())])
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()
        if renderer is not None:
            renderer.close()
