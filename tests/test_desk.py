"""The clinician's desk (handouts serve): the form, the PDF it gives, and its security rules."""

from __future__ import annotations

import io
import logging
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html import unescape as html_unescape

import pytest
from conftest import LIBRARY

pytest.importorskip("flask")

from handouts.desk import DeskConfig, create_app  # noqa: E402
from handouts.desk.form import programme_text  # noqa: E402

BASE = "http://127.0.0.1:8000"
CANARY = "Zelda Quinceworth-Canary"


@pytest.fixture(scope="module")
def app(library):
    return create_app(DeskConfig(library=str(LIBRARY), workers=0), lib=library)


@pytest.fixture
def client(app):
    return app.test_client()


def token(app) -> str:
    return app.config["DESK"].csrf_token


def good_form(app, **over) -> dict:
    form = {
        "csrf": token(app),
        "patient": CANARY,
        "clinician": "Sam Physio",
        "contact": "Tel 0100 000 000",
        "start": "2026-12-01",
        "weeks": "6",
        "per_week": "3",
        "lang": "en",
        "paper": "a4",
        "ex-scapular-squeeze": "1",
        "sets-scapular-squeeze": "2",
        "reps-scapular-squeeze": "12",
        "hold-scapular-squeeze": "5",
        "ex-doorway-stretch": "1",
        "hold-doorway-stretch": "30",
        "sides-doorway-stretch": "left",
        "ex-wall-angels": "1",
        "reps-wall-angels": "8",
        "notes-wall-angels": "Keep your lower back against the wall.",
    }
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


def post(client, path, data, **kw):
    return client.post(path, data=data, base_url=BASE, **kw)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


# -- the page --------------------------------------------------------------------------


def test_the_page_lists_every_exercise_with_labels_and_no_outside_resource(client, library):
    r = client.get("/", base_url=BASE)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    for e in library.exercises:
        assert f'id="f-ex-{e.id}"' in html
        assert f'for="f-ex-{e.id}"' in html
        assert e.name in html_unescape(html)
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids and set(ids) <= labelled, set(ids) - labelled
    urls = re.findall(r'(?:src|href|action)="([^"]*)"', html)
    assert urls and all(u.startswith(("/", "#")) for u in urls), urls
    assert "<style" not in html and " style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None  # no inline script


def test_a_library_of_one_exercise_and_one_session_reads_in_the_singular(run, tmp_path):
    """Not "1 exercises" nor "advises 1–1 sessions a week for 1–1 weeks"."""
    from handouts import api

    assert run("init", "--minimal", tmp_path / "one").exit_code == 0
    config = tmp_path / "one" / "exercises.yaml"
    text = config.read_text(encoding="utf-8")
    assert "  per_week: 2\n  weeks: 4\n" in text
    config.write_text(
        text.replace("  per_week: 2\n  weeks: 4\n", "  per_week: 1\n  weeks: 1\n"), encoding="utf-8"
    )
    one = create_app(DeskConfig(library=str(config), workers=0), lib=api.load(str(config)))
    html = html_unescape(one.test_client().get("/", base_url=BASE).get_data(as_text=True))
    assert "The library advises 1 session a week for 1 week." in html
    assert re.search(r'id="shown"[^>]*>1 exercise<', html)
    default = html_unescape(
        create_app(DeskConfig(library=str(LIBRARY), workers=0))
        .test_client()
        .get("/", base_url=BASE)
        .get_data(as_text=True)
    )
    assert re.search(r"The library advises \d+–\d+ sessions a week for \d+–\d+ weeks\.", default)


def test_pictures_come_from_the_figure_data(client, library):
    ex = next(e for e in library.exercises if e.pictures)
    r = client.get(f"/picture/{ex.id}/1.png", base_url=BASE)
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert r.data.startswith(b"\x89PNG")
    from PIL import Image

    img = Image.open(io.BytesIO(r.data)).convert("L")
    assert img.getextrema()[0] < 128  # something is drawn
    assert client.get(f"/picture/{ex.id}/99.png", base_url=BASE).status_code == 404
    assert client.get("/picture/no-such/1.png", base_url=BASE).status_code == 404


def test_security_headers_on_every_response(client, app):
    for r in (
        client.get("/", base_url=BASE),
        client.get("/static/desk.js", base_url=BASE),
        client.get("/nothing-here", base_url=BASE),
        post(client, "/programme", good_form(app, action="preview")),
    ):
        h = r.headers
        assert h["Cache-Control"] == "no-store", r.request.path
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "no-referrer"
        assert "frame-ancestors 'self'" in h["Content-Security-Policy"]
    csp = client.get("/", base_url=BASE).headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp


