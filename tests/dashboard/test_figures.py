"""The dashboard shows the pulse chat shows: the same frozen weeks, never recomputed.

Week 1: five members answer, moods spread (shown in bands); week 2: two answer (below
k = 3: "not enough answers", never 0). Whichever of chat and the dashboard looks first
freezes the week; the other shows the same, and later answers change neither.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.checkins.pulse import PulseService
from bot.core.disclosure import Verdict
from bot.dashboard.export_csv import group_csv
from bot.dashboard.figures import NOT_ENOUGH, TOO_ALIKE, group_figures
from bot.store.db import unit_of_work
from tests.support.dashboard import answer_week, dashboard_world, two_closed_weeks


@pytest.fixture
async def world(tmp_path):
    world = dashboard_world(tmp_path)
    await two_closed_weeks(world)
    return world


def figures(world):
    with unit_of_work(world.db):
        return group_figures(world.ctx, world.group)


async def test_a_shown_week_has_the_chat_pulses_figures(world):
    chat = await world.say("fran", "pulse group:Circle")
    f = figures(world)
    first, _ = f.weeks
    assert (first.prompted, first.respondents, first.rate) == (6, 5, 83)
    assert "Fewer than 3 members answered in the week of 12 Jan 2026" in chat  # week 2
    with unit_of_work(world.db):
        frozen = PulseService(world.db, world.clock, world.settings).week(world.group,
                                                                          date(2026, 1, 5))
    assert (frozen.prompted, frozen.respondents) == (6, 5)
    mood = next(s for s in f.questions if s.key == "mood")
    assert mood.bands == ("1–2", "3", "4–5")
    assert mood.weeks[0].counts == (1, 2, 2) and mood.weeks[0].respondents == 5


async def test_below_k_is_not_enough_answers_never_zero(world):
    f = figures(world)
    week = f.weeks[1]
    assert (week.prompted, week.respondents, week.rate) == (None, None, None)
    assert week.note == NOT_ENOUGH
    for series in f.questions:
        assert series.weeks[1].counts is None and series.weeks[1].note == NOT_ENOUGH
    rows = [line.split(",") for line in group_csv(f).splitlines()[1:]]
    second = [r for r in rows if r[2] == f.weeks[1].period]
    assert second and all(r[4] == "" and r[5] == NOT_ENOUGH for r in second)


async def test_dominance_reads_withheld_like_chat(world):
    f = figures(world)
    burnout = next(s for s in f.questions if s.key == "burnout")
    # burnout answers 2, 4, 2, 4, 3: bands 1-2: 2, 3: 1, 4-5: 2, shown
    assert burnout.weeks[0].counts == (2, 1, 2)
    assert TOO_ALIKE.startswith("withheld")


async def test_the_dashboard_freezes_what_chat_then_shows_and_late_answers_change_neither(
        tmp_path):
    world = dashboard_world(tmp_path)
    await answer_week(world, {"a": ("2", "2"), "b": ("3", "4"), "c": ("4", "2")})
    await world.wait(timedelta(days=10))
    before = figures(world)  # the dashboard looks first: this freezes the week
    # a late answer, written straight into the store (the prompt has closed)
    world.db.execute("UPDATE checkin_answers SET value = 5 WHERE question_key = 'mood'")
    world.db.conn.commit()
    assert figures(world) == before
    chat = await world.say("fran", "pulse group:Circle")
    mood = before.questions[0]
    assert mood.weeks[0].counts == (1, 1, 1)
    assert "Mood (3 answered): 1–2: 1 · 3: 1 · 4–5: 1" in chat


async def test_a_dominant_question_is_withheld_on_the_page(tmp_path):
    world = dashboard_world(tmp_path)
    await answer_week(world, {u: ("4", "2") for u in ("a", "b", "c", "d")} | {"e": ("1", "5")})
    await world.wait(timedelta(days=10))
    f = figures(world)
    for series in f.questions:
        assert series.weeks[0].counts is None and series.weeks[0].note == TOO_ALIKE
    assert f.weeks[0].rate == 83
    chat = await world.say("fran", "pulse group:Circle")
    assert "withheld: nearly everyone gave a similar answer" in chat
    assert Verdict.DOMINANT.value == "dominant"
