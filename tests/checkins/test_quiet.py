"""People who stop answering are slowed down, told once, and never pinged forever."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.model import plain_text
from tests.support.world import World, answer_buttons

SLOWED = "Your check-ins will come less often for now."


def world_with(tmp_path, slow_after=4):
    w = World.checkins(tmp_path, config={"groups": [
        {"name": "Circle", "facilitators": ["fran"],
         "checkins": {"slow_after_unanswered": slow_after}}]})
    w.add("alice")
    w.add("bob")
    return w


def received(world, user):
    return world.messenger.to(user)


def prompts_to(world, user):
    return [m for m in received(world, user) if "Time for your check-in" in plain_text(m)]


def reminders_to(world, user):
    return [m for m in received(world, user) if "A gentle reminder" in plain_text(m)]


def kind_notes(world, user):
    return [m for m in received(world, user) if m.fallback == SLOWED]


async def test_after_four_unanswered_prompts_weekly_no_reminders_and_one_kind_note(tmp_path):
    w = world_with(tmp_path)
    await w.wait(timedelta(days=14))  # mon, thu x2: four prompts, all unanswered
    assert len(prompts_to(w, "alice")) == 4 and len(reminders_to(w, "alice")) == 4
    [note] = kind_notes(w, "alice")
    text = plain_text(note)
    assert "/peer checkin" in text and "/peer checkin pause 4w" in text
    assert "group leave Circle" in text
    before = len(received(w, "alice"))
    await w.wait(timedelta(days=14))
    later = received(w, "alice")[before:]
    assert len([m for m in later if "Time for your check-in" in plain_text(m)]) == 2  # weekly
    assert [m for m in later if "A gentle reminder" in plain_text(m)] == []
    assert len(kind_notes(w, "alice")) == 1


async def test_sixteen_months_of_silence_are_not_hundreds_of_prompts(tmp_path):
    w = world_with(tmp_path)
    for _ in range(16):
        await w.wait(timedelta(days=30))
    to_alice = received(w, "alice")
    # Unslowed: 138 prompts and 138 reminders (Mon and Thu for 480 days).
    assert len(prompts_to(w, "alice")) + len(reminders_to(w, "alice")) <= 30, len(to_alice)
    assert len(to_alice) <= 31
    assert len(kind_notes(w, "alice")) == 1


async def test_answering_brings_the_usual_rhythm_back(tmp_path):
    w = world_with(tmp_path)
    await w.wait(timedelta(days=14))
    assert len(kind_notes(w, "alice")) == 1
    replies = await w.command("alice", "checkin")  # resume: start one now and answer it
    value = next(iter(answer_buttons(replies[0].message).values()))
    await w.press("alice", value)
    before = len(prompts_to(w, "alice"))
    await w.wait(timedelta(days=7, hours=2))  # today's was the one she answered
    assert len(prompts_to(w, "alice")) - before == 2  # thu and mon again


async def test_zero_means_never_slow_down(tmp_path):
    w = world_with(tmp_path, slow_after=0)
    await w.wait(timedelta(days=28))
    assert len(prompts_to(w, "alice")) == 8 and kind_notes(w, "alice") == []
    assert len(reminders_to(w, "alice")) == 8


async def test_others_who_answer_are_not_slowed(tmp_path):
    w = world_with(tmp_path)
    for _ in range(8):
        await w.wait(timedelta(days=3, hours=12))
        for msg in prompts_to(w, "bob")[-1:]:
            buttons = answer_buttons(msg)
            if buttons:
                await w.press("bob", next(iter(buttons.values())))
    assert len(prompts_to(w, "bob")) >= 8 and kind_notes(w, "bob") == []


@pytest.mark.parametrize("value", [-1, 53])
def test_the_setting_is_validated(value):
    from bot.core.config import ConfigError, parse_config

    with pytest.raises(ConfigError):
        parse_config({"groups": [{"name": "C", "checkins": {"slow_after_unanswered": value}}]})
