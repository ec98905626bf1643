"""Handouts: printable, branded exercise handouts from a YAML library."""

__version__ = "0.1.0"

from handouts import deferred as _deferred  # noqa: E402 - after the version, which packaging reads

_deferred.defer()  # before anything imports reportlab: see handouts/deferred.py
