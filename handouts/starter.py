"""``handouts init``: a working starter library for a clinic, written all at once or not at all.

The starter is the library Handouts ships (the repository's own ``exercises.yaml``, ``assets/``
and examples, copied into the wheel as ``handouts/starter/``); ``--minimal`` writes the smallest
valid library instead, for a clinic writing its own from scratch.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources as ir
from pathlib import Path

from handouts import resources
from handouts.errors import ResourceMissing, UsageProblem
from handouts.read import schema

SCHEMA_DIR = "schemas"
#: Files that get a ``# yaml-language-server: $schema=...`` first line, and which schema.
SCHEMA_LINES = {"exercises.yaml": "library", "examples/programme.yaml": "programme"}

GITIGNORE = """\
# Built PDFs: make them again with `handouts build --out out`.
out/
"""

README = """\
# Our exercise handouts

This folder is an exercise library for Handouts. `exercises.yaml` holds the exercises and the
booklet's text; `assets/` holds the pictures and the logo.

## Edit these first

1. `brand:` in `exercises.yaml`: your organisation's name, your contact line (phone, hours),
   your website, your colours, and your logo in `assets/`.
2. `document:`: the version and `last_reviewed` date, once a clinician has reviewed the text.
3. The exercises themselves: use the words of your clinical source, and mark the dose words in
   the steps as `{{reps:10 repetitions}}` so a prescription can replace them.

## Check and build

```
handouts validate --strict        # every problem, with file, line and column
handouts build --out out          # every sheet and the booklet into out/
handouts program examples/programme.yaml -o programme.pdf
```

Editors with a YAML language server complete keys and flag mistakes as you type: the first line
of `exercises.yaml` points at `{schema_dir}/library.schema.json`. Remake the schemas after an
upgrade of Handouts with `handouts schema library > {schema_dir}/library.schema.json`.

`.github/workflows/handouts.yml` checks the library and builds every PDF on each push; set its
`HANDOUTS_SOURCE` to the Handouts version you use.
"""

MINIMAL = "minimal.yaml"


def _checkout() -> Path | None:
    """The source checkout this Handouts runs from (an editable install), if any."""
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file() and (
        root / "handouts" / "resources" / "starter-files.txt"
    ).is_file():
        return root
    return None


def pairs_from_list(root: Path) -> list[tuple[str, Path]]:
    """(destination, source) from starter-files.txt, read against a checkout (also the install
    test's list of what the wheel must carry; setup.py reads the file itself, without Handouts)."""
    pairs = []
    listing = resources.read_bytes("resources", "starter-files.txt").decode("utf-8")
    for line in listing.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        source, dest = line.split()
        matches = sorted(root.glob(source))
        for match in matches:
            pairs.append((dest + match.name if dest.endswith("/") else dest, match))
    return pairs


def _walk(node, prefix: str = ""):
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        rel = f"{prefix}{child.name}"
        if child.is_dir():
            yield from _walk(child, rel + "/")
        else:
            yield rel, child


def starter_files() -> list[tuple[str, object]]:
    """Every file of the shipped starter: (path in the new folder, readable source)."""
    packaged = ir.files("handouts") / "starter"
    if packaged.is_dir():
        return list(_walk(packaged))
    root = _checkout()
    if root is None:
        raise ResourceMissing("handouts/starter", "the starter library is missing from the installed package")
    return pairs_from_list(root)


def _schema_line(rel: str) -> bytes:
    kind = SCHEMA_LINES[rel]
    depth = rel.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{kind}.schema.json\n".encode()


def planned(minimal: bool) -> dict[str, bytes]:
    """Every file ``init`` writes, by its path in the new folder, with its bytes."""

    files: dict[str, bytes] = {}
    if minimal:
        files["exercises.yaml"] = resources.read_bytes("resources", MINIMAL)
    else:
        for rel, source in starter_files():
            files[rel] = source.read_bytes()
    for rel in SCHEMA_LINES:
        if rel in files:
            files[rel] = _schema_line(rel) + files[rel]
    for kind in ("library", "programme"):
        files[f"{SCHEMA_DIR}/{kind}.schema.json"] = schema.dumps(kind).encode()
    files[".gitignore"] = GITIGNORE.encode()
    files["README.md"] = README.format(schema_dir=SCHEMA_DIR).encode()
    return files


def init(target: Path, minimal: bool = False, force: bool = False) -> list[Path]:
    """Write the starter into ``target`` (made if missing) and return the files written.

    Existing files are refused (all of them named) unless ``force``. Everything is written into a
    temporary folder inside ``target`` first and then moved into place, so a failure leaves no
    half-written library.
    """
    if target.exists() and not target.is_dir():
        raise UsageProblem(f"{target}: is a file, not a folder; name a new or existing folder")
    if target.is_symlink():
        raise UsageProblem(f"{target}: is a symbolic link; name a real folder")
    files = planned(minimal)
    existing = sorted(rel for rel in files if os.path.lexists(target / rel))
    if existing and not force:
        shown = "\n  ".join(existing)
        raise UsageProblem(
            f"{target}: these files exist already and were left alone:\n  {shown}\n"
            "Use --force to overwrite them, or choose an empty folder."
        )
    for rel in files:
        for parent in Path(rel).parents:
            p = target / parent
            if str(parent) != "." and (p.is_symlink() or (p.exists() and not p.is_dir())):
                raise UsageProblem(f"{p}: is in the way (a file or a link where a folder must go)")
    try:
        target.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".handouts-init-", dir=target))
    except OSError as exc:
        raise UsageProblem(f"{target}: cannot write here ({exc.strerror or exc})") from None
    written: list[Path] = []
    try:
        for rel, data in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for rel in files:
            final = target / rel
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, final)
            written.append(final)
    except OSError as exc:
        for path in written:  # take back what this run added; an overwritten file stays new
            if path.relative_to(target).as_posix() not in existing:
                path.unlink(missing_ok=True)
        raise UsageProblem(f"{target}: cannot write here ({exc.strerror or exc})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written
