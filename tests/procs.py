"""Child processes for tests: the environment to start them in, and /proc (Linux) to prove
none is left behind."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def handouts_env() -> dict[str, str]:
    """The environment for running this checkout's ``python -m handouts`` in a child process:
    no library or timestamp from the caller's shell, and this checkout first on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("HANDOUTS_CONFIG", "SOURCE_DATE_EPOCH")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def children(pid: int) -> set[int]:
    """The process ids of ``pid``'s children."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(x) for x in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, waiting to be reaped, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
