"""What a group's dashboard page shows: the frozen figures chat shows, laid out by week.

Nothing is computed differently from chat. The pulse is :class:`PulseService`'s frozen
weeks (its ``closed_weeks``, the same call `/peer pulse` makes, over 12 weeks instead
of 8); the "Did you meet?" figures are :class:`Participation`'s frozen settled months.
The library's most helpful items use the library's own rule (a count from 3 marks up).
A week's answers are never shown below k: the week reads "not enough answers", never
0; a question withheld by dominance reads "withheld: answers too alike". The page, the
charts, the tables and the CSV are all built from one :class:`GroupFigures`, so the CSV
holds exactly what the page shows.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from bot.checkins.pulse import PulseService, Week
from bot.checkins.questions import all_questions, bands, harder_end, short_name
from bot.core.context import AppContext
from bot.core.disclosure import Verdict
from bot.core.members import Group
from bot.dashboard.sessions_view import SessionsFigures, sessions_figures
from bot.pairing.participation import MonthFigures, Participation
from bot.resources.library import Library
from bot.resources.search import Query

WEEKS = 12
MONTHS = 6
HELPFUL_TOP = 5
HELPFUL_SCAN = 200  # pinned first, then the most voted: the top five are among these
NOT_ENOUGH = "not enough answers"
TOO_ALIKE = "withheld: answers too alike"


def _note(verdict: Verdict) -> str:
    return "" if verdict is Verdict.SHOWN else (
        NOT_ENOUGH if verdict is Verdict.FEW else TOO_ALIKE)


@dataclass(frozen=True)
class WeekRow:
    """One closed week's participation: numbers only from k respondents up."""

    period: str
    label: str
    prompted: int | None
    respondents: int | None
    rate: int | None  # percent answered

    @property
    def note(self) -> str:
        return "" if self.rate is not None else NOT_ENOUGH


@dataclass(frozen=True)
class BandWeek:
    """One question in one week: band counts when shown, else why not."""

    period: str
    label: str
    respondents: int | None
    counts: tuple[int, ...] | None
    note: str


@dataclass(frozen=True)
class QuestionSeries:
    key: str
    name: str
    legend: str
    bands: tuple[str, ...]
    weeks: tuple[BandWeek, ...]


@dataclass(frozen=True)
class MonthRow:
    month: str
    label: str
    rounds: int
    paired: int
    respondents: int | None
    met: int | None
    not_yet: int | None
    couldnt: int | None
    note: str


@dataclass(frozen=True)
class HelpfulItem:
    """A library entry the group can see, with its helpful count as members see it."""

    title: str
    url: str
    helpful: int


@dataclass(frozen=True)
class GroupFigures:
    group_id: int
    name: str
    k: int
    weeks: tuple[WeekRow, ...]
    questions: tuple[QuestionSeries, ...]
    months: tuple[MonthRow, ...]
    helpful: tuple[HelpfulItem, ...] = ()
    sessions: SessionsFigures | None = None


def week_label(monday: date) -> str:
    return f"{monday.day} {calendar.month_abbr[monday.month]}"  # a calendar week, no zone


def _week_row(week: Week, k: int) -> WeekRow:
    label = week_label(week.monday)
    if week.respondents < k:
        return WeekRow(week.period, label, None, None, None)
    return WeekRow(week.period, label, week.prompted, week.respondents,
                   round(100 * week.respondents / max(week.prompted, 1)))


def _series(ctx: AppContext, weeks: list[Week], k: int) -> list[QuestionSeries]:
    questions = all_questions(ctx.settings)
    keys: list[str] = []
    for week in weeks:
        keys += [q.key for q in week.questions if q.key not in keys]
    order = list(questions)
    keys.sort(key=lambda key: (order.index(key) if key in order else 99, key))
    found = []
    for key in keys:
        question = questions.get(key)
        labels: tuple[str, ...] = tuple(b.label for b in bands(question)) if question else ()
        rows = []
        for week in weeks:
            figure = week.figure(key)
            label = week_label(week.monday)
            if figure is None or week.respondents < k or figure.verdict is not Verdict.SHOWN:
                verdict = figure.verdict if figure is not None else Verdict.FEW
                rows.append(BandWeek(week.period, label, None, None,
                                     _note(Verdict.FEW if week.respondents < k else verdict)))
                continue
            if not labels:
                labels = tuple(b.label for b in figure.bands)
            by_label = {b.label: b.count for b in figure.bands}
            rows.append(BandWeek(week.period, label, figure.respondents,
                                 tuple(by_label.get(name, 0) for name in labels), ""))
        name = short_name(question) if question else key.replace("_", " ").capitalize()
        legend = harder_end(question) if question else ""
        found.append(QuestionSeries(key, name, legend, labels, tuple(rows)))
    return found


def _month_row(figures: MonthFigures) -> MonthRow:
    year, month = figures.month.split("-")
    label = f"{calendar.month_abbr[int(month)]} {year}"
    shown = figures.verdict is Verdict.SHOWN
    return MonthRow(
        figures.month, label, figures.rounds, figures.paired,
        figures.respondents if figures.verdict is not Verdict.FEW else None,
        figures.met if shown else None, figures.not_yet if shown else None,
        figures.couldnt if shown else None, _note(figures.verdict))


def _months(ctx: AppContext, group: Group) -> list[MonthRow]:
    """Settled months with rounds, oldest first, frozen on first read as in chat."""
    service = Participation(ctx)
    return [_month_row(service.month(group.workspace_id, group.id, first))
            for first in service.settled_months(group.workspace_id, group.id, MONTHS + 1)]


def _helpful(ctx: AppContext, group: Group) -> list[HelpfulItem]:
    """The most helpful of what the group's members can see (theirs and the workspace's),
    only from the count members see on the library (:attr:`Resource.helpful_shown`): a
    count below it could point at one or two people. Never who shared or who voted."""
    page = Library(ctx.db, ctx.clock).find(group.workspace_id, [group.id], Query(), 0,
                                           HELPFUL_SCAN)
    shown = [r for r in page.items if r.helpful_shown is not None]
    shown.sort(key=lambda r: (-r.votes, r.title.lower()))
    return [HelpfulItem(r.title, r.url, r.votes) for r in shown[:HELPFUL_TOP]]


def group_figures(ctx: AppContext, group: Group, zone: str = "UTC") -> GroupFigures:
    """Every figure of the group's page (freezing any closed week or settled month that
    nobody has looked at yet, exactly as `/peer pulse` would); times in ``zone``."""
    pulse = PulseService(ctx.db, ctx.clock, ctx.settings)
    weeks = pulse.closed_weeks(group, WEEKS)
    k = pulse.k
    return GroupFigures(group.id, group.name, k, tuple(_week_row(w, k) for w in weeks),
                        tuple(_series(ctx, weeks, k)), tuple(_months(ctx, group)),
                        tuple(_helpful(ctx, group)), sessions_figures(ctx, group, zone))
