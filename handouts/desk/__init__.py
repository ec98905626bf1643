"""The clinician's desk: a small local web app that makes a patient's programme.

``create_app(config)`` builds the Flask app; ``handouts serve`` runs it with waitress.
Nothing about a patient is written to disk or to a log: the programme is checked
and rendered in memory (in a worker process) and streamed back to the browser.
"""

from __future__ import annotations

from handouts.desk.app import DeskConfig, create_app

__all__ = ["DeskConfig", "create_app"]
