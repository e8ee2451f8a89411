"""Two overlapping groups, one facilitator: the two pulses cannot be differenced.

The attack (issue 12, left by the first session): Circle is Night Shift plus one member,
m. If every answer counted in each of the member's groups, the facilitator of both
would subtract Night Shift's bands from Circle's and read m's band, though each pulse
alone passes k and dominance. The rule now: one member, one group per week (the group
of their first prompt that week; docs/privacy.md, rule A). Two layers of attack:

* the rule: a brute-force viewer of both pulses (tests/support/pulse_attack.py) over
  any membership of up to six others in group 1, group 2 or both, any placement, the
  viewer answering in either group or not, any k: nobody is ever pinned to a band; the
  same viewer pins people under the old "each group" rule;
* the real service: weeks answered through the real buttons in both modes (together,
  separate with the same answer twice), viewed by the facilitator of both groups: no
  answer counts in two pulses, and the brute-force viewer learns nothing from them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.checkins.pulse import PulseService
from bot.checkins.questions import DEFAULT_SET
from bot.core.config import Question, QuestionOption
from tests.support.pulse_attack import each_group, overlap_attack
from tests.support.world import WS, World, answer_buttons, text_of

MOOD, BURNOUT = DEFAULT_SET.questions
MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


@st.composite
def overlaps(draw):
    if draw(st.booleans()):
        question, most = draw(st.sampled_from([MOOD, BURNOUT])), 5
    else:
        size = draw(st.integers(2, 4))
        question = Question(key="q", text="?", concerning="low", options=[
            QuestionOption(label=f"opt {v}", value=v) for v in range(1, size + 1)])
        most = 6 if size <= 3 else 5
    members = draw(st.lists(st.sampled_from(["1", "2", "both"]), min_size=1, max_size=most))
    placements = [m if m != "both" else draw(st.sampled_from(["1", "2"])) for m in members]
    values = [o.value for o in question.options]
    own = draw(st.none() | st.sampled_from(values))
    return question, members, placements, own, draw(st.sampled_from(["1", "2"])), \
        draw(st.integers(3, 5))


@settings(max_examples=120, deadline=None)
@given(overlaps())
def test_no_pair_of_pulses_pins_anyone_when_each_member_counts_in_one_group(case):
    question, members, placements, own, own_place, k = case
    outcome = overlap_attack(question, members, placements, own, own_place, k)
    assert outcome.revealed == 0, case


def test_the_attacker_has_teeth_when_an_answer_counts_in_both_groups():
    """Circle = Night Shift + m: under the old rule the difference is m's band."""
    members = ["both"] * 4 + ["1"]
    old = overlap_attack(MOOD, members, [each_group(m) for m in members], None, "1", 3)
    assert old.revealed > 0
    new = overlap_attack(MOOD, members, ["1"] * 4 + ["1"], None, "1", 3)
    assert new.revealed == 0


# ---- through the real service ------------------------------------------------------------

NIGHT_FIRST = {"days": ["mon"], "time": "08:30"}  # before Circle's 09:00


def world_of(tmp_path, night_checkins, k=3) -> World:
    config = {"groups": [{"name": "Circle", "facilitators": ["fran"]},
                         {"name": "Night Shift", "facilitators": ["fran"],
                          "checkins": night_checkins}],
              "pulse": {"min_group_size": k}}
    w = World.checkins(tmp_path, MONDAY_8, config)
    w.add("fran", facilitator=True)
    night = w.ctx.members.group_by_name(WS, "Night Shift")
    w.night = night
    w.ctx.members.join_group(WS, night.id, "fran", facilitator=True)
    w.ctx.members.set_hold(WS, night.id, "fran", None)
    for name in ("a", "b", "c", "d", "e", "m"):
        w.add(name)
        if name != "m":  # Night Shift is Circle without m
            w.ctx.members.join_group(WS, night.id, name)
            w.ctx.members.set_hold(WS, night.id, name, None)  # as after agreeing
    return w


MOODS = {"a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "m": "5"}


async def answer_all(w, *, separate: bool) -> None:
    if separate:
        for name in MOODS:
            await w.say(name, "checkin groups separate")
    await w.wait(timedelta(hours=3))  # 08:30, 09:00 and 10:00 have passed
    for name, mood in MOODS.items():
        for prompt in [m for m in w.messenger.to(name) if answer_buttons(m)]:
            await w.press(name, answer_buttons(prompt)[("mood", mood)])  # the same twice
    await w.wait(timedelta(days=10))


def respondents(w, group) -> int:
    weeks = PulseService(w.db, w.clock, w.settings).closed_weeks(group)
    return weeks[-1].respondents if weeks else 0


def placement(w, user: str) -> str:
    """Which pulse counts the user's answers, read from the store."""
    rows = w.db.execute("SELECT DISTINCT group_id FROM checkin_prompts_counted v"
                        " JOIN checkin_answers a ON a.prompt_id = v.id WHERE v.user_id = ?",
                        [user]).fetchall()
    assert len(rows) == 1, (user, rows)  # never in two pulses
    return "1" if rows[0][0] == w.group.id else "2"


@pytest.mark.parametrize("separate", [False, True])
@pytest.mark.parametrize("night", [{"days": ["mon"], "time": "10:00"}, NIGHT_FIRST])
async def test_the_facilitator_of_both_cannot_difference_real_pulses(tmp_path, separate, night):
    w = world_of(tmp_path, night)
    await answer_all(w, separate=separate)
    circle = text_of(await w.command("fran", "pulse group:Circle"))
    night_text = text_of(await w.command("fran", 'pulse group:"Night Shift"'))
    assert circle and night_text
    assert respondents(w, w.group) + respondents(w, w.night) == len(MOODS)
    members = ["both" if name != "m" else "1" for name in MOODS]
    placements = [placement(w, name) for name in MOODS]
    outcome = overlap_attack(MOOD, members, placements, None, "1", 3)
    assert outcome.revealed == 0
    # The same answers under the old rule (each answer in each of its groups): m exposed.
    old = overlap_attack(MOOD, members, [each_group(x) for x in members], None, "1", 3)
    assert old.revealed > 0


async def test_the_member_sees_which_group_counts_them_this_week(tmp_path):
    w = world_of(tmp_path, NIGHT_FIRST)
    await w.wait(timedelta(hours=3))
    out = await w.say("a", "checkin groups")
    assert "count in *one* group's pulse a week" in out and "This week: *Night Shift*." in out
    out = await w.say("m", "checkin groups")
    assert "This week: *Circle*." in out