# -- security ----------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1:9999", "192.168.1.5:8000"])
def test_a_wrong_host_header_is_refused(client, host):
    r = client.get("/", headers={"Host": host}, base_url=BASE)
    assert r.status_code in (400, 421)
    assert "Traceback" not in r.get_data(as_text=True)


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"])
def test_the_served_host_is_accepted(client, host):
    assert client.get("/", headers={"Host": host}, base_url=BASE).status_code == 200


@pytest.mark.parametrize("csrf", [None, "", "wrong-token"])
def test_a_post_without_the_right_csrf_token_is_refused(client, app, csrf):
    form = good_form(app, action="download", csrf=csrf)
    for path in ("/programme", "/check"):
        r = post(client, path, form)
        assert r.status_code == 403, path
        assert b"%PDF" not in r.data


def test_an_oversized_body_is_refused(client, app):
    form = good_form(app, notes="x" * 70_000)
    r = post(client, "/programme", form)
    assert r.status_code == 413
    assert "Traceback" not in r.get_data(as_text=True)


def test_only_the_desk_form_encoding_is_accepted(client, app):
    r = client.post("/programme", base_url=BASE, json=good_form(app))
    assert r.status_code == 415


def test_a_server_error_shows_no_traceback_and_logs_no_patient(app, client, monkeypatch, caplog, capsys):
    renderer = app.extensions["handouts.renderer"]

    def boom(text, timeout=60):
        raise RuntimeError(f"failed for {CANARY}")

    monkeypatch.setattr(renderer, "render", boom)
    with caplog.at_level(logging.DEBUG):
        r = post(client, "/programme", good_form(app, action="download"))
    assert r.status_code == 500
    body = r.get_data(as_text=True)
    assert "Traceback" not in body and CANARY not in body and "RuntimeError" not in body
    out = capsys.readouterr()
    assert CANARY not in caplog.text + out.out + out.err


def test_unknown_action_is_a_clear_error(client, app):
    r = post(client, "/programme", good_form(app, action="explode"))
    assert r.status_code == 400
    assert "Unknown action" in r.get_data(as_text=True)


# -- the programme -------------------------------------------------------------------------


def test_download_is_the_pdf_handouts_program_writes_from_the_saved_file(client, app, run, tmp_path):
    pdf = post(client, "/programme", good_form(app, action="download"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    saved = post(client, "/programme", good_form(app, action="save"))
    assert saved.status_code == 200
    name = re.search(r'filename="([^"]+)"', saved.headers["Content-Disposition"]).group(1)
    assert CANARY.split()[0] not in name  # nothing about the patient in the download history
    path = tmp_path / name
    path.write_bytes(saved.data)
    result = run("--config", LIBRARY, "program", path, "-o", tmp_path / "cli.pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cli.pdf").read_bytes() == pdf.data
    text = pdf_text(pdf.data)
    assert CANARY in text
    assert "12 repetitions" in text or "Repetitions\n12" in text or "Repetitions 12" in text
    assert "30 seconds" in text and "left side only" in text


def test_preview_and_print_are_the_same_pdf_inline(client, app):
    a = post(client, "/programme", good_form(app, action="preview"))
    b = post(client, "/programme", good_form(app, action="print"))
    d = post(client, "/programme", good_form(app, action="download"))
    assert a.headers["Content-Disposition"].startswith("inline;")
    assert a.data == b.data == d.data


def test_options_reach_the_pdf(client, app):
    from pypdf import PdfReader

    r = post(client, "/programme", good_form(app, action="download", paper="letter", lang="sv"))
    assert r.status_code == 200
    page = PdfReader(io.BytesIO(r.data)).pages[0]
    assert round(float(page.mediabox.width)) == 612
    assert "Ditt träningsprogram" in pdf_text(r.data) or "träning" in pdf_text(r.data).lower()


def cli_message(run, tmp_path, text: str) -> str:
    f = tmp_path / "p.yaml"
    f.write_text(text, encoding="utf-8")
    result = run("--config", LIBRARY, "program", f, "-o", tmp_path / "p.pdf")
    assert result.exit_code == 2
    return result.output


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"reps-wall-angels": "500"}, "reps-wall-angels", "must be from 1 to 100, got 500"),
        ({"hold-doorway-stretch": "0"}, "hold-doorway-stretch", "must be from 1 to 300, got 0"),
        ({"sets-scapular-squeeze": "lots"}, "sets-scapular-squeeze", "expected a whole number, got 'lots'"),
        ({"weeks": "53"}, "weeks", "must be from 1 to 52, got 53"),
        ({"per_week": "99"}, "per_week", "must be from 1 to 14, got 99"),
        ({"patient": ""}, "patient", "missing required key 'patient'"),
        ({"clinician": ""}, "clinician", "missing required key 'name'"),
        ({"patient": "Ann\x07Bell"}, "patient", "control character U+0007"),
        ({"review": "2026-11-01"}, "review", "is before the start date"),
        ({"start": "01/12/2026"}, "start", "expected a date as YYYY-MM-DD"),
        ({"sides-doorway-stretch": "both"}, "sides-doorway-stretch", "expected one of each, left, right"),
        ({"notes-wall-angels": "x" * 601}, "notes-wall-angels", "at most 600 are allowed"),
        ({"paper": "a3"}, "paper", "expected one of a4, letter"),
    ],
)
def test_errors_are_shown_beside_their_field_in_the_cli_words(
    client, app, library, run, tmp_path, over, field, words
):
    form = good_form(app, **over)
    r = post(client, "/check", form)
    assert r.status_code == 422
    got = r.get_json()
    assert not got["ok"]
    assert words in got["fields"][field], got
    # the same words as the command line gives for the same programme file
    assert got["fields"][field] in cli_message(run, tmp_path, programme_text(form, library))
    # without script: the page comes back with the error beside the field
    page = post(client, "/programme", form | {"action": "download"})
    assert page.status_code == 422 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert re.search(rf'<p class="error" id="err-{re.escape(field)}">[^<]*{re.escape(words[:20])}', html)
    assert re.search(rf'id="f-{re.escape(field)}"[^>]*aria-invalid="true"', html)


def test_no_exercise_ticked_is_an_error_on_the_list(client, app, library):
    form = {k: v for k, v in good_form(app).items() if not k.startswith(("ex-",))}
    got = post(client, "/check", form).get_json()
    assert got["fields"]["exercises"] == "must not be empty"


def test_an_unknown_language_is_an_error_on_its_field(client, app):
    got = post(client, "/check", good_form(app, lang="xx")).get_json()
    assert "lang" in got["fields"]


def test_a_good_form_checks_clean(client, app):
    r = post(client, "/check", good_form(app))
    assert r.status_code == 200 and r.get_json() == {"ok": True, "fields": {}, "summary": []}


@pytest.mark.parametrize(
    "name",
    ["No", "yes", "1:30", "010", "<b>Ann</b> & Co", 'O\'Brien "Annie"', "Ann: #1 - [x] {y}", "Åsa Öberg"],
)
def test_any_name_reaches_the_programme_as_typed(library, app, name):
    from handouts.read.programme import loads_program

    prog = loads_program(programme_text(good_form(app, patient=name, notes=name), library), library)
    assert prog.patient == name and prog.notes == name


def test_markup_in_a_name_prints_literally(client, app):
    r = post(client, "/programme", good_form(app, patient="<b>Ann</b> & Co", action="download"))
    assert r.status_code == 200
    assert "<b>Ann</b> & Co" in pdf_text(r.data)


def test_nothing_about_the_patient_is_logged(client, app, caplog, capsys):
    with caplog.at_level(logging.DEBUG):
        for action in ("preview", "download", "save"):
            assert post(client, "/programme", good_form(app, action=action)).status_code == 200
        post(client, "/check", good_form(app, **{"reps-wall-angels": "500"}))
    out = capsys.readouterr()
    assert CANARY not in caplog.text + out.out + out.err


# -- a real server: workers and concurrency ---------------------------------------------------


def _post_url(url: str, data: dict) -> tuple[int, bytes, float]:
    body = urllib.parse.urlencode(data).encode()
    req = urllib.request.Request(url, data=body, method="POST")
    req.add_header("Content-Type", "application/x-www-form-urlencoded")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read(), time.perf_counter() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.perf_counter() - started


def test_twenty_concurrent_previews_all_succeed_within_30_seconds(library):
    from browser import serving

    app = create_app(DeskConfig(library=str(LIBRARY), workers=2), lib=library)
    app.extensions["handouts.renderer"].start()
    with serving(app) as url:
        # the page stays responsive while PDFs render
        form = good_form(app, action="preview")
        results: list = [None] * 20

        def one(i: int) -> None:
            results[i] = _post_url(url + "/programme", form)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        with urllib.request.urlopen(url + "/", timeout=30) as resp:
            page_status = resp.status
        for t in threads:
            t.join(timeout=90)
    assert page_status == 200
    assert all(r is not None for r in results)
    assert [r[0] for r in results] == [200] * 20
    assert all(r[1].startswith(b"%PDF-") for r in results)
    assert len({r[1] for r in results}) == 1  # every worker gives the same bytes
    slowest = max(r[2] for r in results)
    assert slowest < 30, f"slowest preview took {slowest:.1f} s"


