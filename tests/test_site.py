"""The download page (handouts build --site): static pages, thumbnails, relative links, incremental."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from click.testing import CliRunner
from conftest import IDS, LIBRARY

from handouts import api
from handouts import build as b
from handouts import manifest as mf
from handouts.site import THUMB_WIDTH, render_page, write_site


class Page(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.links: list[str] = []
        self.images: list[dict] = []
        self.lang = None
        self.langs: list[str] = []
        self.scripts = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "a":
            self.links.append(a["href"])
            if "lang" in a:
                self.langs.append(a["lang"])
        if tag == "img":
            self.images.append(a)
        if tag == "script":
            self.scripts += 1


def build(out: Path, *args: str) -> None:
    from handouts.cli import cli

    result = CliRunner().invoke(cli, ["--config", str(LIBRARY), "build", "--out", str(out), "-q", *args])
    assert result.exit_code == 0, result.output


def plan(lib, langs, nested: bool, large: bool = True):
    jobs = b.plan_build(lib, langs, "a4", False, nested=nested)
    return jobs + (b.plan_build(lib, langs, "a4", True, nested=nested) if large else [])


@pytest.fixture(scope="module")
def lib():
    return api.load(str(LIBRARY))


@pytest.fixture(scope="module")
def site(tmp_path_factory, lib):
    out = tmp_path_factory.mktemp("site") / "out"
    build(out, "--lang", "all", "--large-print", "--jobs", "2")
    jobs = plan(lib, api.languages(lib), nested=True)
    written = write_site(out, lib, jobs)
    return out, jobs, written


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("index.html"))


def test_a_page_per_language_and_a_thumbnail_per_pdf(site, lib):
    out, jobs, written = site
    langs = api.languages(lib)
    assert {p.relative_to(out).as_posix() for p in pages(out)} == {"index.html"} | {
        f"{lang}/index.html" for lang in langs
    }
    for job in jobs:
        thumb = out / "thumbs" / (job.target[:-4] + ".png")
        assert thumb.is_file(), thumb
        assert thumb in written
        from PIL import Image

        with Image.open(thumb) as img:
            assert img.width == THUMB_WIDTH and img.height > img.width  # a portrait page
            assert img.convert("L").getextrema()[0] < 100  # something printed on it


def test_every_link_and_thumbnail_resolves_inside_the_folder(site):
    out, jobs, _ = site
    for page in pages(out):
        text = page.read_text(encoding="utf-8")
        parsed = Page(text)
        assert parsed.scripts == 0
        assert "http:" not in text and "https:" not in text  # nothing from outside
        targets = parsed.links + [i["src"] for i in parsed.images]
        assert targets
        for url in targets:
            u = urlparse(url)
            assert not u.scheme and not u.netloc and not url.startswith("/"), url  # relative only
            target = (page.parent / unquote(u.path)).resolve()
            assert target.is_file(), f"{page}: {url}"
            assert target.is_relative_to(out.resolve())
    # every PDF is linked from its language's page
    en = Page((out / "en" / "index.html").read_text(encoding="utf-8"))
    assert {f"sheets/{i}.pdf" for i in IDS} <= set(en.links)
    assert {f"large-print/sheets/{i}.pdf" for i in IDS} <= set(en.links)
    assert "booklet.pdf" in en.links and "large-print/booklet.pdf" in en.links
    root = Page((out / "index.html").read_text(encoding="utf-8"))
    assert "en/booklet.pdf" in root.links and "sv/index.html" in root.links


def test_pages_are_labelled_for_patients(site, lib):
    out, _, _ = site
    for lang in api.languages(lib):
        text = (out / lang / "index.html").read_text(encoding="utf-8")
        parsed = Page(text)
        assert parsed.lang == lang
        assert all(i.get("alt") for i in parsed.images)
        loc = api.localised(lib, lang)
        for e in loc.exercises:
            assert e.name.replace("'", "&#x27;") in text
        others = [m for m in api.languages(lib) if m != lang]
        assert parsed.langs == others  # the other languages, each marked with its language
    en = (out / "en" / "index.html").read_text(encoding="utf-8")
    size = (out / "en" / "sheets" / "wall-angels.pdf").stat().st_size
    assert f"PDF, 1 page, {round(size / 1000)} kB" in en
    assert re.search(r"PDF, \d+ pages", en)  # the booklet
    assert "Large print" in en and lib.brand.colours.primary in en
    sv = (out / "sv" / "index.html").read_text(encoding="utf-8")
    assert "Stor stil" in sv and "1 sida" in sv


def test_a_second_run_writes_nothing_and_a_changed_pdf_remakes_its_thumbnail(site, lib):
    out, jobs, _ = site
    assert write_site(out, lib, jobs) == []
    sheet = out / "en" / "sheets" / "wall-angels.pdf"
    original = sheet.read_bytes()
    try:
        sheet.write_bytes((out / "en" / "sheets" / "cat-cow.pdf").read_bytes())
        again = {p.relative_to(out).as_posix() for p in write_site(out, lib, jobs)}
        assert "thumbs/en/sheets/wall-angels.png" in again
        assert not any("cat-cow" in p for p in again)
    finally:
        sheet.write_bytes(original)
        write_site(out, lib, jobs)
    assert write_site(out, lib, jobs, force=True)  # --force remakes everything


def test_the_build_does_not_call_the_site_stale(site):
    out, _, _ = site
    manifest = mf.read_manifest(out)
    assert "index.html" in manifest["site"] and "thumbs/en/booklet.png" in manifest["site"]
    from handouts.cli import cli

    result = CliRunner().invoke(
        cli, ["--config", str(LIBRARY), "build", "--out", str(out), "--lang", "all", "--large-print"]
    )
    assert result.exit_code == 0
    assert "stale" not in result.output
    assert mf.read_manifest(out)["site"] == manifest["site"]


def test_outputs_that_left_the_plan_lose_their_thumbnail(tmp_path, lib):
    out = tmp_path / "out"
    build(out, "--jobs", "1")
    jobs = plan(lib, ["en"], nested=False, large=False)
    write_site(out, lib, jobs)
    assert (out / "thumbs" / "sheets" / "cat-cow.png").is_file()
    page = Page((out / "index.html").read_text(encoding="utf-8"))
    assert "sheets/cat-cow.pdf" in page.links and not page.langs
    fewer = [j for j in jobs if j.exercise != "cat-cow"]
    write_site(out, lib, fewer)
    assert not (out / "thumbs" / "sheets" / "cat-cow.png").exists()
    assert "cat-cow" not in (out / "index.html").read_text(encoding="utf-8")
    assert not list(out.rglob("*.tmp"))


def test_a_shard_lists_only_what_is_on_disk(tmp_path, lib):
    out = tmp_path / "out"
    build(out, "--shard", "1/4", "--jobs", "1")
    jobs = plan(lib, ["en"], nested=False, large=False)
    write_site(out, lib, jobs)
    page = Page((out / "index.html").read_text(encoding="utf-8"))
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*.pdf")}
    assert set(page.links) == on_disk


def test_text_is_escaped(lib):
    ex = dataclasses.replace(lib.exercises[0], name='<script>alert("x")</script> & Co')
    hostile = dataclasses.replace(lib, exercises=(ex, *lib.exercises[1:]))
    from handouts.site import Entry

    entries = {("en", False, "sheet"): [Entry("sheets/a.pdf", ex.name, (), 1, 1000, "thumbs/sheets/a.png")]}
    text = render_page(hostile, "en", "", entries, [])
    assert "<script>" not in text and "&lt;script&gt;" in text and "&amp; Co" in text


def test_a_broken_pdf_is_a_clear_error(tmp_path, lib):
    from handouts.errors import BuildError

    out = tmp_path / "out"
    (out / "sheets").mkdir(parents=True)
    (out / "sheets" / "cat-cow.pdf").write_bytes(b"not a PDF at all")
    jobs = [j for j in plan(lib, ["en"], nested=False, large=False) if j.exercise == "cat-cow"]
    with pytest.raises(BuildError, match=r"cannot make a thumbnail of .*cat-cow\.pdf"):
        write_site(out, lib, jobs)
    assert not list(out.rglob("*.png")) and not list(out.rglob("*.tmp"))


def test_a_file_it_did_not_write_is_never_replaced_without_force(tmp_path, lib):
    from handouts.errors import UsageProblem

    out = tmp_path / "out"
    build(out, "--jobs", "1")
    (out / "index.html").write_text("<p>the clinic's own page</p>", encoding="utf-8")
    jobs = plan(lib, ["en"], nested=False, large=False)
    with pytest.raises(UsageProblem, match=r"index\.html: not written by handouts build --site"):
        write_site(out, lib, jobs)
    assert (out / "index.html").read_text(encoding="utf-8") == "<p>the clinic's own page</p>"
    assert out / "index.html" in write_site(out, lib, jobs, force=True)
    # a thumbnail changed by hand is neither replaced nor deleted when its sheet goes
    thumb = out / "thumbs" / "sheets" / "cat-cow.png"
    thumb.write_bytes(b"edited")
    fewer = [j for j in jobs if j.exercise != "cat-cow"]
    write_site(out, lib, fewer)
    assert thumb.read_bytes() == b"edited"


def test_a_link_in_the_output_folder_is_refused(tmp_path, lib):
    from handouts.errors import UsageProblem

    out = tmp_path / "out"
    build(out, "--jobs", "1")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "thumbs").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(UsageProblem, match="symbolic link"):
        write_site(out, lib, plan(lib, ["en"], nested=False, large=False))
    assert not any(elsewhere.iterdir())


def test_build_site_on_the_command_line(tmp_path):
    from handouts.cli import cli

    if "--site" not in [p.opts[0] for p in cli.commands["build"].params if p.opts]:
        pytest.skip("build --site is not wired into the command line")
    out = tmp_path / "out"
    args = ["--config", str(LIBRARY), "build", "--out", str(out), "--jobs", "1", "--site"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert "download page" in first.output and (out / "index.html").is_file()
    assert (out / "thumbs" / "sheets" / "cat-cow.png").is_file()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0 and "download page" not in again.output  # nothing to rewrite
