"""Members of several groups are never silently dropped by the second group."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.model import plain_text
from tests.support.world import WS, World, answer_buttons

GROUPS = [{"name": "Circle", "facilitators": ["fran"]},
          {"name": "Night Shift", "facilitators": ["nia"],
           "checkins": {"days": ["mon"], "time": "10:00"}}]


@pytest.fixture
def world(tmp_path):
    w = World.checkins(tmp_path, config={"groups": GROUPS})
    night = w.ctx.members.group_by_name(WS, "Night Shift")
    w.night = night
    for name in ("alice", "bob"):
        w.add(name)
        w.ctx.members.join_group(WS, night.id, name)
        w.ctx.members.set_hold(WS, night.id, name, None)  # as after agreeing
    w.add("carol")  # Circle only
    return w


def prompts(world, user):
    return [m for m in world.messenger.to(user) if "Time for your check-in" in plain_text(m)]


def counted(world, user):
    """(local date, group name) for every group each of the user's prompts counts for."""
    return world.db.execute(
        "SELECT v.local_date, g.name FROM checkin_prompts_by_group v JOIN peer_groups g"
        " ON g.id = v.group_id WHERE v.user_id = ? ORDER BY v.local_date, g.name", [user],
    ).fetchall()


async def test_one_prompt_names_both_groups_and_counts_in_each(world):
    """One prompt covers both groups (it is *for* each); its answers count in one pulse
    (tests/checkins/test_overlapping_groups.py)."""
    await world.wait(timedelta(hours=3))  # Monday 09:00 Circle, 10:00 Night Shift
    [prompt] = prompts(world, "alice")
    text = plain_text(prompt)
    assert "*Circle* and *Night Shift*" in text
    assert "count in one group's pulse a week, never in two" in text
    assert counted(world, "alice") == [("2026-01-05", "Circle"), ("2026-01-05", "Night Shift")]
    [only] = prompts(world, "carol")
    assert "for *Circle*." in plain_text(only)


async def test_the_answer_counts_in_one_groups_pulse_only(world):
    """Counted in the group that opened the week's first prompt, never in both: a
    facilitator of both groups could otherwise difference the two pulses."""
    await world.wait(timedelta(hours=3))
    value = answer_buttons(prompts(world, "alice")[0])[("burnout", "2")]
    await world.press("alice", value)
    rows = world.db.execute(
        "SELECT g.name, a.value FROM checkin_answers a JOIN checkin_prompts_counted v"
        " ON v.id = a.prompt_id JOIN peer_groups g ON g.id = v.group_id"
        " WHERE v.user_id = 'alice' AND a.question_key = 'burnout' ORDER BY g.name").fetchall()
    assert rows == [("Circle", 2)]


async def test_the_second_group_is_not_dropped_on_days_only_it_prompts(tmp_path):
    groups = [{"name": "Circle", "facilitators": ["fran"], "checkins": {"days": ["thu"]}},
              {"name": "Night Shift", "checkins": {"days": ["mon"], "time": "10:00"}}]
    w = World.checkins(tmp_path, config={"groups": groups})
    w.add("alice")
    night = w.ctx.members.group_by_name(WS, "Night Shift")
    w.ctx.members.join_group(WS, night.id, "alice")
    w.ctx.members.set_hold(WS, night.id, "alice", None)  # as after agreeing
    await w.wait(timedelta(days=4))
    assert [name for _, name in counted(w, "alice")] == ["Night Shift", "Circle"]


async def test_separate_gives_one_prompt_per_group(world):
    out = await world.say("alice", "checkin groups separate")
    assert "Saved." in out and "Each group sends its own check-in" in out
    await world.wait(timedelta(hours=3))
    texts = [plain_text(m) for m in prompts(world, "alice")]
    assert len(texts) == 2
    assert "for *Circle*." in texts[0] and "for *Night Shift*." in texts[1]
    assert len(prompts(world, "bob")) == 1  # bob kept the default


async def test_a_later_group_joins_the_open_prompt_of_the_day(tmp_path):
    groups = [{"name": "Circle", "facilitators": ["fran"]},
              {"name": "Late", "checkins": {"days": ["mon"], "time": "15:00"}}]
    w = World.checkins(tmp_path, config={"groups": groups})
    w.add("alice")
    await w.wait(timedelta(hours=2))  # 10:00: Circle's 09:00 prompt is open
    late = w.ctx.members.group_by_name(WS, "Late")
    w.ctx.members.join_group(WS, late.id, "alice")  # joins Late after that prompt opened
    w.ctx.members.set_hold(WS, late.id, "alice", None)  # as after agreeing
    await w.wait(timedelta(hours=6))  # Late's 15:00 comes: no second prompt, counted in both
    assert len(prompts(w, "alice")) == 1
    assert [name for _, name in counted(w, "alice")] == ["Circle", "Late"]


async def test_the_member_sees_their_groups_and_the_choice(world):
    out = await world.say("alice", "checkin groups")
    assert "*Circle*: Mon, Thu at 09:00" in out and "*Night Shift*: Mon at 10:00" in out
    assert "you get *one* check-in" in out and "/peer checkin groups separate" in out


@pytest.mark.parametrize("text", ["checkin groups both", "checkin groups separate now"])
async def test_bad_input_is_refused_and_changes_nothing(world, text):
    out = await world.say("alice", text)
    assert "Nothing was changed" in out
    assert world.db.execute("SELECT count(*) FROM checkin_prefs WHERE groups_mode IS NOT NULL"
                            ).fetchone() == (0,)


async def test_the_prompt_updated_in_place_still_names_every_group(world):
    await world.wait(timedelta(hours=3))
    [prompt] = prompts(world, "alice")
    shown = await world.answer("alice", answer_buttons(prompt)[("mood", "4")])
    assert "*Circle* and *Night Shift*" in shown and "Thanks, noted: mood Good." in shown
    assert len(prompts(world, "alice")) == 1 and len(world.messenger.edits) == 1
