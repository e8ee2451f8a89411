"""A member's own check-in history: weekly means as a unicode sparkline, plus a few numbers.

A sparkline is plain text, so it renders the same in Slack, Discord and a terminal.
Weeks without an answer show as a middle dot, so gaps are visible rather than hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlite_utils

from bot.checkins.prompts import stamp
from bot.checkins.questions import all_questions, short_name, value_range
from bot.core.config import Question, Settings
from bot.store.rows import convert, fetch_all

BARS = "▁▂▃▄▅▆▇█"
GAP = "·"


def sparkline(values: list[float | None], lo: float, hi: float) -> str:
    """One character per value, scaled to [lo, hi]; None becomes a gap dot."""
    chars = []
    for value in values:
        if value is None:
            chars.append(GAP)
            continue
        span = hi - lo or 1
        index = round((min(max(value, lo), hi) - lo) / span * (len(BARS) - 1))
        chars.append(BARS[index])
    return "".join(chars)


@dataclass(frozen=True)
class _Point:
    """One of the member's answers, with when its check-in opened."""

    question_key: str
    value: int
    opened_at: datetime = field(metadata=convert(datetime.fromisoformat))
    prompt_id: int


@dataclass(frozen=True)
class Series:
    key: str
    name: str
    line: str
    latest: int | None
    mean: float | None
    lo: int
    hi: int
    means: tuple[float | None, ...] = ()  # weekly averages behind ``line`` (None: no answer)


@dataclass(frozen=True)
class History:
    series: list[Series]
    prompted: int
    answered: int
    weeks: int


def weekly_buckets(now: datetime, weeks: int) -> list[tuple[datetime, datetime]]:
    """``weeks`` seven-day spans ending now, oldest first."""
    return [(now - timedelta(days=7 * (i + 1)), now - timedelta(days=7 * i))
            for i in reversed(range(weeks))]


def member_history(
    db: sqlite_utils.Database, settings: Settings, workspace_id: str, user_id: str,
    now: datetime, weeks: int = 8,
) -> History:
    start = now - timedelta(days=7 * weeks)
    prompts = db.execute(
        "SELECT id, opened_at FROM checkin_prompts WHERE workspace_id = ? AND user_id = ?"
        " AND opened_at >= ? AND opened_at <= ?",
        [workspace_id, user_id, stamp(start), stamp(now)],
    ).fetchall()
    rows = fetch_all(
        db, _Point,
        "SELECT a.question_key, a.value, p.opened_at, p.id AS prompt_id FROM checkin_answers a"
        " JOIN checkin_prompts p ON p.id = a.prompt_id WHERE p.workspace_id = ?"
        " AND p.user_id = ? AND p.opened_at >= ? AND p.opened_at <= ?"
        " ORDER BY p.opened_at, p.id",
        [workspace_id, user_id, stamp(start), stamp(now)],
    )
    answered = len({r.prompt_id for r in rows})
    questions = all_questions(settings)
    buckets = weekly_buckets(now, weeks)
    series: list[Series] = []
    for key in dict.fromkeys(r.question_key for r in rows):
        question: Question | None = questions.get(key)
        points = [(r.opened_at, r.value) for r in rows if r.question_key == key]
        lo, hi = value_range(question) if question else (
            min(v for _, v in points), max(v for _, v in points))
        means: list[float | None] = []
        for begin, end in buckets:
            inside = [v for at, v in points if begin < at <= end]
            means.append(sum(inside) / len(inside) if inside else None)
        values = [v for _, v in points]
        series.append(Series(
            key=key,
            name=short_name(question) if question else key,
            line=sparkline(means, lo, hi),
            latest=values[-1] if values else None,
            mean=sum(values) / len(values) if values else None,
            lo=lo,
            hi=hi,
            means=tuple(means),
        ))
    return History(series=series, prompted=len(prompts), answered=answered, weeks=weeks)


def describe(series: Series) -> str:
    """``Mood     ▃▄▅·▆▅▄▅  latest 4, average 3.9 (1-5)``."""
    numbers = f"latest {series.latest}, average {series.mean:.1f}" if series.mean else "no answers"
    return f"{series.name}: `{series.line}`  {numbers} ({series.lo}-{series.hi})"
