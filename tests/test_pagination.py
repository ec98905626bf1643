"""Unit tests for pagination: measuring, sizing pictures to the room left, and laying parts onto
pages by the rules (never a part split; no page under half full where another layout avoids it;
fewer pages; an overflow is an error saying by how much). Blocks of known height stand in for
the exercise's parts, so each rule is seen on its own."""

from __future__ import annotations

import pytest
from reportlab.platypus import Spacer

from handouts.errors import LayoutError
from handouts.render.block import MAX_PANEL, MIN_PANEL, PANEL
from handouts.render.pagination import Parts, _splits, fit_pictures, measure, paginate
from handouts.render.theme import build_theme


@pytest.fixture(scope="module")
def theme(library):
    return build_theme(library.brand, "a4")


def blocks(*heights: float) -> list[list]:
    return [[Spacer(1, h)] for h in heights]


def heights(pages: list[list], width: float) -> list[float]:
    return [round(measure(p, width)) for p in pages]


def test_measure_stacks_heights(theme):
    assert measure([Spacer(1, 10), Spacer(1, 32.5)], theme.frame_width) == pytest.approx(42.5)
    assert measure([], theme.frame_width) == 0


def test_splits_cut_parts_into_ordered_runs():
    assert list(_splits(3, 1)) == [[[0, 1, 2]]]
    assert list(_splits(3, 2)) == [[[0], [1, 2]], [[0, 1], [2]]]
    assert all(all(run for run in split) for split in _splits(6, 4))
    assert len(list(_splits(6, 4))) == 10  # choose 3 cut points of 5


def test_pictures_never_grow_past_the_largest_panel(theme):
    grown = fit_pictures(lambda h: [Spacer(1, 300), Spacer(1, h)], 1000, theme)
    assert grown[1].height == pytest.approx(MAX_PANEL)
    assert MAX_PANEL * 1.4 <= PANEL * 1.4 + 1e-9  # so large print's least panel is never smaller


def test_pictures_give_back_room_but_never_below_the_least_panel(theme):
    tight = fit_pictures(lambda h: [Spacer(1, 300), Spacer(1, h)], 300 + PANEL - 10, theme)
    assert MIN_PANEL <= tight[1].height <= PANEL - 10
    floor = fit_pictures(lambda h: [Spacer(1, 300), Spacer(1, h)], 300, theme)
    assert floor[1].height == pytest.approx(MIN_PANEL)  # too tight: the caller reports the overflow


def test_a_page_with_room_to_spare_is_built_once(theme):
    """Pictures never grow past the standard size, so a page with room to spare keeps the block
    it was first built with; a page that overflows is built again at smaller sizes."""
    sizes = []

    def build(h):
        sizes.append(h)
        return [Spacer(1, 300), Spacer(1, h)]

    fit_pictures(build, 1000, theme)
    assert sizes == [PANEL * theme.picture_scale]
    sizes.clear()
    tight = fit_pictures(build, 300 + PANEL - 10, theme)
    assert len(sizes) >= 2 and sizes[0] == PANEL * theme.picture_scale
    assert tight[1].height == sizes[-1] < PANEL


def test_one_page_fits_or_fails_saying_by_how_much(theme):
    spec = Parts(lambda _h: blocks(100, 200), (PANEL,), max_pages=1)
    (page,) = paginate("sheet for 'x'", spec, 400, theme)
    assert round(measure(page, theme.frame_width)) == 300
    with pytest.raises(LayoutError) as exc:
        paginate("sheet for 'x'", spec, 250, theme)
    message = exc.value.format_message()
    assert "the sheet for 'x' does not fit on one A4 page" in message
    assert "(50 pt) too long" in message


def test_two_pages_never_leave_a_page_under_half_full_when_another_layout_avoids_it(theme):
    # [100] [200 300] would leave page one a fifth full; [100 200] [300] keeps both at least half
    spec = Parts(lambda _h: blocks(100, 200, 300), (PANEL,), max_pages=2, ends_document=False)
    pages = paginate("booklet page for 'x'", spec, 500, theme)
    assert heights(pages, theme.frame_width) == [300, 300]


def test_fewer_pages_win_when_everything_fits(theme):
    spec = Parts(lambda _h: blocks(100, 100, 100), (PANEL,), max_pages=2)
    assert heights(paginate("x", spec, 500, theme), theme.frame_width) == [300]


def test_a_continuation_page_opens_with_its_heading(theme):
    spec = Parts(lambda _h: blocks(300, 300), (PANEL,), max_pages=2, continued=[Spacer(1, 20)])
    first, second = paginate("x", spec, 400, theme)
    assert isinstance(second[0], Spacer) and second[0].height == 20
    assert round(measure(second, theme.frame_width)) == 320


def test_no_layout_within_the_pages_is_an_error(theme):
    spec = Parts(lambda _h: blocks(900), (PANEL,), max_pages=2)
    with pytest.raises(LayoutError, match=r"too long"):
        paginate("x", spec, 500, theme)
