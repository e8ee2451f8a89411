""""Are you sure?" asked by the core where the platform has no dialog (bot.core.confirming).

Every button that carries a Confirm (Slack's dialog) is pressed with ``ask`` (what the
Discord adapter sends): the core answers with a private question in the very words of
that button's Confirm (one source for both platforms), and does nothing yet. Without
``ask`` (Slack after its own dialog, the console) the press acts as before.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.consultations.deid import Finding
from bot.consultations.messages import warning
from bot.core import confirming
from bot.core.model import Action, Actor, Button, Buttons, ButtonStyle, Visibility, plain_text
from bot.mentoring.messages import checkin
from tests.support.world import WS, World, buttons, text_of


def confirmed_buttons(*messages) -> list[Button]:
    return [b for msg in messages for block in msg.blocks if isinstance(block, Buttons)
            for b in block.buttons if b.confirm is not None]


async def asks_in_its_own_words(world: World, user: str, button: Button) -> None:
    [question] = await world.core.handle_action(
        Action(actor=Actor(WS, user, user), value=button.value, ask=True))
    assert question.visibility is Visibility.PRIVATE
    words = plain_text(question.message)
    assert button.confirm.title in words and button.confirm.text in words, words
    answers = buttons(question.message)
    assert list(answers) == [button.confirm.yes, button.confirm.no]
    yes = next(b for blk in question.message.blocks if isinstance(blk, Buttons)
               for b in blk.buttons if b.label == button.confirm.yes)
    assert yes.style is ButtonStyle.DANGER and yes.value.startswith(confirming.YES + "|")


@pytest.fixture
def world(tmp_path):
    w = World.pairing(tmp_path)
    yield w
    w.db.close()


async def test_every_destructive_button_asks_in_the_words_of_its_confirm(world):
    await world.join("alice", "bob")
    forget = (await world.command("alice", "forget-me"))[0].message
    preview = (await world.command("fran", "pair preview"))[0].message
    found = confirmed_buttons(forget, preview, checkin(7, "bob"),
                              warning([Finding("name", "Jo")], 3).message)
    assert {b.label for b in found} == {"Erase everything", "Start this round",
                                        "Let's end here", "Post as it is"}
    for button in found:
        await asks_in_its_own_words(world, "fran" if "round" in button.value else "alice",
                                    button)
    await world.tap("fran", buttons(preview)["Start this round"])  # Slack: after its dialog
    avoid = (await world.command("alice", "pair avoid bob"))
    [step_out] = confirmed_buttons(*[r.message for r in avoid])
    await asks_in_its_own_words(world, "alice", step_out)


async def test_asking_does_nothing_and_only_the_signed_yes_acts(world):
    world.add("alice")
    forget = (await world.command("alice", "forget-me"))[0].message
    erase = buttons(forget)["Erase everything"]
    alice = Actor(WS, "alice", "alice")
    [question] = await world.core.handle_action(Action(alice, erase, ask=True))
    assert world.ctx.members.get(WS, "alice") is not None
    yes = buttons(question.message)["Erase everything"]
    done = await world.core.handle_action(Action(alice, yes))
    assert "is erased" in text_of(done) and done[0].replace_original
    assert world.ctx.members.get(WS, "alice") is None


async def test_without_ask_a_press_acts_as_before(world):
    world.add("alice")
    forget = (await world.command("alice", "forget-me"))[0].message
    assert "is erased" in await world.tap("alice", buttons(forget)["Erase everything"])


async def test_a_press_that_needs_no_question_just_acts(world):
    world.add("alice")
    forget = (await world.command("alice", "forget-me"))[0].message
    cancel = buttons(forget)["Cancel"]  # privacy.forget|cancel: its confirm is None
    replies = await world.core.handle_action(Action(Actor(WS, "alice", "alice"), cancel,
                                                    ask=True))
    assert "Cancelled. Nothing was erased." in text_of(replies)


@pytest.mark.parametrize("value", ["confirm.yes", "confirm.yes|1:2", "confirm.yes|9999999999:"
                                   "AAAAAAAAAAAAAAAA:cHJpdmFjeS5mb3JnZXR8Y29uZmlybQ",
                                   "confirm.yes|x:y:%%%"])
async def test_forged_answers_do_nothing(world, value):
    world.add("alice")
    replies = await world.core.handle_action(Action(Actor(WS, "alice", "alice"), value))
    assert "expired or is not yours" in text_of(replies)
    assert world.ctx.members.get(WS, "alice") is not None


async def test_a_member_without_the_role_is_not_even_asked(world):
    world.add("alice")
    await world.join("alice", "bob")
    preview = (await world.command("fran", "pair preview"))[0].message
    start = buttons(preview)["Start this round"]
    replies = await world.core.handle_action(Action(Actor(WS, "alice", "alice"), start,
                                                    ask=True))
    assert "Start the round" not in text_of(replies)  # refused before any question


async def test_a_question_the_process_cannot_sign_any_more_is_stale(world):
    """A restart makes a new key: an open question then does nothing (press again)."""
    world.add("alice")
    forget = (await world.command("alice", "forget-me"))[0].message
    alice = Actor(WS, "alice", "alice")
    [question] = await world.core.handle_action(
        Action(alice, buttons(forget)["Erase everything"], ask=True))
    yes = buttons(question.message)["Erase everything"]
    world.core.ctx = replace(world.core.ctx, confirm_key=b"another process")
    assert "expired or is not yours" in text_of(await world.core.handle_action(Action(alice, yes)))
    assert world.ctx.members.get(WS, "alice") is not None
