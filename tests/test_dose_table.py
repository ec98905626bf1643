"""The dose table: its values on one line ("2–3 times a week" never wraps), read back from the
positions of the text in the PDF, on every sheet in both languages and on both papers."""

from __future__ import annotations

import pytest
from conftest import IDS
from pdfcheck import page_lines

HOW_OFTEN = {"en": "2–3 times a week", "sv": "2–3 gånger i veckan"}


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_how_often_never_wraps_in_the_dose_table(run, tmp_path, lang, paper):
    out = tmp_path / "sheets"
    result = run("sheet", *IDS, "--lang", lang, "--paper", paper, "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    for eid in IDS:
        lines = page_lines(out / f"{eid}.pdf", 0)
        # the value sits on one visual line (one baseline), beside its label
        assert any(HOW_OFTEN[lang] in line for line in lines), (eid, [ln for ln in lines if "2–3" in ln])


@pytest.mark.no_pdf_check
def test_the_check_sees_a_wrapped_value(library, tmp_path):
    """A dose table too narrow for its value wraps it, and the check above would fail."""
    import io

    from reportlab.platypus import SimpleDocTemplate

    from handouts.i18n import labels
    from handouts.render.furniture import numbered_canvas
    from handouts.render.tables import dose_box
    from handouts.render.theme import build_theme

    theme = build_theme(library.brand)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, lang="en", title="narrow", displayDocTitle=True)
    table = dose_box([("How often", HOW_OFTEN["en"])], theme, labels("en"), 110)
    doc.build([table], canvasmaker=numbered_canvas(lambda canv, n, m: None))
    path = tmp_path / "narrow.pdf"
    path.write_bytes(buf.getvalue())
    assert not any(HOW_OFTEN["en"] in line for line in page_lines(path, 0))
