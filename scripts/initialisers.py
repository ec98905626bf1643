"""Write handouts/initialisers.py, the templates records' ``__init__`` are made from."""

from __future__ import annotations

from pathlib import Path

from handouts.records import initialisers_source

TARGET = Path(__file__).resolve().parent.parent / "handouts" / "initialisers.py"

if __name__ == "__main__":
    TARGET.write_text(initialisers_source(), encoding="utf-8")
    print(f"wrote {TARGET}")
