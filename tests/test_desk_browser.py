"""The desk and the download page in a real headless Chromium: keyboard only, accessibility,
no request leaving 127.0.0.1, and a patient's name found nowhere afterwards.

Set HANDOUTS_SCREENSHOTS=docs to write the README's screenshots (docs/desk.png,
docs/download-page.png); otherwise they go to the test's temporary folder.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from browser import browser_context, need_browser, serving
from conftest import LIBRARY

pytest.importorskip("flask")

from handouts.desk import DeskConfig, create_app  # noqa: E402

CANARY = "Quillon Vexbury-Canary"
SERIOUS = ("serious", "critical")


@pytest.fixture(autouse=True)
def _chromium():
    need_browser()


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("HANDOUTS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def desk(library):
    app = create_app(DeskConfig(library=str(LIBRARY), workers=1), lib=library)
    with serving(app) as url:
        yield app, url


def tab_to(page, element_id: str, most: int = 400) -> None:
    """Press Tab until the element has focus: keyboard only, as a clinician would."""
    for _ in range(most):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def visible_cards(page) -> list[str]:
    return page.eval_on_selector_all(".card:not([hidden]) h3", "els => els.map(e => e.textContent.trim())")


def axe_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def watch_requests(ctx, allowed_prefixes: tuple[str, ...]) -> list[str]:
    """Every request the pages make that does not go to an allowed place."""
    outside: list[str] = []

    def seen(request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:", "chrome-extension:", "chrome:", "chrome-untrusted:")):
            return
        if not url.startswith(allowed_prefixes):
            outside.append(url)

    ctx.on("request", seen)
    return outside


def test_keyboard_session_filters_ticks_fixes_previews_and_downloads(desk, tmp_path, run):
    app, url = desk
    with browser_context(viewport={"width": 1400, "height": 1000}) as ctx:
        outside = watch_requests(ctx, (url + "/",))
        page = ctx.new_page()
        csp_errors: list[str] = []
        page.on(
            "console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None
        )
        page.goto(url + "/")
        assert page.title().startswith("Programme desk")

        tab_to(page, "f-patient")
        page.keyboard.type(CANARY)
        tab_to(page, "f-clinician")
        page.keyboard.type("Sam Physio")

        # filter by name, tick wall angels and give it a dose out of bounds
        tab_to(page, "search")
        page.keyboard.type("wall")
        assert visible_cards(page) == ["Wall angels"]
        assert "1 of 8" in page.inner_text("#shown")
        tab_to(page, "f-ex-wall-angels")
        page.keyboard.press("Space")
        assert page.is_checked("#f-ex-wall-angels")
        tab_to(page, "f-reps-wall-angels")
        page.keyboard.type("500")
        page.keyboard.press("Tab")
        err = page.locator("#err-reps-wall-angels")
        assert err.is_visible() and err.inner_text() == "must be from 1 to 100, got 500"
        assert page.get_attribute("#f-reps-wall-angels", "aria-invalid") == "true"

        # clear the search, filter by position, tick two more
        tab_to(page, "search")
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        tab_to(page, "position")
        page.keyboard.type("seated")
        assert page.input_value("#position") == "seated"
        shown = visible_cards(page)
        assert "Scapular squeezes" in shown and "Wall angels" in shown and "Cat-cow stretch" not in shown
        tab_to(page, "f-ex-scapular-squeeze")
        page.keyboard.press("Space")
        tab_to(page, "f-reps-scapular-squeeze")
        page.keyboard.type("12")
        tab_to(page, "f-hold-scapular-squeeze")
        page.keyboard.type("5")
        tab_to(page, "f-ex-thoracic-rotation")
        page.keyboard.press("Space")
        tab_to(page, "f-sides-thoracic-rotation")
        page.keyboard.type("Left")
        assert page.input_value("#f-sides-thoracic-rotation") == "left"

        # the server refuses the dose too, beside the field, and focus goes there
        tab_to(page, "do-preview")
        with page.expect_response(lambda r: r.url.endswith("/check")) as checked:
            page.keyboard.press("Enter")
        assert checked.value.status == 422
        page.wait_for_function("() => document.activeElement.id === 'f-reps-wall-angels'")
        assert page.inner_text("#err-reps-wall-angels") == "must be from 1 to 100, got 500"
        assert page.locator("#summary").is_visible()
        assert "Wall angels (exercises[1].reps): must be from 1 to 100, got 500" in page.inner_text(
            "#summary"
        )

        # fix it (focus is on the field)
        page.keyboard.press("Control+A")
        page.keyboard.type("8")
        page.keyboard.press("Tab")
        assert not page.locator("#err-reps-wall-angels").is_visible()

        tab_to(page, "do-preview")
        with page.expect_response(lambda r: r.url.endswith("/programme")) as previewed:
            page.keyboard.press("Enter")
        preview = previewed.value
        assert preview.status == 200 and preview.headers["content-type"] == "application/pdf"
        page.wait_for_function("() => document.getElementById('status').textContent === 'Preview ready.'")
        assert page.locator("#summary").is_hidden()
        page.screenshot(path=str(shots(tmp_path) / "desk-session.png"))

        tab_to(page, "do-download")
        with page.expect_download() as dl:
            page.keyboard.press("Enter")
        download = dl.value
        assert CANARY.split()[0] not in download.suggested_filename
        data = Path(download.path()).read_bytes()
        download.delete()
        text = pdf_text(data)
        assert CANARY in text
        assert "Repetitions: 12 · Hold: 5 seconds" in text and "Repetitions: 8" in text
        assert "Repeat this movement 12 times" in text and "Perform 8 repetitions" in text
        assert "left side only" in text

        tab_to(page, "do-save")
        with page.expect_download() as dl:
            page.keyboard.press("Enter")
        saved = dl.value
        path = tmp_path / saved.suggested_filename
        saved.save_as(path)
        saved.delete()
        result = run("--config", LIBRARY, "program", path, "-o", tmp_path / "cli.pdf")
        assert result.exit_code == 0, result.output
        assert (tmp_path / "cli.pdf").read_bytes() == data
        path.unlink()
        (tmp_path / "cli.pdf").unlink()
    assert outside == [], outside
    assert csp_errors == [], csp_errors


@pytest.mark.parametrize(("width", "height"), [(1400, 1000), (768, 1024), (640, 800)])
def test_the_desk_passes_axe_and_reflows(desk, tmp_path, width, height):
    """1400: a desktop; 768: a tablet; 640: a 1280-pixel screen at 200% zoom."""
    app, url = desk
    with browser_context(viewport={"width": width, "height": height}) as ctx:
        page = ctx.new_page()
        page.goto(url + "/")
        page.check("#f-ex-wall-angels")
        page.fill("#f-reps-wall-angels", "500")
        page.click("#do-preview")  # the error state is scanned too
        page.wait_for_selector("#summary:not([hidden])")
        problems = axe_problems(page)
        assert problems == [], "\n".join(problems)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow} px of sideways scrolling at {width} px"
        focus = page.evaluate(
            """() => { const el = document.getElementById('f-patient'); el.focus();
                       return getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth; }"""
        )
        assert focus.startswith("solid") and not focus.endswith(" 0px"), focus
        if width == 1400:
            page.fill("#f-reps-wall-angels", "8")
            page.fill("#f-patient", "Ann Example")
            page.fill("#f-clinician", "Sam Physio")
            page.check("#f-ex-scapular-squeeze")
            page.fill("#f-reps-scapular-squeeze", "12")
            page.click("#do-preview")
            page.wait_for_function("() => document.getElementById('status').textContent === 'Preview ready.'")
            time.sleep(1.5)  # the PDF viewer draws its pages
            # the cards and the preview together, as the README shows them
            page.evaluate(
                "() => { document.getElementById('f-exercises').scrollIntoView(); window.scrollBy(0, -150); }"
            )
            page.screenshot(path=str(shots(tmp_path) / "desk.png"))


@pytest.fixture(scope="module")
def built_site(tmp_path_factory, library):
    from click.testing import CliRunner

    from handouts import api
    from handouts import build as b
    from handouts.cli import cli
    from handouts.site import write_site

    out = tmp_path_factory.mktemp("download") / "out"
    result = CliRunner().invoke(
        cli, ["--config", str(LIBRARY), "build", "--out", str(out), "--lang", "all", "--large-print", "-q"]
    )
    assert result.exit_code == 0, result.output
    langs = api.languages(library)
    plan = b.plan_build(library, langs, "a4", False, True) + b.plan_build(library, langs, "a4", True, True)
    write_site(out, library, plan)
    return out


def test_the_download_page_works_from_file_urls_and_passes_axe(built_site, tmp_path):
    out = built_site
    with browser_context(viewport={"width": 1200, "height": 900}) as ctx:
        outside = watch_requests(ctx, ("file://",))
        page = ctx.new_page()
        for index in sorted(out.rglob("index.html")):
            page.goto(index.as_uri())
            page.wait_for_load_state("load")
            broken = page.eval_on_selector_all(
                "img", "els => els.filter(i => !i.complete || !i.naturalWidth).map(i => i.src)"
            )
            assert broken == [], broken
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
            assert hrefs
            for href in hrefs:
                u = urlparse(href)
                assert u.scheme == "file", href
                target = Path(unquote(u.path))
                assert target.is_file() and target.resolve().is_relative_to(out.resolve()), href
            problems = axe_problems(page)
            assert problems == [], f"{index}:\n" + "\n".join(problems)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0
        page.goto((out / "index.html").as_uri())
        page.screenshot(
            path=str(shots(tmp_path) / "download-page.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1200, "height": 1350},
        )
        page.set_viewport_size({"width": 640, "height": 900})  # 200% zoom
        assert axe_problems(page) == []
        assert (
            page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        )
    assert outside == [], outside


def _contains(root: Path, needles: list[bytes], since: float, skip: tuple[Path, ...] = ()) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: None):
        d = Path(dirpath)
        dirnames[:] = [n for n in dirnames if not any((d / n).resolve() == s for s in skip)]
        if d.name in ("__pycache__", ".pytest_cache"):
            continue  # compiled tests hold the canary as code
        for name in filenames:
            p = d / name
            try:
                st = p.lstat()
                if not p.is_file() or p.is_symlink() or st.st_mtime < since or st.st_size > 64 * 1024 * 1024:
                    continue
                data = p.read_bytes()
            except OSError:
                continue
            if any(n in data for n in needles):
                found.append(str(p))
    return found


def test_a_patient_name_is_found_nowhere_afterwards(library, tmp_path, caplog, capsys):
    since = time.time() - 1
    profile = tmp_path / "profile"
    app = create_app(DeskConfig(library=str(LIBRARY), workers=1), lib=library)
    with caplog.at_level(logging.DEBUG), serving(app) as url, browser_context(profile=profile) as ctx:
        page = ctx.new_page()
        page.goto(url + "/")
        page.fill("#f-patient", CANARY)
        page.fill("#f-clinician", "Sam Physio")
        page.fill("#f-contact", "Tel 0100 000 000")
        page.check("#f-ex-cat-cow")
        page.fill("#f-notes", f"Notes for {CANARY}")
        page.click("#do-preview")
        page.wait_for_function("() => document.getElementById('status').textContent === 'Preview ready.'")
        time.sleep(4)  # the browser writes its session a few seconds after a navigation
        with page.expect_download() as dl:
            page.click("#do-download")
        dl.value.delete()
        with page.expect_download() as dl:
            page.click("#do-save")
        dl.value.delete()
        # the clinician's details may be remembered; the patient's never
        stored = page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
        assert "Sam Physio" in stored and CANARY not in stored
        # a reload finds the patient field empty
        page.goto(url + "/")
        assert page.input_value("#f-patient") == ""
        assert page.input_value("#f-clinician") == "Sam Physio"
        page.go_back()  # the history entries are what session restore writes to disk
        time.sleep(4)  # let the browser write its session and storage before it closes
    out = capsys.readouterr()
    assert CANARY not in caplog.text + out.out + out.err
    needles = [CANARY.encode("utf-8"), CANARY.encode("utf-16-le"), CANARY.split()[1].encode("utf-8")]
    home = Path.home()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    places = [profile, Path(tempfile.gettempdir()), home] + ([] if cache.is_relative_to(home) else [cache])
    # this test's own source holds the canary as code, not as data
    skip = (Path(__file__).resolve().parent, Path("/proc"))
    for place in places:
        if place.exists():
            found = _contains(place, needles, since, skip)
            assert found == [], f"the patient's name was written to {found}"
