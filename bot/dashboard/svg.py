"""Server-rendered SVG charts: columns of stacked shares, drawn from figures already shown.

Hand-written rather than a charting library: the page's Content-Security-Policy allows
no inline scripts or styles, and the SVG libraries for Python (pygal, for one) embed
``<style>`` and ``<script>`` in what they draw; matplotlib's SVG is large, slow to import
and carries inline styles too. A chart here is a few dozen elements with presentation
attributes only (``fill``, ``stroke``), which no CSP blocks, and every text goes through
``html.escape``.

Accessibility (WCAG 2.2 AA): each chart is ``role="img"`` with a ``<title>`` and a
``<desc>`` naming what it shows; the numbers themselves are in the text table the page
shows beside it. Colours keep at least 3:1 against white (non-text contrast, 1.4.11),
text at least 4.5:1; neighbouring segments are separated by a white gap, and each
series is also named in a legend, so colour is never the only cue. A withheld column
is drawn as a dashed outline with a dash below it, never as zero.

Pure: figures in, a string out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# (colour, contrast against white): all >= 3:1 for shapes; TEXT >= 4.5:1.
PALETTE = ("#1d4e89", "#b45309", "#15803d", "#7e22ce", "#be123c", "#0f766e")
TEXT = "#1f2937"
MUTED = "#4b5563"
GRID = "#6b7280"
WITHHELD = "withheld (too few or too alike)"

# Small enough that text stays readable when a phone shrinks the chart to ~340 px.
WIDTH, HEIGHT = 480, 250
LEFT, RIGHT, TOP, BOTTOM = 46, 8, 12, 82
FONT = 14
CHAR = 0.6 * FONT  # a generous average glyph width, to lay out the legend


@dataclass(frozen=True)
class Column:
    """One period: its label and a value per series, or None when nothing is shown."""

    label: str
    values: tuple[float, ...] | None


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: int = FONT,
          fill: str = TEXT) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}">{escape(text)}</text>')


def stacked_columns(chart_id: str, title: str, description: str, columns: Sequence[Column],
                    series: Sequence[str], *, scale: float | None = None,
                    unit: str = "%") -> str:
    """Columns of stacked values, one colour per series.

    ``chart_id`` makes the title's and description's ids unique on the page (letters,
    digits and dashes). ``scale`` None draws each column as shares of its own total
    (100 %); a number draws values against that maximum (an answered share out of 100).
    """
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart" '
             'focusable="false">',
             f'<title id="{chart_id}-t">{escape(title)}</title>',
             f'<desc id="{chart_id}-d">{escape(description)}</desc>',
             f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>']
    top_label = f"{scale:g}{unit}" if scale is not None else f"100{unit}"
    for frac, label in ((0.0, f"0{unit}"), (0.5, ""), (1.0, top_label)):
        y = TOP + plot_h * (1 - frac)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                     f'stroke="{GRID}" stroke-width="{1 if frac == 0 else 0.5}"/>')
        if label:
            parts.append(_text(LEFT - 6, y + 5, label, anchor="end", fill=MUTED))
    slot = plot_w / max(len(columns), 1)
    bar = min(slot * 0.7, 48)
    every = 1 if slot >= 6 * CHAR else 2 if 2 * slot >= 6 * CHAR else 3  # labels fit
    for i, column in enumerate(columns):
        x = LEFT + slot * i + (slot - bar) / 2
        if (len(columns) - 1 - i) % every == 0:  # the latest column is always labelled
            parts.append(_text(x + bar / 2, TOP + plot_h + 18, column.label))
        if column.values is None:
            parts.append(f'<rect x="{x:.1f}" y="{TOP + 1}" width="{bar:.1f}" '
                         f'height="{plot_h - 2}" fill="none" stroke="{GRID}" '
                         'stroke-dasharray="4 3"/>')
            parts.append(_text(x + bar / 2, TOP + plot_h - 6, "–", fill=MUTED))
            continue
        total = sum(column.values) if scale is None else scale
        y = TOP + plot_h
        for j, value in enumerate(column.values):
            if value <= 0 or total <= 0:
                continue
            h = plot_h * min(value / total, 1.0)
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[j % len(PALETTE)]}" stroke="#ffffff" '
                         'stroke-width="2"/>')
    keys = [(name, f'fill="{PALETTE[j % len(PALETTE)]}"') for j, name in enumerate(series)]
    if any(c.values is None for c in columns):
        keys.append((WITHHELD, f'fill="none" stroke="{GRID}" stroke-dasharray="3 2"'))
    x, y = LEFT, HEIGHT - 42
    for name, paint in keys:
        width = 20 + CHAR * len(name)
        if x > LEFT and x + width > WIDTH - RIGHT:  # wrap to the second legend line
            x, y = LEFT, y + 22
        parts.append(f'<rect x="{x:.1f}" y="{y - 11}" width="13" height="13" {paint}/>')
        parts.append(_text(x + 18, y, name, anchor="start"))
        x += width + 14
    parts.append("</svg>")
    return "".join(parts)
