"""Handouts: printable, branded exercise handouts from a YAML library."""

__version__ = "0.1.0"
