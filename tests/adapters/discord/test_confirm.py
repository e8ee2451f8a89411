"""Destructive buttons on Discord ask "Are you sure?" first (issue 19).

Discord has no confirmation dialog, so a button that carries a Confirm (Slack's dialog)
is marked in its custom_id, and a press gets a private question: the consequence in
words, a red button that does it and one that does not, expiring after five minutes.
Through the real discord.py client and the real core against the fake Discord; the
attack tests press someone else's confirmation, a replayed one and an expired one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.discord.custom_ids import parse
from bot.core.confirming import ASK_FOR
from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import agree, buttons, command, consented, press, text_of
from tests.support.discord_fake.harness import fake_discord, logged_in
from tests.support.discord_fake.payloads import group, sub
from tests.support.discord_fake.server import CHANNEL_ID, GUILD_ID

ALICE = {"user_id": "101", "user_name": "alice"}
BOB = {"user_id": "102", "user_name": "bob"}


@pytest.fixture
def assembly(make_settings, clock):
    settings = make_settings({
        "groups": [{"name": "circle", "channel": CHANNEL_ID}],
        "discord": {"guild_ids": [int(GUILD_ID)]},
    })
    db = open_database(settings.bot.database)
    yield assemble(settings, db, clock, "discord")
    db.close()


def held(assembly, user_id: str) -> bool:
    return assembly.ctx.members.get(GUILD_ID, user_id) is not None


async def _member(ad, fake, who: dict) -> None:
    joined = await consented(ad, fake, [group("group", sub("join", name="circle"))], **who)
    await agree(ad, fake, joined, **who)


async def _ask(ad, fake, who: dict) -> dict:
    """`/peer forget-me`, then "Erase everything": the private question it asks."""
    card = await command(ad, fake, [sub("forget-me")], **who)
    erase = buttons(card)["Erase everything"]
    assert parse(erase).ask and parse(erase).value == "privacy.forget|confirm"
    return await press(ad, fake, erase, fake.message(CHANNEL_ID, card), guild_id=GUILD_ID,
                       **who)


def _style(body: dict, label: str) -> int:
    return next(c["style"] for row in body["components"] for c in row["components"]
                if c.get("label") == label)


async def test_erase_asks_privately_and_only_the_red_button_erases(assembly):
    async with fake_discord() as fake, logged_in(assembly) as ad:
        await _member(ad, fake, ALICE)
        question = await _ask(ad, fake, ALICE)
        assert question["ephemeral"] and not question["edited"]
        assert "Erase all your data?" in text_of(question)
        assert "This cannot be undone." in text_of(question)
        assert "expires in 5 minutes" in text_of(question)
        assert _style(question, "Erase everything") == 4  # danger: red, and worded
        assert _style(question, "Keep my data") == 2
        assert held(assembly, "101")  # asking erased nothing
        done = await press(ad, fake, buttons(question)["Erase everything"],
                           fake.message(CHANNEL_ID, question), guild_id=GUILD_ID, **ALICE)
        assert done["edited"]  # the question is replaced by what was done
        assert "everything peerbot held about you here is erased" in text_of(done)
        assert not held(assembly, "101")


async def test_keep_my_data_changes_nothing(assembly):
    async with fake_discord() as fake, logged_in(assembly) as ad:
        await _member(ad, fake, ALICE)
        question = await _ask(ad, fake, ALICE)
        kept = await press(ad, fake, buttons(question)["Keep my data"],
                           fake.message(CHANNEL_ID, question), guild_id=GUILD_ID, **ALICE)
        assert kept["edited"] and "Cancelled. Nothing was changed." in text_of(kept)
        assert held(assembly, "101")


async def test_attack_another_members_press_on_the_confirmation_does_nothing(assembly):
    """Bob copies Alice's red button (a screenshot, a modified client): it is signed for
    Alice, so his press erases neither her data nor his."""
    async with fake_discord() as fake, logged_in(assembly) as ad:
        await _member(ad, fake, ALICE)
        await _member(ad, fake, BOB)
        question = await _ask(ad, fake, ALICE)
        stolen = buttons(question)["Erase everything"]
        answer = await press(ad, fake, stolen, fake.message(CHANNEL_ID, question),
                             guild_id=GUILD_ID, **BOB)
        assert "expired or is not yours" in text_of(answer)
        assert held(assembly, "101") and held(assembly, "102")


async def test_attack_a_replayed_confirmation_acts_once(assembly):
    async with fake_discord() as fake, logged_in(assembly) as ad:
        await _member(ad, fake, ALICE)
        await _member(ad, fake, BOB)
        question = await _ask(ad, fake, BOB)
        red = buttons(question)["Erase everything"]
        where = fake.message(CHANNEL_ID, question)
        await press(ad, fake, red, where, guild_id=GUILD_ID, **BOB)
        assert not held(assembly, "102")
        await _member(ad, fake, BOB)  # Bob comes back and agrees again
        again = await press(ad, fake, red, where, guild_id=GUILD_ID, **BOB)
        assert "already confirmed; nothing more was done" in text_of(again)
        assert held(assembly, "102")  # the old confirmation did not erase him again


async def test_attack_an_expired_confirmation_does_nothing(assembly):
    async with fake_discord() as fake, logged_in(assembly) as ad:
        await _member(ad, fake, ALICE)
        question = await _ask(ad, fake, ALICE)
        assembly.ctx.clock.advance(ASK_FOR + timedelta(seconds=1))
        late = await press(ad, fake, buttons(question)["Erase everything"],
                           fake.message(CHANNEL_ID, question), guild_id=GUILD_ID, **ALICE)
        assert "expired or is not yours" in text_of(late)
        assert held(assembly, "101")


async def test_attack_a_confirmation_edited_to_run_another_action_does_nothing(assembly):
    """The signature covers the action it confirms: swapping in another action id (here
    Cancel's, base64) under Alice's own signature is refused."""
    import base64

    async with fake_discord() as fake, logged_in(assembly) as ad:
        await _member(ad, fake, ALICE)
        question = await _ask(ad, fake, ALICE)
        red = parse(buttons(question)["Erase everything"]).value
        head, _, _ = red.rpartition(":")
        other = base64.urlsafe_b64encode(b"privacy.forget|cancel").decode().rstrip("=")
        forged = f"{head}:{other}"
        answer = await press(ad, fake, forged,
                             fake.message(CHANNEL_ID, {"components": [{"type": 1, "components": [
                                 {"type": 2, "style": 4, "label": "x", "custom_id": forged}]}]}),
                             guild_id=GUILD_ID, **ALICE)
        assert "expired or is not yours" in text_of(answer)
        assert held(assembly, "101")


def test_only_buttons_with_a_confirm_ask_first_on_discord():
    from adapters.discord.render import render, to_payload
    from bot.core.model import Button, Buttons, ButtonStyle, message
    from bot.privacy.commands import ERASE_CONFIRM

    msg = message(Buttons((Button("Erase everything", "privacy.forget|confirm",
                                  ButtonStyle.DANGER, confirm=ERASE_CONFIRM),
                           Button("Cancel", "privacy.forget|cancel"))))
    ids = {c["label"]: c["custom_id"] for row in to_payload(render(msg, guild_id=GUILD_ID))
           ["components"] for c in row["components"]}
    assert ids == {"Erase everything": f"{GUILD_ID}/?privacy.forget|confirm",
                   "Cancel": f"{GUILD_ID}/privacy.forget|cancel"}
    assert parse(ids["Erase everything"]).ask and not parse(ids["Cancel"]).ask


async def test_in_a_dm_the_question_and_its_answer_keep_their_server(assembly):
    """"Let's end here" comes by DM: the press, the question and the confirmation all
    find the server through their custom_ids (a DM click carries none)."""
    from bot.core.model import Target
    from bot.mentoring.messages import checkin

    async with fake_discord() as fake, logged_in(assembly) as ad:
        await _member(ad, fake, ALICE)
        await ad.messenger.send(GUILD_ID, Target(user_id="101"), checkin(7, "102"))
        [dm] = fake.find("POST", r"^/channels/501/messages$")
        end = buttons(dm.json)["Let's end here"]
        assert parse(end).guild == GUILD_ID and parse(end).ask
        question = await press(ad, fake, end, fake.message("501", dm.json), **ALICE)
        assert question["ephemeral"] and "End this mentoring pairing?" in text_of(question)
        yes = buttons(question)["End it"]
        assert parse(yes).guild == GUILD_ID and not parse(yes).ask
        done = await press(ad, fake, yes, fake.message("501", question), **ALICE)
        # confirmed and run in the right server: the handler itself answers (pairing 7
        # is not Alice's), not the stale-question or unknown-server replies
        assert "That button is no longer valid" in text_of(done)
        assert "expired or is not yours" not in text_of(done)
