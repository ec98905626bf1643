"""Files Handouts ships inside its package: fonts with their licence, and the starter library.

Everything here is found with ``importlib.resources``, so it works from a wheel, a zip and an
editable install alike. The clinic's own data (its library, figures, logo and translations) is
never here: it stays beside the clinic's YAML.
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from functools import cache
from importlib import resources
from pathlib import Path

from handouts.errors import ResourceMissing

_FILES = ExitStack()
atexit.register(_FILES.close)


def _traversable(*parts: str):
    node = resources.files("handouts")
    for part in parts:
        node = node / part
    return node


@cache
def path(*parts: str) -> Path:
    """A real file system path to the shipped resource ``handouts/<parts>``.

    From a zip the file is extracted once for the life of the process. A resource that is not
    there is a clear error naming it (a broken or partial install), never a traceback.
    """
    node = _traversable(*parts)
    name = "handouts/" + "/".join(parts)
    if not node.is_file():
        raise ResourceMissing(name)
    try:
        return _FILES.enter_context(resources.as_file(node))
    except OSError as exc:
        raise ResourceMissing(name, str(exc)) from None


def read_bytes(*parts: str) -> bytes:
    node = _traversable(*parts)
    name = "handouts/" + "/".join(parts)
    try:
        return node.read_bytes()
    except OSError as exc:
        raise ResourceMissing(name, exc.strerror or str(exc)) from None


def font(file_name: str) -> Path:
    return path("resources", "fonts", file_name)
