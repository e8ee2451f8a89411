"""What a chart in chat shows, as plain data: built from exactly what the text shows.

The pulse chart is drawn from the same frozen weeks as the text pulse
(:mod:`bot.checkins.pulse`), under the same rules: a question withheld by k or
dominance has no bars and no zero, only the words "not enough answers" (or "answers
too alike to show"); a week whose question was withheld is a gap in its trend line. A
group below k in the latest closed week gets no chart at all, nor does a pulse with no
question shown. The history chart is the member's own weekly averages, as their
sparkline. Pure data (picklable), so it can be drawn in a worker process and tested
against the text figure by figure; the alt text states every figure in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.checkins.history import History
from bot.checkins.pulse import Week
from bot.checkins.questions import harder_end
from bot.core.config import Question
from bot.core.disclosure import Verdict

NOT_ENOUGH = "not enough answers"
TOO_ALIKE = "answers too alike to show"
WITHHELD_WORDS = {Verdict.FEW: NOT_ENOUGH, Verdict.DOMINANT: TOO_ALIKE}


@dataclass(frozen=True)
class BarGroup:
    """One question in the latest closed week: its bands' counts, or why it has none."""

    name: str
    answered: int | None  # None when withheld
    bars: tuple[tuple[str, int], ...] = ()  # (band label, count); empty when withheld
    withheld: str = ""  # NOT_ENOUGH or TOO_ALIKE when withheld


@dataclass(frozen=True)
class TrendLine:
    """One question's average band per closed week (0 lowest band, 1 highest); None
    where that week's figure was withheld."""

    name: str
    harder: str
    points: tuple[float | None, ...]


@dataclass(frozen=True)
class PulseChart:
    group: str
    week: str  # "week of 05 Jan 2026"
    respondents: int
    prompted: int
    questions: tuple[BarGroup, ...]
    weeks: tuple[str, ...]  # "05 Jan", oldest first
    trends: tuple[TrendLine, ...]


def pulse_chart(group: str, weeks: list[Week], k: int,
                questions: dict[str, Question]) -> PulseChart | None:
    """The chart of a pulse, or None when the text pulse shows no figure to chart."""
    if not weeks:
        return None
    last = weeks[-1]
    if last.respondents < k or not last.questions:
        return None
    groups = []
    trends = []
    for figure in last.questions:
        if figure.verdict is Verdict.SHOWN:
            groups.append(BarGroup(figure.name, figure.respondents,
                                   tuple((b.label, b.count) for b in figure.bands)))
        else:
            groups.append(BarGroup(figure.name, None, withheld=WITHHELD_WORDS[figure.verdict]))
        points = []
        for week in weeks:
            shown = week.figure(figure.key)
            points.append(shown.band_mean() if shown else None)
        question = questions.get(figure.key)
        trends.append(TrendLine(figure.name, harder_end(question) if question else "",
                                tuple(points)))
    if not any(g.bars for g in groups):
        return None
    return PulseChart(group, f"week of {last.monday.strftime('%d %b %Y')}", last.respondents,
                      last.prompted, tuple(groups),
                      tuple(w.monday.strftime("%d %b") for w in weeks), tuple(trends))


def _percent(value: float | None) -> str:
    return NOT_ENOUGH if value is None else f"{round(100 * value)}"


def pulse_alt_text(chart: PulseChart) -> str:
    """Every figure of the chart in words, for a screen reader."""
    rate = round(100 * chart.respondents / max(chart.prompted, 1))
    parts = [f"Bar and line chart of the {chart.group} group pulse, {chart.week}: "
             f"{chart.respondents} of {chart.prompted} members answered ({rate}%)."]
    for group in chart.questions:
        if group.bars:
            cells = ", ".join(f"{label}: {count}" for label, count in group.bars)
            parts.append(f"{group.name}, {group.answered} answered: {cells}.")
        else:
            parts.append(f"{group.name}: {group.withheld}.")
    parts.append(f"Trend over {len(chart.weeks)} closed week(s), average band from 0 "
                 "(lowest) to 100 (highest):")
    for line in chart.trends:
        harder = f" ({line.harder})" if line.harder else ""
        parts.append(f"{line.name}{harder}: " + ", ".join(_percent(p) for p in line.points) + ".")
    return " ".join(parts)


@dataclass(frozen=True)
class HistoryLine:
    name: str
    lo: int
    hi: int
    harder: str
    means: tuple[float | None, ...]  # one per week, oldest first; None: no answer


@dataclass(frozen=True)
class HistoryChart:
    weeks: tuple[str, ...]  # "7 wk ago" ... "this week"
    lines: tuple[HistoryLine, ...]


def history_chart(history: History, questions: dict[str, Question]) -> HistoryChart | None:
    """The member's own weekly averages, or None when there is nothing to draw."""
    lines = []
    for series in history.series:
        if not any(m is not None for m in series.means):
            continue
        question = questions.get(series.key)
        lines.append(HistoryLine(series.name, series.lo, series.hi,
                                 harder_end(question) if question else "", series.means))
    if not lines:
        return None
    n = history.weeks
    labels = tuple("this week" if i == n - 1 else f"{n - 1 - i} wk ago" for i in range(n))
    return HistoryChart(labels, tuple(lines))


def history_alt_text(chart: HistoryChart) -> str:
    parts = [f"Line chart of your own check-ins: weekly averages over the last "
             f"{len(chart.weeks)} weeks, oldest first."]
    for line in chart.lines:
        harder = f", {line.harder}" if line.harder else ""
        values = ", ".join("no answer" if m is None else f"{m:.1f}" for m in line.means)
        parts.append(f"{line.name} ({line.lo} to {line.hi}{harder}): {values}.")
    return " ".join(parts)
