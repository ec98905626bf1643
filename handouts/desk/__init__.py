"""The clinician's desk: a small local web app that makes a patient's programme.

``create_app(config)`` builds the Flask app; ``handouts serve`` runs it with waitress.
Nothing about a patient is written to disk or to a log: the programme is checked
and rendered in memory (in a worker process) and streamed back to the browser.

Flask is imported only when the app is asked for, so ``handouts.desk.command`` loads
(and explains what to install) without the desk extra.
"""

from __future__ import annotations

__all__ = ["DeskConfig", "create_app"]


def __getattr__(name: str):
    if name in __all__:
        # lazy: `handouts --help` registers `serve` without loading Flask
        from handouts.desk import app

        return getattr(app, name)
    raise AttributeError(name)
