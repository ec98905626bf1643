"""The two regular expressions reportlab compiles at import are compiled on first use instead."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from handouts import deferred

ADDRESSES = [
    "https://www.nhs.uk/conditions/back-pain/",
    "http://example.com:8080/a?b#c",
    "https://orthoinfo.aaos.org/en/recovery/spine-conditioning-program",
    "ftp://user:secret@192.168.0.1/file",
    "https://[2001:db8::1]/x",
    "https://xn--bcher-kva.example/path",
    "https://bücher.example/väg",
    "http://localhost:8000/",
    "not an address",
    "www.example.com",
    "https://-bad-.example/",
    "https://example",
    "",
]


def test_the_libraries_get_the_stand_ins():
    """After ``import handouts``, each library's pattern is a stand-in: our copies of their source
    still match the libraries' exactly (fails, naming it, when a library changes one)."""
    code = (
        "import handouts, reportlab.platypus.paragraph as p, reportlab.lib.textsplit as t\n"
        "import yaml.reader\n"
        "patterns = {'uri_pat': p.uri_pat, 'rx': t.rx, 'NON_PRINTABLE': yaml.reader.Reader.NON_PRINTABLE}\n"
        "for name, pattern in patterns.items():\n"
        "    print(name, type(pattern).__name__, getattr(pattern, '_compiled', 'real') is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [
        "uri_pat Deferred True",
        "rx Deferred True",
        "NON_PRINTABLE Deferred True",
    ]


def _found(match):
    return match and (match.span(), match.groups())


@pytest.mark.parametrize(("source", "flags"), deferred.PATTERNS)
def test_a_stand_in_matches_like_the_pattern(source, flags):
    re.purge()  # the stand-in out of re's cache, so re.compile compiles the real pattern
    try:
        real = re.compile(source, flags)
    finally:
        deferred.defer()
    assert isinstance(real, re.Pattern)
    stand_in = deferred.Deferred(source, flags)
    texts = [*ADDRESSES, "abc日本語def", "Övning – axlar", "tab\there", "bell\x07", "\ufffe", "emoji 🙂"]
    for text in texts:
        assert _found(stand_in.match(text)) == _found(real.match(text)), text
        assert _found(stand_in.search(text)) == _found(real.search(text)), text
        assert stand_in.sub("", text) == real.sub("", text)
    assert stand_in.pattern == real.pattern and stand_in.flags == real.flags
    assert stand_in.compiled() is stand_in.compiled()  # compiled once


def test_an_address_too_long_for_its_line_still_breaks():
    """reportlab's own use of the stand-in: a web address wider than its column is broken after
    its scheme, which needs the pattern to match (it does not break where it does not match)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import paragraph

    style = ParagraphStyle("p", fontName="Helvetica", fontSize=10, leading=12, hyphenationLang="en_GB")
    style.uriWasteReduce = 0.3
    para = paragraph.Paragraph("See https://www.example.org/a/very/long/path/about/back/pain today.", style)
    para.wrap(120, 1000)
    assert [words for _, words in para.blPara.lines] == [
        ["See", "https://"],
        ["www.example.org/a/very/long/path/about/back/pain"],
        ["today."],
    ]
    if isinstance(paragraph.uri_pat, deferred.Deferred):
        assert paragraph.uri_pat._compiled is not None


def test_nothing_changes_when_the_cache_is_not_a_dict(monkeypatch):
    monkeypatch.setattr(re, "_cache", None)
    deferred.defer()  # no error, nothing put anywhere


@pytest.mark.parametrize("source,flags", deferred.PATTERNS[:2])
def test_a_stand_in_copies_and_pickles_as_its_pattern(source, flags):
    import copy
    import pickle

    stand_in = deferred.Deferred(source, flags)
    want = re.compile(source, flags)
    for got in (copy.copy(stand_in), copy.deepcopy(stand_in), pickle.loads(pickle.dumps(stand_in))):
        assert isinstance(got, re.Pattern)
        assert (got.pattern, got.flags) == (want.pattern, want.flags)
    fresh = object.__new__(deferred.Deferred)  # as copy and pickle make one: no slot set
    with pytest.raises(AttributeError):  # not a RecursionError through the unset slots
        fresh.pattern  # noqa: B018 - asked for, not used


def test_pillow_loads_only_when_a_picture_needs_it(tmp_path):
    """reportlab imports PIL.Image as it is imported; a sheet without raster pictures never loads
    it, and the first use of a name from it loads the real module."""
    code = (
        "import sys, importlib.util\n"
        "from handouts import deferred\n"
        "deferred.defer_modules()  # as the command line does\n"
        "import handouts.render.sheet, handouts.figures.render\n"
        "m = sys.modules['PIL.Image']\n"
        "print(type(m).__name__, 'PIL.ExifTags' in sys.modules)\n"
        "from reportlab.lib.utils import ImageReader\n"
        "print(ImageReader(sys.argv[1]).getSize(), type(m).__name__, m.Image.__module__)\n"
    )
    png = tmp_path / "dot.png"
    png.write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
        )
    )
    done = subprocess.run([sys.executable, "-c", code, str(png)], capture_output=True, text=True, check=True)
    first, second = done.stdout.splitlines()
    assert first == "_LazyModule False"
    assert second == "(1, 1) module PIL.Image"


def test_reportlabs_syntax_colouring_loads_only_when_used():
    code = (
        "import sys\n"
        "from handouts import deferred\n"
        "deferred.defer_modules()\n"
        "import handouts.render.sheet, handouts.render.booklet\n"
        "from reportlab.platypus import xpreformatted\n"
        "m = sys.modules['reportlab.lib.PyFontify']\n"
        "print(type(m).__name__)\n"
        "print(xpreformatted.PyFontify.fontify('x = 1  # one')[:2], type(m).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, second = done.stdout.splitlines()
    assert first == "_LazyModule"
    assert second == "[('comment', 7, 12, None)] module"


def test_loading_the_deferred_modules_loads_them():
    code = (
        "import sys, handouts\n"
        "from handouts import deferred\n"
        "deferred.defer_modules()\n"
        "print(type(sys.modules['PIL.Image']).__name__)\n"
        "deferred.load_modules()\n"
        "print(type(sys.modules['PIL.Image']).__name__, 'PIL.ExifTags' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["_LazyModule", "module", "True"]


def test_only_the_command_line_defers_pillow(tmp_path):
    """A program rendering through handouts.api (perhaps from several threads) gets PIL.Image
    loaded as usual; the command line defers it, and a sheet never loads it."""
    library = (
        "import sys\n"
        "import handouts.api, handouts.render.sheet\n"
        "print(type(sys.modules['PIL.Image']).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", library], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["module"]
    command = (
        "import sys\n"
        "from handouts.cli import main\n"
        "sys.argv = ['handouts', 'sheet', 'wall-angels', '-o', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(type(sys.modules['PIL.Image']).__name__, 'PIL.ExifTags' in sys.modules, file=sys.stderr)\n"
    )
    from conftest import ROOT

    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_NO_CACHE"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # the second run reads the SVG logo's drawing

    def run() -> list[str]:
        args = [sys.executable, "-c", command, str(tmp_path / "w.pdf")]
        done = subprocess.run(args, capture_output=True, text=True, check=True, cwd=ROOT, env=env)
        return done.stderr.split()[-2:]

    run()
    assert run() == ["_LazyModule", "False"]
    assert (tmp_path / "w.pdf").read_bytes().startswith(b"%PDF")
