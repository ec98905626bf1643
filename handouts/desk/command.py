"""``handouts serve``: the clinician's desk on this computer."""

from __future__ import annotations

import click

WIDE = ("0.0.0.0", "::", "")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port.")
@click.option("--open", "open_browser", is_flag=True, help="Open the desk in the web browser.")
@click.option(
    "--workers",
    type=click.IntRange(0, 16),
    default=2,
    show_default=True,
    metavar="N",
    help="Processes that render PDFs (0: render in the server's own process).",
)
@click.pass_obj
def serve(settings, host: str, port: int, open_browser: bool, workers: int) -> None:
    """Start the desk: a local web page that makes a patient's programme from pictures.

    The clinician picks exercises and doses, then previews, downloads or prints the
    programme or saves its file. Nothing about a patient is stored: the PDF is made in
    memory and sent to the browser. It listens on 127.0.0.1 only unless --host says
    otherwise. Needs the desk extra: pip install 'handouts[desk]'.

    \b
    Example:
        handouts serve
        handouts serve --port 8080 --open
    """
    from handouts.errors import UsageProblem  # lazy: `handouts --help` loads only click

    try:  # lazy: the desk's dependencies are optional (handouts[desk])
        import flask  # noqa: F401
        import waitress
    except ImportError:
        raise UsageProblem(
            "the desk needs Flask and waitress, which are not installed: pip install 'handouts[desk]'"
        ) from None
    # lazy: Flask loads when the desk starts, not for `handouts --help`
    from handouts.desk.app import LOOPBACK, DeskConfig, create_app

    if host not in LOOPBACK:
        click.echo(
            f"warning: listening on {host or 'every address'}: other computers on the network can reach "
            "the desk and the programmes it makes. Use the default 127.0.0.1 unless you must.",
            err=True,
        )
    lib = settings.library()
    config = DeskConfig(library=settings.config, host=host, port=port, workers=workers)
    app = create_app(config, lib=lib)
    server = waitress.create_server(
        app,
        host=host,
        port=port,
        threads=8,
        max_request_body_size=config.max_body,
        ident="handouts",
        clear_untrusted_proxy_headers=True,
    )
    config.port = server.effective_port
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if host in WIDE else shown}:{config.port}/"
    try:
        app.extensions["handouts.renderer"].start()
    except Exception as exc:  # noqa: BLE001 - reported as a usage problem, never a traceback
        raise UsageProblem(f"the PDF workers did not start: {type(exc).__name__}") from None
    click.echo(f"The desk is at {url}  (Ctrl+C stops it)")
    if open_browser:
        import webbrowser  # lazy: only with --open

        webbrowser.open(url)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        app.extensions["handouts.renderer"].close()
    click.echo("The desk has stopped.")
