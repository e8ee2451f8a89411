"""Support follows distress on every question set (issue 12 D).

Each question declares which end is concerning; the warm reply, the buddy's ``two-low``
trigger and the history legend read it. The warm reply never says something untrue
about who has been told.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.checkins.questions import DEFAULT_SET, concerning_values
from bot.core.config import ConfigError, Settings, parse_config
from bot.core.model import plain_text
from tests.checkins.test_buddy import ask_and_accept, nudges
from tests.support.world import World, answer_buttons, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
WARM = "Thank you for being honest"
ENERGY = {"key": "energy", "text": "How much energy do you have left?", "concerning": "low",
          "options": [{"label": "None", "value": 1}, {"label": "Little", "value": 2},
                      {"label": "Some", "value": 3}, {"label": "Plenty", "value": 4}]}
STRESS = {"key": "stress", "text": "How stressed are you?", "concerning": "high",
          "concerning_from": 4,
          "options": [{"label": f"{v}", "value": v} for v in range(1, 6)]}
SHIFTS = {"key": "shifts", "text": "How many night shifts this week?", "concerning": "neither",
          "options": [{"label": f"{v}", "value": v} for v in range(0, 4)]}


def custom(*questions) -> dict:
    return {"question_sets": [{"name": "custom", "questions": list(questions)}],
            "groups": [{"name": "Circle", "facilitators": ["fran"],
                        "checkins": {"question_set": "custom"}}]}


async def answered(w: World, user: str, key: str, label_or_value: str) -> str:
    prompt = w.messenger.to(user)[-1]
    buttons = answer_buttons(prompt)
    if (key, label_or_value) not in buttons:  # a label: find its value
        options = {q["key"]: q for q in (ENERGY, STRESS, SHIFTS)}[key]["options"]
        label_or_value = str(next(o["value"] for o in options if o["label"] == label_or_value))
    return await w.answer(user, buttons[(key, label_or_value)])


async def world_with(tmp_path, config=None) -> World:
    w = World.checkins(tmp_path, MONDAY_8, config)
    for name in ("alice", "bob"):
        w.add(name)
    w.add("fran", facilitator=True)
    await w.wait(timedelta(hours=1, minutes=1))
    return w


async def test_plenty_of_energy_is_just_noted_and_none_gets_the_warm_reply(tmp_path):
    w = await world_with(tmp_path, custom(ENERGY))
    plenty = await answered(w, "alice", "energy", "Plenty")
    assert plenty.startswith("Time for your check-in") and "noted: energy Plenty." in plenty
    assert WARM not in plenty and "Samaritans" not in plenty
    none = await answered(w, "alice", "energy", "None")
    assert "Thanks, noted: energy None." in none
    assert WARM in none and "Samaritans" in none  # alice's (GB) crisis card
    little = await answered(w, "bob", "energy", "Little")  # 4 options: only the very end
    assert WARM not in little


async def test_very_low_mood_gets_the_warm_reply_not_only_noted(tmp_path):
    w = await world_with(tmp_path)
    very_low = await answered(w, "alice", "mood", "1")
    assert "Thanks, noted: mood Very low." in very_low
    assert WARM in very_low and "nobody else has been told anything" in very_low
    assert WARM in await answered(w, "bob", "mood", "2")
    assert WARM not in await answered(w, "bob", "mood", "3")
    assert WARM not in await answered(w, "bob", "burnout", "1")  # the good end of burnout
    assert WARM in await answered(w, "bob", "burnout", "4")


async def test_a_high_end_question_and_its_own_threshold(tmp_path):
    w = await world_with(tmp_path, custom(STRESS, SHIFTS))
    assert WARM not in await answered(w, "alice", "stress", "1")
    assert WARM not in await answered(w, "alice", "stress", "3")
    assert WARM in await answered(w, "alice", "stress", "4")
    for value in ("0", "3"):  # neither end is concerning
        assert WARM not in await answered(w, "bob", "shifts", value)


async def test_two_hard_check_ins_nudge_the_buddy_and_the_reply_says_so(tmp_path):
    w = await world_with(tmp_path, custom(ENERGY))
    await ask_and_accept(w, "two-low")
    first = await answered(w, "alice", "energy", "None")
    assert "nobody else has been told anything" in first
    assert "only after two hard check-ins in a row" in first
    await w.drain()
    assert nudges(w) == []
    await w.wait(timedelta(days=3))  # Thursday's prompt
    second = await answered(w, "alice", "energy", "None")
    assert "bob gets a short nudge to check in on you" in second
    assert "nobody else has been told" not in second.split("bob gets")[0]  # never untrue
    await w.drain()
    [nudge] = nudges(w)
    assert "None" not in plain_text(nudge) and "energy" not in plain_text(nudge).lower()


async def test_plenty_twice_never_nudges_the_buddy(tmp_path):
    w = await world_with(tmp_path, custom(ENERGY))
    await ask_and_accept(w, "two-low")
    await answered(w, "alice", "energy", "Plenty")
    await w.wait(timedelta(days=3))
    await answered(w, "alice", "energy", "Plenty")
    await w.drain()
    assert nudges(w) == []


async def test_two_very_low_moods_nudge_the_buddy_on_the_default_set(tmp_path):
    w = await world_with(tmp_path)
    await ask_and_accept(w, "two-low")
    await answered(w, "alice", "mood", "1")
    await w.wait(timedelta(days=3))
    assert "bob gets a short nudge" in await answered(w, "alice", "mood", "1")
    await w.drain()
    assert len(nudges(w)) == 1


async def test_the_history_legend_says_which_end_is_harder(tmp_path):
    w = await world_with(tmp_path, custom(ENERGY))
    await answered(w, "alice", "energy", "Some")
    out = text_of(await w.command("alice", "checkin history"))
    assert "Energy: lower is harder." in out and "burned out" not in out
    (tmp_path / "default").mkdir()
    w2 = await world_with(tmp_path / "default")
    await answered(w2, "alice", "mood", "3")
    await answered(w2, "alice", "burnout", "2")
    out = text_of(await w2.command("alice", "checkin history"))
    assert "Mood: lower is harder." in out and "Burnout: higher is harder." in out


def test_the_built_in_set_declares_its_ends():
    mood, burnout = DEFAULT_SET.questions
    settings = Settings()
    assert concerning_values(mood, settings) == {1, 2}
    assert concerning_values(burnout, settings) == {4, 5}
    strict = parse_config({"pulse": {"low_score_threshold": 3}})
    assert concerning_values(burnout, strict) == {3, 4, 5}


@pytest.mark.parametrize(("change", "message"), [
    ({"concerning": None}, "missing key 'question_sets[0].questions[0].concerning'"),
    ({"concerning": "bad"}, "concerning"),
    ({"concerning_from": 9}, "concerning_from must be one of the option values [1, 2, 3, 4]"),
    ({"concerning": "neither", "concerning_from": 1}, "concerning_from needs concerning"),
    ({"options": [{"label": "A", "value": 1}, {"label": "B", "value": 1}]},
     "each option of a question needs its own value"),
])
def test_a_question_without_a_valid_concerning_end_is_refused(change, message):
    question = {k: v for k, v in (ENERGY | change).items() if v is not None}
    with pytest.raises(ConfigError) as raised:
        parse_config(custom(question))
    assert message in str(raised.value)
