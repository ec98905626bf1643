"""The library layer the CLI calls: load, then write documents. No click here."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from handouts.errors import UsageProblem
from handouts.model import Library


@dataclass(frozen=True)
class Options:
    paper: str = "a4"
    language: str = "en"
    large_print: bool = False


def load(config: str, strict: bool = False) -> Library:
    from handouts.validate import load_library

    return load_library(config, strict=strict)


def check_ids(lib: Library, ids) -> None:
    for i in ids:
        if i not in lib.ids:
            close = difflib.get_close_matches(i, lib.ids, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise UsageProblem(f"no exercise with id '{i}'.{hint} Valid ids: {', '.join(lib.ids)}")


def context(lib: Library, opts: Options):
    """The theme and labels for one run, built once."""
    from handouts.i18n import labels
    from handouts.theme import build_theme

    return build_theme(lib.brand, opts.paper, opts.large_print), labels(opts.language)


def write_sheets(lib: Library, ids, targets: list[Path], opts: Options, **kw) -> list[Path]:
    from handouts.sheet import render_sheet
    from handouts.writer import fixed_time, source_date_epoch, write_atomic

    epoch = source_date_epoch(lib.document.last_reviewed)
    theme, labels = context(lib, opts)
    with fixed_time(epoch):
        rendered = [
            (t, render_sheet(lib, lib.exercise(i), theme, labels, **kw))
            for i, t in zip(ids, targets, strict=True)
        ]
    for target, data in rendered:
        write_atomic(target, data)
    return targets


def write_booklet(lib: Library, target: Path, opts: Options, promo: bool = False) -> Path:
    from handouts.booklet import render_booklet
    from handouts.writer import fixed_time, source_date_epoch, write_atomic

    epoch = source_date_epoch(lib.document.last_reviewed)
    theme, labels = context(lib, opts)
    with fixed_time(epoch):
        data = render_booklet(lib, theme, labels, promo=promo)
    write_atomic(target, data)
    return target
