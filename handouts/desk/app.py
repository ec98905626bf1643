"""The desk's Flask app: configuration, security hooks and the pages."""

from __future__ import annotations

import contextlib
import datetime as _dt
import hmac
import logging
import secrets
import socket
from dataclasses import field
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from handouts import api, deferred
from handouts.compose import dose_rows
from handouts.desk import form as deskform
from handouts.desk.pictures import picture_png
from handouts.desk.worker import Renderer
from handouts.i18n import labels, language_name
from handouts.model import NO_RX, Range, Schedule
from handouts.read import shapes as S
from handouts.read.programme import BOUNDS
from handouts.records import record

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
#: No script or style but our own files, nothing from outside, framed only by the desk itself.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "frame-src 'self' blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
)
#: The PDF is shown by the browser's own viewer, so only framing is restricted.
PDF_CSP = "frame-ancestors 'self'"


@record(frozen=False)
class DeskConfig:
    library: str = "exercises.yaml"
    host: str = "127.0.0.1"
    port: int = 8000
    #: the largest request body accepted, in bytes
    max_body: int = 64 * 1024
    #: render worker processes; 0 renders in one thread of this process
    workers: int = 2
    render_timeout: float = 60.0
    #: more Host header values to accept (a wider bind adds the machine's names)
    extra_hosts: tuple[str, ...] = ()
    csrf_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def allowed_hosts(self) -> set[str]:
        names = {self.host, *self.extra_hosts}
        if self.host in LOOPBACK:
            names |= set(LOOPBACK)
        elif self.host in ("0.0.0.0", "::", ""):
            names |= set(LOOPBACK) | machine_names()
        hosts = set()
        for n in names:
            n = f"[{n}]" if ":" in n and not n.startswith("[") else n
            hosts.add(f"{n}:{self.port}".lower())
            if self.port == 80:
                hosts.add(n.lower())
        return hosts


def machine_names() -> set[str]:
    names = {socket.gethostname(), socket.getfqdn()}
    with contextlib.suppress(OSError):
        names |= set(socket.gethostbyname_ex(socket.gethostname())[2])
    return {n for n in names if n}


bp = Blueprint("desk", __name__)


def desk() -> DeskConfig:
    return current_app.config["DESK"]


def library():
    return current_app.extensions["handouts.library"]


def renderer() -> Renderer:
    return current_app.extensions["handouts.renderer"]


def _security(app: Flask) -> None:
    @app.before_request
    def check_request():
        host = (request.host or "").lower()
        if host not in desk().allowed_hosts():
            abort(421 if host else 400, "This address is not the desk's; open it at the address it prints.")
        if request.method == "POST":
            if request.mimetype != "application/x-www-form-urlencoded":
                abort(415, "The desk accepts only its own form.")
            if request.content_length is None or request.content_length > desk().max_body:
                abort(413, "The form is larger than the desk accepts.")
            given = request.form.get("csrf", "")
            if not hmac.compare_digest(given.encode(), desk().csrf_token.encode()):
                abort(403, "The form has expired or did not come from the desk; reload the page.")

    @app.after_request
    def headers(resp: Response) -> Response:
        h = resp.headers
        h["Cache-Control"] = "no-store"
        h["Pragma"] = "no-cache"
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "no-referrer"
        h["X-Frame-Options"] = "SAMEORIGIN"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        h["Cross-Origin-Resource-Policy"] = "same-origin"
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        h["Content-Security-Policy"] = PDF_CSP if resp.mimetype == "application/pdf" else CSP
        return resp

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _error_page(exc.code or 400, exc.description or exc.name)

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        # Only the kind of failure: a message could carry what the form held.
        logging.getLogger("handouts.desk").error("internal error: %s", type(exc).__name__)
        return _error_page(500, "Something went wrong making this programme. Nothing was saved.")


def _error_page(code: int, message: str):
    if request.accept_mimetypes.best == "application/json" or request.path == "/check":
        return jsonify({"ok": False, "fields": {}, "summary": [{"field": "", "message": message}]}), code
    return render_template("error.html", code=code, message=message, lib=library()), code


def create_app(config: DeskConfig | None = None, lib=None) -> Flask:
    """The desk over ``config.library``; ``lib`` may pass an already-loaded library."""

    config = config or DeskConfig()
    deferred.load_modules()  # the desk serves from several threads: nothing left to load lazily
    lib = lib or api.load(config.library)
    config.library = str(Path(config.library).resolve())
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.update(
        DESK=config,
        MAX_CONTENT_LENGTH=config.max_body,
        MAX_FORM_MEMORY_SIZE=config.max_body,
        TEMPLATES_AUTO_RELOAD=False,
        SEND_FILE_MAX_AGE_DEFAULT=0,
    )
    # Flask logs a failed request's traceback; the desk logs only the kind of failure.
    app.log_exception = lambda exc_info: None  # type: ignore[method-assign]
    app.extensions["handouts.library"] = lib
    app.extensions["handouts.renderer"] = Renderer(config.library, config.workers, lib)
    _security(app)
    app.register_blueprint(bp)
    app.jinja_env.globals["csrf_token"] = lambda: config.csrf_token
    return app


