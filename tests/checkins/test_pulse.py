"""The group pulse: whole closed weeks only, nothing under k, frozen so views never differ."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.privacy.erasure import PrivacyService
from tests.support.world import WS, World, answer_buttons, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
K5 = {"groups": [{"name": "Circle", "facilitators": ["fran"]}], "pulse": {"min_group_size": 5}}


async def week_of_answers(world, users, burnout=2, moods="4"):
    await answer_week(world, {u: (moods[i % len(moods)], str(burnout))
                              for i, u in enumerate(users)})


async def answer_week(world, answers: dict[str, tuple[str | None, str | None]]):
    """Monday's prompts go out; each user taps (mood, burnout), None for no tap."""
    await world.wait(timedelta(hours=1, minutes=1))
    for user, (mood, burnout) in answers.items():
        buttons = answer_buttons(world.messenger.to(user)[-1])
        if mood:
            await world.press(user, buttons[("mood", mood)])
        if burnout:
            await world.press(user, buttons[("burnout", burnout)])


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
    assert "Mood (5 answered): 1–2: 0 · 3: 3 · 4–5: 2" in out
    assert "(1 = Very low … 5 = Very good)" in out
    assert "Trend over the last" in out
    assert "3 · Okay" not in out and "4 · Good" not in out  # bands, never exact answers


async def test_a_question_everyone_answered_alike_is_withheld(world):
    await week_of_answers(world, ["a", "b", "c", "d", "e"], burnout=2, moods="34")
    await world.wait(timedelta(days=10))
    out = text_of(await world.command("fran", "pulse"))
    assert "Burnout: withheld: nearly everyone gave a similar answer" in out
    assert "Occasionally stressed" not in out  # the shared answer is never named
    assert "Burnout (" not in out


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


async def test_the_issue_example_one_different_answer_reveals_nobody(world):
    """Five answer mood 2 / burnout 4, the facilitator mood 5 / burnout 1.

    The old pulse showed "Mood: 2 · Low: 5, 5 · Very good: 1" and fran, knowing her own
    answer, knew all five. Now each question has one band holding all but one answer, so
    both are withheld, and nothing names a band or a count of it.
    """
    answers = {u: ("2", "4") for u in ("a", "b", "c", "d", "e")} | {"fran": ("5", "1")}
    await answer_week(world, answers)
    await world.wait(timedelta(days=10))
    out = text_of(await world.command("fran", "pulse"))
    assert "Response rate: 6 of 7 (86%)" in out
    assert "Mood: withheld: nearly everyone gave a similar answer" in out
    assert "Burnout: withheld: nearly everyone gave a similar answer" in out
    for leak in ("Low", "Very good", ": 5", ": 1 ", "1–2:", "4–5:", "answered)"):
        assert leak not in out


async def test_two_different_answers_besides_the_viewers_are_shown_in_bands(world):
    answers = {"a": ("1", "5"), "b": ("2", "4"), "c": ("2", "4"), "d": ("4", "2"),
               "e": ("3", "3"), "fran": ("5", "1")}
    await answer_week(world, answers)
    await world.wait(timedelta(days=10))
    out = text_of(await world.command("fran", "pulse"))
    assert "Mood (6 answered): 1–2: 3 · 3: 1 · 4–5: 2" in out
    assert "Burnout (6 answered): 1–2: 2 · 3: 1 · 4–5: 3" in out


async def test_k_applies_per_question_not_per_week(world):
    """Everyone answered mood; only two answered burnout: no burnout figure from two."""
    answers = {"a": ("1", "5"), "b": ("2", "4"), "c": ("3", None), "d": ("4", None),
               "e": ("5", None)}
    await answer_week(world, answers)
    await world.wait(timedelta(days=10))
    out = text_of(await world.command("fran", "pulse"))
    assert "Mood (5 answered)" in out
    assert "Burnout: withheld: fewer than 5 members answered it" in out
    assert "Burnout (" not in out and "2 answered" not in out
    stored = world.db.execute(
        "SELECT respondents, verdict FROM checkin_pulse_questions WHERE question_key = 'burnout'"
    ).fetchall()
    assert stored == [(0, "few")]  # not even the sub-k count is kept
    assert world.db.execute(
        "SELECT count(*) FROM checkin_pulse_bands WHERE question_key = 'burnout'"
    ).fetchone() == (0,)


async def test_a_week_frozen_before_bands_is_converted_once_and_its_raw_counts_dropped(world):
    """Weeks frozen as raw counts by an older version are decided under the new rules."""
    await week_of_answers(world, ["a", "b", "c", "d", "e"])
    await world.wait(timedelta(days=10))
    period = "2026-01-05"
    db = world.db
    db.execute("INSERT INTO checkin_pulse_periods (workspace_id, group_id, period, prompted,"
               " respondents, frozen_at) VALUES (?, ?, ?, 7, 5, '2026-01-14')",
               [WS, world.group.id, period])
    for key, value, count in (("mood", 2, 4), ("mood", 5, 1), ("burnout", 1, 2),
                              ("burnout", 3, 1), ("burnout", 5, 2)):
        db.execute("INSERT INTO checkin_pulse_counts (workspace_id, group_id, period,"
                   " question_key, value, count) VALUES (?, ?, ?, ?, ?, ?)",
                   [WS, world.group.id, period, key, value, count])
    first = text_of(await world.command("fran", "pulse"))
    assert "Mood: withheld: nearly everyone" in first  # 4 of 5 in 1-2 would reveal
    assert "Burnout (5 answered): 1–2: 2 · 3: 1 · 4–5: 2" in first
    assert db.execute("SELECT count(*) FROM checkin_pulse_counts").fetchone() == (0,)
    assert text_of(await world.command("fran", "pulse")) == first
