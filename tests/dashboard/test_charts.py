"""The SVG charts and the CSV, pure: what is withheld is never drawn or written as zero,
text is escaped, colours keep WCAG 2.2 AA contrast, spreadsheets get no formula."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

from bot.dashboard.export_csv import group_csv
from bot.dashboard.figures import NOT_ENOUGH, BandWeek, GroupFigures, QuestionSeries, WeekRow
from bot.dashboard.page import build_page
from bot.dashboard.svg import GRID, MUTED, PALETTE, TEXT, Column, stacked_columns
from tests.support.paths import REPO

SVG = "{http://www.w3.org/2000/svg}"


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str = "#ffffff") -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_colours_meet_wcag_aa_on_white():
    assert all(contrast(c) >= 3.0 for c in (*PALETTE, GRID))  # 1.4.11 non-text contrast
    assert contrast(TEXT) >= 4.5 and contrast(MUTED) >= 4.5  # 1.4.3 text
    css = (REPO / "adapters" / "web" / "static" / "dashboard.css").read_text(encoding="utf-8")
    for name in ("ink", "muted", "accent"):
        colour = re.search(rf"--{name}: (#[0-9a-f]{{6}})", css).group(1)
        assert contrast(colour) >= 4.5, name


def test_a_withheld_column_is_drawn_empty_never_as_a_zero_bar():
    svg = stacked_columns("x", "T", "D", [Column("5 Jan", (2.0, 1.0, 2.0)),
                                          Column("12 Jan", None)], ["a", "b", "c"])
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "x-t x-d"
    assert root.find(f"{SVG}title").text == "T" and root.find(f"{SVG}desc").text == "D"
    filled = [r for r in root.iter(f"{SVG}rect") if r.get("fill") in PALETTE
              and r.get("width") != "13"]  # legend swatches are 13 wide
    assert len(filled) == 3  # the shown week's three bands only
    dashed = [r for r in root.iter(f"{SVG}rect") if r.get("stroke-dasharray")]
    assert len(dashed) == 2  # the empty column and its legend swatch
    assert "withheld" in svg


def test_chart_text_is_escaped_and_carries_no_style_or_script():
    svg = stacked_columns("x", "<script>alert(1)</script>", "a & b", [Column("<b>", (1.0,))],
                          ["\"q\" <x>"])
    ET.fromstring(svg)  # well-formed
    assert "<script" not in svg and "<b>" not in svg and "style" not in svg


def test_every_chart_id_on_a_page_is_unique():
    series = tuple(QuestionSeries(key, key.title(), "", ("1–2", "3", "4–5"),
                                  (BandWeek("2026-01-05", "5 Jan", 5, (1, 2, 2), ""),))
                   for key in ("mood", "burnout", "sleep quality"))
    figures = GroupFigures(1, "Circle", 3, (WeekRow("2026-01-05", "5 Jan", 6, 5, 83),),
                           series, ())
    page = build_page(figures, "now")
    svgs = [page.rate_chart.svg, *(c.svg for _, c in page.question_charts)]
    ids = [i for svg in svgs for i in re.findall(r' id="([^"]+)"', svg)]
    assert len(ids) == len(set(ids)) == 8


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)"])
def test_a_group_name_is_never_a_spreadsheet_formula(name):
    figures = GroupFigures(1, name, 3, (WeekRow("2026-01-05", "5 Jan", None, None, None),),
                           (), ())
    rows = list(csv.reader(io.StringIO(group_csv(figures))))
    assert all(row[0] == "'" + name for row in rows[1:])
    assert {row[5] for row in rows[1:]} == {NOT_ENOUGH} and {row[4] for row in rows[1:]} == {""}