# -- pages ----------------------------------------------------------------------------


def _view(values=None, errors=None):
    """The desk page; the cards in the programme's language (the form's, or ?lang=)."""

    base = library()
    langs = api.languages(base)
    defaults = {
        "start": _dt.date.today().isoformat(),
        "weeks": str(base.programme.weeks.high),
        "per_week": str(base.programme.per_week.high),
        "lang": request.args.get("lang") if request.args.get("lang") in langs else base.document.language,
        "paper": "a4",
    }
    values = {**defaults, **(values or {})}
    shown = values["lang"] if values["lang"] in langs else base.document.language
    lib = api.localised(base, shown)
    lab = labels(shown)
    return render_template(
        "desk.html",
        lib=lib,
        cards_lang=shown,
        exercises=[(e, library_dose(e, lab)) for e in lib.exercises],
        positions=sorted({p for e in lib.exercises for p in e.positions}),
        languages=langs,
        language_names={code: language_name(code) for code in langs},
        values=values,
        errors=errors or deskform.Errors(),
        bounds=BOUNDS,
        limits=TEXT_LIMITS,
    )


#: Each text field's longest value: the programme file's limits (handouts.read.shapes), so the form
#: refuses in the browser what the server would refuse.
TEXT_LIMITS = {
    "patient": S.PROGRAM["patient"].max_len,
    "clinician": S.CLINICIAN["name"].max_len,
    "contact": S.CLINICIAN["contact"].max_len,
    "notes": S.PROGRAM["notes"].max_len,
    "exercise_notes": S.CHOSEN["notes"].max_len,
}


def library_dose(ex, lab) -> str:
    """The library's dose on one line, without the blanks a printed sheet leaves to fill in."""

    rows = dose_rows(ex, lab, Schedule(Range(1, 1), Range(1, 1)), NO_RX)[:-2]
    return " · ".join(f"{k}: {v}" for k, v in rows if v != lab("fill_in")) or "not stated"


@bp.get("/")
def index():
    return _view()


@bp.get("/favicon.ico")
def favicon():
    return Response(status=204)


@bp.get("/brand.css")
def brand_css():
    c = library().brand.colours
    css = (
        ":root{"
        f"--primary:{c.primary};--on-primary:{c.on_primary};--text:{c.text};--muted:{c.muted};"
        f"--background:{c.background};--panel:{c.panel};--safety:{c.safety};--safety-panel:{c.safety_panel}"
        "}\n"
    )
    return Response(css, mimetype="text/css")


@bp.get("/picture/<exercise_id>/<int:number>.png")
def picture(exercise_id: str, number: int):

    data = picture_png(library(), exercise_id, number)
    if data is None:
        abort(404, "No such picture.")
    return Response(data, mimetype="image/png")


@bp.post("/check")
def check():
    """The form's problems as JSON; a programme that checks clean is rendered too, so a page
    that cannot fit is reported here and never reaches the preview frame."""
    text, errors, _ = deskform.check(request.form, library())
    if not errors and request.form.get("action") != "save":
        _, problem = renderer().render(text, desk().render_timeout)
        if problem is not None:
            errors.add("", problem)
    return jsonify(errors.as_json()), 200 if not errors else 422


@bp.post("/programme")
def programme():
    action = request.form.get("action", "preview")
    if action not in ("preview", "download", "print", "save"):
        abort(400, "Unknown action.")
    text, errors, prog = deskform.check(request.form, library())
    if errors:
        return _view(request.form.to_dict(), errors), 422
    day = prog.start
    if action == "save":
        return _attachment(text.encode("utf-8"), "text/yaml; charset=utf-8", f"programme-{day}.yaml")
    data, problem = renderer().render(text, desk().render_timeout)
    if problem is not None:
        errors.add("", problem)
        return _view(request.form.to_dict(), errors), 422
    if action == "download":
        return _attachment(data, "application/pdf", f"programme-{day}.pdf")
    resp = Response(data, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="programme-{day}.pdf"'
    return resp


def _attachment(data: bytes, mimetype: str, name: str) -> Response:
    # The file name holds only the start date: a patient's name must not reach the download history.
    resp = Response(data, mimetype=mimetype.split(";")[0])
    if "charset" in mimetype:
        resp.headers["Content-Type"] = mimetype
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp
