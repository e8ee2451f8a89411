"""The group pulse: whole closed weeks only, nothing under k, frozen so views never differ."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.privacy.erasure import PrivacyService
from tests.support.world import WS, World, answer_buttons, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
K5 = {"groups": [{"name": "Circle", "facilitators": ["fran"]}], "pulse": {"min_group_size": 5}}


async def week_of_answers(world, users, burnout=2, moods="4"):
    await world.wait(timedelta(hours=1, minutes=1))  # Monday's prompts go out
    for i, user in enumerate(users):
        buttons = answer_buttons(world.messenger.to(user)[-1])
        await world.press(user, buttons[("mood", moods[i % len(moods)])])
        await world.press(user, buttons[("burnout", str(burnout))])


@pytest.fixture
def world(tmp_path):
    w = World.checkins(tmp_path, MONDAY_8, K5)
    w.add("fran", facilitator=True)
    for name in ("a", "b", "c", "d", "e", "f"):
        w.add(name)
    return w


async def test_members_cannot_see_the_pulse(world):
    out = text_of(await world.command("a", "pulse"))
    assert "is for facilitators" in out


async def test_no_live_partial_counts_while_the_week_is_open(world):
    await week_of_answers(world, ["a", "b", "c", "d", "e"])
    out = text_of(await world.command("fran", "pulse"))
    assert "No week has closed yet" in out
    assert "%" not in out


async def test_a_closed_week_with_k_respondents_shows_rate_distribution_trend(world):
    await week_of_answers(world, ["a", "b", "c", "d", "e"], moods="34")
    await world.wait(timedelta(days=10))
    out = text_of(await world.command("fran", "pulse"))
    assert "Response rate: 5 of 7 (71%)" in out
    assert "Mood: 3 · Okay: 3, 4 · Good: 2" in out
    assert "Trend over the last" in out


async def test_a_question_everyone_answered_alike_is_withheld(world):
    await week_of_answers(world, ["a", "b", "c", "d", "e"], burnout=2, moods="34")
    await world.wait(timedelta(days=10))
    out = text_of(await world.command("fran", "pulse"))
    assert "Burnout: withheld: everyone gave the same answer" in out
    assert "Occasionally stressed" not in out  # the shared answer is never named


async def test_below_k_says_so_and_nothing_else(world):
    await week_of_answers(world, ["a", "b", "c", "d"])
    await world.wait(timedelta(days=10))
    out = text_of(await world.command("fran", "pulse"))
    assert "Fewer than 5 members answered" in out
    for leak in ("%", "Mood", "Burnout", "of 7"):
        assert leak not in out


async def test_a_shown_week_never_changes_so_views_cannot_be_differenced(world):
    await week_of_answers(world, ["a", "b", "c", "d", "e"])
    await world.wait(timedelta(days=10))
    first = text_of(await world.command("fran", "pulse"))
    router = world.core.router
    PrivacyService(world.db, world.clock, router.data_owners).erase(WS, "a")  # forget-me
    second = text_of(await world.command("fran", "pulse"))
    assert first == second


async def test_a_facilitator_of_another_group_is_refused(tmp_path):
    cfg = {"groups": [{"name": "Circle"}, {"name": "Other", "facilitators": ["olga"]}]}
    w = World.checkins(tmp_path, MONDAY_8, cfg)
    w.add("olga")
    other = w.ctx.members.group_by_name(WS, "Other")
    w.ctx.members.join_group(WS, other.id, "olga", facilitator=True)
    out = text_of(await w.command("olga", "pulse group:Circle"))
    assert "is for facilitators" in out
