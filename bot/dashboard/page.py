"""A group's page: its figures, a chart for each table, and when it was read.

The charts are drawn from the same :class:`GroupFigures` the tables show (and the CSV
holds), so a chart can never show a figure the table withholds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.dashboard.figures import GroupFigures, QuestionSeries
from bot.dashboard.svg import Column, stacked_columns


@dataclass(frozen=True)
class Chart:
    id: str
    svg: str


@dataclass(frozen=True)
class GroupPage:
    figures: GroupFigures
    generated: str  # when it was read, in the reader's zone
    rate_chart: Chart | None
    question_charts: tuple[tuple[QuestionSeries, Chart], ...]
    pairing_chart: Chart | None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "q"


def rate_chart(figures: GroupFigures) -> Chart | None:
    if not figures.weeks:
        return None
    shown = [w for w in figures.weeks if w.rate is not None]
    desc = (f"Share of prompted members who answered, per closed week; {len(shown)} of "
            f"{len(figures.weeks)} weeks had at least {figures.k} answers. The table beside "
            "it has the figures.")
    return Chart("rate", stacked_columns(
        "rate", f"{figures.name}: answered check-ins per week", desc,
        [Column(w.label, None if w.rate is None else (float(w.rate),)) for w in figures.weeks],
        ["answered"], scale=100))


def question_chart(figures: GroupFigures, series: QuestionSeries) -> Chart:
    chart_id = f"q-{_slug(series.key)}"
    harder = f" ({series.legend})" if series.legend else ""
    desc = (f"How answers to {series.name}{harder} fell into the bands "
            f"{', '.join(series.bands)}, as shares of each week's answers; weeks with too few "
            "or too alike answers are left empty. The table beside it has the counts.")
    return Chart(chart_id, stacked_columns(
        chart_id, f"{series.name} per week, in bands", desc,
        [Column(w.label, None if w.counts is None else tuple(float(c) for c in w.counts))
         for w in series.weeks], list(series.bands)))


def pairing_chart(figures: GroupFigures) -> Chart | None:
    if not figures.months:
        return None
    desc = ("Answers to the \"Did you meet?\" follow-up per settled month, as shares: met, "
            "not yet, couldn't. Months with too few or too alike answers are left empty.")
    return Chart("pairing", stacked_columns(
        "pairing", f"{figures.name}: did pairs meet?", desc,
        [Column(m.label, None if m.met is None else (float(m.met), float(m.not_yet or 0),
                                                    float(m.couldnt or 0)))
         for m in figures.months], ["met", "not yet", "couldn't"]))


def build_page(figures: GroupFigures, generated: str) -> GroupPage:
    return GroupPage(figures, generated, rate_chart(figures),
                     tuple((s, question_chart(figures, s)) for s in figures.questions),
                     pairing_chart(figures))
