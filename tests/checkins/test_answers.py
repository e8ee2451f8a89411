"""Answering by button: one tap stores, a change updates, bad clicks store nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core import action_ids
from bot.core.model import Buttons, plain_text
from tests.support.world import World, answer_buttons, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


@pytest.fixture
async def world(tmp_path):
    w = World.checkins(tmp_path, MONDAY_8)
    w.add("alice", "Europe/London")
    w.add("bob", "Europe/London")
    await w.wait(timedelta(hours=1, minutes=1))
    return w


def stored(world, user="alice"):
    return world.db.execute(
        "SELECT a.question_key, a.value FROM checkin_answers a JOIN checkin_prompts p"
        " ON p.id = a.prompt_id WHERE p.user_id = ? ORDER BY a.question_key", [user]
    ).fetchall()


def alice_buttons(world):
    return answer_buttons(world.messenger.to("alice")[0])


async def updated(world, user, value):
    """Tap, deliver, and read the prompt as the member now sees it (edited in place)."""
    replies = await world.press(user, value)
    await world.drain()
    return replies, plain_text(world.messenger.current("ref-1"))


async def test_the_prompt_is_a_dm_with_one_tap_buttons(world):
    buttons = alice_buttons(world)
    assert {k for k, _ in buttons} == {"mood", "burnout"}
    assert sorted(v for k, v in buttons if k == "burnout") == ["1", "2", "3", "4", "5"]
    prompt = world.messenger.to("alice")[0]
    assert "I feel completely burned out" not in plain_text(prompt)  # one tap away
    about = [b.value for blk in prompt.blocks if isinstance(blk, Buttons) for b in blk.buttons
             if b.label == "About this question"]
    assert len(about) == 1
    assert "I feel completely burned out and often wonder" in await world.tap("alice", about[0])


async def test_tap_stores_and_updates_the_prompt_in_place_in_words(world):
    buttons = alice_buttons(world)
    replies, shown = await updated(world, "alice", buttons[("mood", "4")])
    assert replies == []  # no extra message: the prompt itself changes
    assert "Thanks, noted: mood Good. You can change it until Mon 05 Jan 21:00 GMT." in shown
    replies, shown = await updated(world, "alice", buttons[("burnout", "2")])
    assert "Thanks, noted: mood Good, burnout 2 of 5. That is everything." in shown
    assert "mood:" not in shown and "·" not in shown.split("Thanks")[1]  # never raw keys
    await updated(world, "alice", buttons[("mood", "2")])
    assert stored(world) == [("burnout", 2), ("mood", 2)]
    assert [r for r, _ in world.messenger.edits] == ["ref-1"] * 3
    assert len(world.messenger.to("alice")) == 1  # still one message


async def test_the_about_button_stays_after_answers(world):
    await updated(world, "alice", alice_buttons(world)[("burnout", "3")])
    edited = world.messenger.current("ref-1")
    labels = [b.label for blk in edited.blocks if isinstance(blk, Buttons) for b in blk.buttons]
    assert "About this question" in labels and "✓ 3 · Definitely burning out; some symptoms" \
        in labels


async def test_replayed_click_is_idempotent(world):
    value = alice_buttons(world)[("mood", "3")]
    await updated(world, "alice", value)
    _, again = await updated(world, "alice", value)
    assert "Thanks, noted: mood Okay." in again
    assert stored(world) == [("mood", 3)]


async def test_another_members_button_is_refused_and_nothing_stored(world):
    value = alice_buttons(world)[("mood", "1")]
    out = text_of(await world.press("bob", value))
    assert "belongs to someone else's check-in" in out
    assert stored(world, "alice") == [] and stored(world, "bob") == []


async def test_out_of_range_and_unknown_question_store_nothing(world):
    prompt_id = action_ids.decode(alice_buttons(world)[("mood", "1")]).args[0]
    for forged in (action_ids.encode("checkin.answer", prompt_id, "mood", 9),
                   action_ids.encode("checkin.answer", prompt_id, "salary", 3),
                   action_ids.encode("checkin.answer", prompt_id, "mood", "x"),
                   action_ids.encode("checkin.answer", 99999, "mood", 3)):
        out = text_of(await world.press("alice", forged))
        assert "Nothing was stored" in out or "nothing was stored" in out
    assert stored(world) == []


async def test_closed_prompt_says_so_and_stores_nothing(world):
    value = alice_buttons(world)[("mood", "4")]
    await world.wait(timedelta(hours=13))
    out = text_of(await world.press("alice", value))
    assert "This check-in closed on Mon 05 Jan 21:00" in out
    assert stored(world) == []


async def test_low_burnout_answer_gets_private_support_card_and_partner_button(world):
    out = await world.press("alice", alice_buttons(world)[("burnout", "5")])
    text = text_of(out)
    assert "nobody else has been told anything" in text
    assert "Samaritans" in text  # the crisis card for alice's country (GB)
    buttons = [b for r in out for blk in r.message.blocks if isinstance(blk, Buttons)
               for b in blk.buttons]
    assert [b.value for b in buttons] == [action_ids.encode("pair.now")]
    await world.drain()
    assert world.messenger.recipients() == ["alice", "bob"]  # nobody else told


async def test_answer_below_threshold_gets_no_support(world):
    out = text_of(await world.press("alice", alice_buttons(world)[("burnout", "3")]))
    assert "debrief partner" not in out


async def test_checkin_command_shows_the_open_prompt_with_choices_marked(world):
    await world.press("alice", alice_buttons(world)[("mood", "4")])
    out = await world.command("alice", "checkin")
    labels = [b.label for blk in out[0].message.blocks if isinstance(blk, Buttons)
              for b in blk.buttons]
    assert "✓ 4 · Good" in labels
    assert len(world.prompts("alice")) == 1


async def test_checkin_command_opens_one_when_none_is_open(world):
    await world.wait(timedelta(hours=13))
    out = await world.command("alice", "checkin")
    assert answer_buttons(out[0].message)
    assert [r[3] for r in world.prompts("alice")][1].startswith("self:")


async def test_about_buttons_that_are_forged_or_someone_elses_show_nothing(world):
    prompt_id = action_ids.decode(alice_buttons(world)[("mood", "1")]).args[0]
    for user, value in (("bob", action_ids.encode("checkin.about", prompt_id, "burnout")),
                        ("alice", action_ids.encode("checkin.about", prompt_id, "salary")),
                        ("alice", action_ids.encode("checkin.about", 99999, "burnout")),
                        ("alice", action_ids.encode("checkin.about", "x"))):
        out = await world.tap(user, value)
        assert "isn't one of your check-in's questions" in out
        assert "burned out" not in out
