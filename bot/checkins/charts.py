"""PNG charts for chat, drawn with matplotlib's Agg backend from plain chart data.

Called through ``ctx.compute`` (a worker process in production, so neither the event
loop nor the commands lane's interpreter lock waits on drawing). Output is
deterministic for the same data: matplotlib's own defaults (never a local
matplotlibrc), its bundled DejaVu Sans, a fixed size and DPI, and no metadata
(no software tag, no date). Colours are the Okabe-Ito palette (told apart with colour
blindness) on white with black text; withheld figures are words, never bars or zeros.
matplotlib is imported here only, on first use, so a process that draws nothing
never loads it.
"""

from __future__ import annotations

import io
from typing import Any

from bot.checkins.chart_data import NOT_ENOUGH, HistoryChart, PulseChart

DPI = 100
WIDTH = 8.0  # inches: 800 px, readable in a Slack or Discord preview
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#333333",
    "text.color": "#000000",
    "axes.labelcolor": "#000000",
    "xtick.color": "#000000",
    "ytick.color": "#000000",
    "svg.hashsalt": "peerbot",
    "path.simplify": False,
}
GREY = "#595959"  # 7:1 on white: the words for a withheld figure


def _figure(height: float) -> tuple[Any, Any]:
    """A pyplot-free figure (no global state, safe in any thread)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, height), dpi=DPI, facecolor="white")
    return figure, FigureCanvasAgg(figure)


def _png(figure: Any) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white",
                   metadata={"Software": None})
    return out.getvalue()


def _styled(draw: Any, chart: Any) -> bytes:
    import matplotlib
    import matplotlib.style

    with matplotlib.style.context("default"), matplotlib.rc_context(STYLE):
        return draw(chart)


def render_pulse(chart: PulseChart) -> bytes:
    """Bars per band for the latest closed week, one panel per question; below, each
    question's trend over the closed weeks."""
    return _styled(_draw_pulse, chart)


def _draw_pulse(chart: PulseChart) -> bytes:
    count = len(chart.questions)
    figure, _ = _figure(5.6)
    grid = figure.add_gridspec(2, count, height_ratios=(1.1, 1.0), hspace=0.7, wspace=0.35)
    rate = round(100 * chart.respondents / max(chart.prompted, 1))
    figure.suptitle(f"{chart.group}: group pulse, {chart.week}\n{chart.respondents} of "
                    f"{chart.prompted} members answered ({rate}%)", fontsize=11)
    for index, group in enumerate(chart.questions):
        axes = figure.add_subplot(grid[0, index])
        if group.bars:
            labels = [label for label, _ in group.bars]
            counts = [value for _, value in group.bars]
            bars = axes.bar(range(len(counts)), counts, color=PALETTE[index % len(PALETTE)])
            axes.bar_label(bars, labels=[str(c) for c in counts], padding=2)
            axes.set_xticks(range(len(labels)), labels)
            axes.set_ylim(0, max(counts) * 1.3 + 0.5)
            axes.set_title(f"{group.name} ({group.answered} answered)", fontsize=10)
        else:
            axes.set_xticks([])
            axes.text(0.5, 0.5, group.withheld, ha="center", va="center", color=GREY,
                      transform=axes.transAxes, wrap=True)
            axes.set_title(group.name, fontsize=10)
        axes.set_yticks([])
        axes.spines["left"].set_visible(False)
        _trend(figure.add_subplot(grid[1, index]), chart, index)
    figure.subplots_adjust(left=0.1, right=0.97, top=0.84, bottom=0.1)
    return _png(figure)


def _trend(axes: Any, chart: PulseChart, index: int) -> None:
    """One question's average band per closed week; a withheld week is a gap that says
    so, never a point."""
    line = chart.trends[index]
    positions = list(range(len(chart.weeks)))
    values = [float("nan") if p is None else 100 * p for p in line.points]
    axes.plot(positions, values, marker="o", color=PALETTE[index % len(PALETTE)])
    for i, point in enumerate(line.points):
        if point is None:
            axes.text(i, 50, NOT_ENOUGH, ha="center", va="center", color=GREY, fontsize=7,
                      rotation=90)
    axes.set_xticks(positions, list(chart.weeks), fontsize=8, rotation=45 if len(positions) > 4
                    else 0)
    axes.set_xlim(-0.5, len(positions) - 0.5)
    axes.set_ylim(-5, 105)
    axes.set_yticks([0, 50, 100], ["lowest", "middle", "highest"], fontsize=8)
    harder = f" ({line.harder})" if line.harder else ""
    axes.set_title(f"{line.name}: average band by week{harder}", fontsize=9)


def render_history(chart: HistoryChart) -> bytes:
    """One panel per question: the member's weekly averages on the question's scale."""
    return _styled(_draw_history, chart)


def _draw_history(chart: HistoryChart) -> bytes:
    count = len(chart.lines)
    figure, _ = _figure(1.2 + 2.0 * count)
    figure.suptitle("Your check-ins: weekly averages", fontsize=11)
    positions = list(range(len(chart.weeks)))
    for index, line in enumerate(chart.lines):
        axes = figure.add_subplot(count, 1, index + 1)
        values = [float("nan") if m is None else m for m in line.means]
        axes.plot(positions, values, marker="o", color=PALETTE[index % len(PALETTE)])
        for i, mean in enumerate(line.means):
            if mean is None:
                axes.text(i, (line.lo + line.hi) / 2, "no answer", ha="center",
                          va="center", color=GREY, fontsize=8, rotation=90)
        harder = f" ({line.harder})" if line.harder else ""
        axes.set_title(f"{line.name}{harder}", fontsize=10, loc="left")
        axes.set_ylim(line.lo - 0.3, line.hi + 0.3)
        axes.set_yticks(sorted({line.lo, (line.lo + line.hi) // 2, line.hi}))
        axes.set_xlim(-0.5, len(positions) - 0.5)
        axes.set_xticks(positions, list(chart.weeks) if index == count - 1 else [""] *
                        len(positions))
    figure.subplots_adjust(left=0.08, right=0.97, top=1 - 0.6 / (1.2 + 2.0 * count),
                           bottom=0.5 / (1.2 + 2.0 * count), hspace=0.6)
    return _png(figure)