@pytest.mark.parametrize("missing", ["flask", "waitress"])
def test_the_serve_command_needs_the_desk_extra(run, monkeypatch, missing):
    import sys

    monkeypatch.setitem(sys.modules, missing, None)
    result = run("--config", LIBRARY, "serve") if _serve_registered() else _run_serve(["--port", "0"])
    assert result.exit_code == 2
    assert "pip install 'handouts[desk]'" in result.output
    assert "Traceback" not in result.output


def _serve_registered() -> bool:
    from handouts.cli import cli

    return "serve" in cli.commands


def _run_serve(args, monkeypatch=None):
    import click
    from click.testing import CliRunner

    from handouts.cli import Settings
    from handouts.desk.command import serve

    @click.group()
    @click.pass_context
    def root(ctx):
        ctx.obj = Settings(str(LIBRARY))

    root.add_command(serve)
    return CliRunner().invoke(root, ["serve", *args])


def test_the_serve_command_warns_when_it_listens_wider(monkeypatch):
    import waitress

    seen = {}

    class FakeServer:
        effective_port = 8123

        def run(self):
            raise KeyboardInterrupt

        def close(self):
            seen["closed"] = True

    def fake_create_server(app, **kw):
        seen.update(kw)
        return FakeServer()

    monkeypatch.setattr(waitress, "create_server", fake_create_server)
    monkeypatch.setattr("handouts.desk.worker.Renderer.start", lambda self: None)
    result = _run_serve(["--host", "0.0.0.0", "--workers", "0"])
    assert result.exit_code == 0, result.output
    assert "warning: listening on 0.0.0.0" in result.output
    assert seen["host"] == "0.0.0.0" and seen["max_request_body_size"] == 64 * 1024 and seen["closed"]
    result = _run_serve(["--workers", "0"])
    assert "warning" not in result.output and "http://127.0.0.1:8123/" in result.output


SERVE_SCRIPT = """
import sys
import click
from handouts.cli import Settings
from handouts.desk.command import serve

@click.group()
@click.pass_context
def root(ctx):
    ctx.obj = Settings(sys.argv[1])

root.add_command(serve)
root(sys.argv[2:])
"""


def test_serve_starts_on_loopback_serves_the_desk_and_stops_on_ctrl_c(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    if _serve_registered():
        cmd = [sys.executable, "-m", "handouts", "--config", str(LIBRARY), "serve"]
    else:
        cmd = [sys.executable, "-c", SERVE_SCRIPT, str(LIBRARY), "serve"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [*cmd, "--port", "0", "--workers", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line + proc.stderr.read() if proc.poll() is not None else line
        url = m.group(0)
        with urllib.request.urlopen(url, timeout=30) as resp:
            assert resp.status == 200
            assert resp.headers["Cache-Control"] == "no-store"
            page = resp.read().decode()
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        form = {"csrf": token, "patient": CANARY, "clinician": "Sam Physio", "start": "2026-12-01"}
        form |= {"weeks": "6", "per_week": "3", "ex-cat-cow": "1", "action": "download"}
        status, body, _ = _post_url(url + "programme", form)
        assert status == 200 and body.startswith(b"%PDF-")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "The desk has stopped." in out
    assert CANARY not in out + err
    assert "warning" not in err
    assert not any(tmp_path.iterdir())  # nothing written where it ran


def test_the_cards_can_be_shown_in_another_language(client, library):
    from handouts import api

    langs = api.languages(library)
    if len(langs) < 2:
        pytest.skip("the library has one language")
    other = langs[1]
    loc = api.localised(library, other)
    html = html_unescape(client.get(f"/?lang={other}", base_url=BASE).get_data(as_text=True))
    assert all(e.name in html for e in loc.exercises)
    assert f'<option value="{other}" lang="{other}" selected>' in html  # the programme's language too
    assert f'lang="{other}">{loc.exercises[0].name}</h3>' in html
    # an unknown language is ignored, not an error
    assert client.get("/?lang=<script>", base_url=BASE).status_code == 200


def test_a_missing_browser_skips_but_fails_under_ci(monkeypatch):
    import browser

    monkeypatch.setattr(browser, "chromium_path", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        browser.need_browser()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="no chromium found"):
        browser.need_browser()


def test_a_programme_that_cannot_fit_is_reported_before_the_preview(client, app):
    over = {"notes": ("Long words here. " * 70)[:1200]}
    for i in ("thoracic-extension", "wall-angels", "doorway-stretch"):
        over |= {f"ex-{i}": "1", f"notes-{i}": ("Keep going gently. " * 40)[:600]}
    r = post(client, "/check", good_form(app, action="preview", **over))
    assert r.status_code == 422
    (problem,) = r.get_json()["summary"]
    assert "does not fit" in problem["message"] and "too long" in problem["message"]
    page = post(client, "/programme", good_form(app, action="download", **over))
    assert page.status_code == 422 and "does not fit" in page.get_data(as_text=True)
