"""A whole check-in on Discord: DM prompt via the outbox, a click in the DM, the history."""

from __future__ import annotations

import pytest

from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import (
    agree,
    buttons,
    command,
    consented,
    drain,
    press,
    text_of,
)
from tests.support.discord_fake.harness import fake_discord, logged_in
from tests.support.discord_fake.payloads import group, sub
from tests.support.discord_fake.server import CHANNEL_ID, GUILD_ID

V2 = 1 << 15  # IS_COMPONENTS_V2


def assert_question_above_its_buttons(body: dict) -> None:
    """A components v2 message (flag set, no content or embeds) in which each question's
    text is the Text Display right above its own row of answers."""
    assert body["flags"] & V2 and not body.get("content") and not body.get("embeds")
    [container] = body["components"]
    assert container["type"] == 17
    items = container["components"]
    for question, first in (("How has your mood been today?", "1 · Very low"),
                            ("Using your own definition of burnout", "1 · I enjoy my work")):
        at = next(i for i, c in enumerate(items) if c["type"] == 10 and question in c["content"])
        assert items[at]["content"].rstrip().endswith("**"), "the question ends its text"
        row = items[at + 1]
        assert row["type"] == 1 and first in row["components"][0]["label"]
    assert items[-1]["type"] == 10 and "You can change" in items[-1]["content"]


FRAN = {"user_id": "100", "user_name": "fran"}
ALICE = {"user_id": "101", "user_name": "alice"}


@pytest.fixture
def assembly(make_settings, clock):
    settings = make_settings({
        "groups": [{"name": "circle", "channel": "800000000000000010",
                    "facilitators": ["100"]}],
        # two guilds, so a DM click must find its guild from the message itself
        "discord": {"guild_ids": [int(GUILD_ID), 1], "facilitator_role_id": 4242},
    })
    db = open_database(settings.bot.database)
    yield assemble(settings, db, clock, "discord")
    db.close()


async def test_checkin_prompt_click_and_history(assembly):
    ctx = assembly.ctx
    async with fake_discord() as fake, logged_in(assembly) as ad:
        joined = await consented(ad, fake, [group("group", sub("join", name="circle"))], **ALICE)
        assert "circle" in text_of(joined)
        agreed = await agree(ad, fake, joined, **ALICE)
        assert "you agreed to **circle**'s agreement" in text_of(agreed)
        sent = await consented(ad, fake, [group("checkins", sub("now"))], top="peer-admin", **FRAN)
        assert "Sent a check-in to" in text_of(sent), text_of(sent)
        assert sent["ephemeral"]

        await drain(ctx, ad.messenger)
        [prompt] = fake.find("POST", r"^/channels/501/messages$")  # alice's DM channel
        assert_question_above_its_buttons(prompt.json)
        choices = buttons(prompt.json)
        very_low = choices["1 · Very low"]
        # a DM click carries no server: the custom_id names it, not an embed's link
        assert very_low.startswith(f"{GUILD_ID}/checkin.answer|") and very_low.endswith(":mood:1")
        ref = ctx.db.execute("SELECT platform_ref FROM outbox WHERE user_id = '101'").fetchone()
        assert ref[0].startswith("501:")

        # the click comes from the delivered prompt itself (its id is the outbox's ref)
        message_id = ref[0].split(":")[1]
        clicked = dict(fake.message("501", prompt.json), id=message_id)
        warm = await press(ad, fake, very_low, clicked, **ALICE)
        # "1 · Very low" is mood's concerning end: the warm reply is a message of its own
        # (issue 12 D); the prompt is edited in place through the outbox (issue 19)
        assert warm["ephemeral"]
        assert "Thank you for being honest" in text_of(warm)
        assert "nobody else has been told anything" in text_of(warm)
        assert "Noted" not in text_of(warm)
        await drain(ctx, ad.messenger)
        [edit] = fake.find("PATCH", rf"^/channels/501/messages/{message_id}$")
        assert edit.status == 200  # the fake refuses what Discord would (v2 rules included)
        assert_question_above_its_buttons(edit.json)  # the edit keeps the v2 layout
        assert "✓ 1 · Very low" in buttons(edit.json)
        assert "About this question" in buttons(edit.json)
        assert "Thanks, noted: mood Very low. You can change it until" in text_of(edit.json)
        assert len(fake.find("POST", r"^/channels/501/messages$")) == 1  # still one prompt

        history = await command(ad, fake, [group("checkin", sub("history"))], **ALICE)
        assert history["ephemeral"]
        assert "Your check-ins, last 8 weeks" in text_of(history)
        assert "You answered 1 of 1 check-ins." in text_of(history)


async def test_the_prompt_shown_by_a_command_is_a_v2_reply_and_a_tap_replaces_it(assembly):
    """`/peer checkin answer` shows the prompt as the command's private answer (an
    interaction reply, not an outbox message): it is a v2 layout too, and a tap on it
    replaces it through the interaction, keeping the layout."""
    async with fake_discord() as fake, logged_in(assembly) as ad:
        joined = await consented(ad, fake, [group("group", sub("join", name="circle"))], **ALICE)
        await agree(ad, fake, joined, **ALICE)
        shown = await command(ad, fake, [group("checkin", sub("answer"))], **ALICE)
        assert shown["ephemeral"]
        assert_question_above_its_buttons(shown)
        good = buttons(shown)["4 · Good"]
        assert good.startswith("checkin.answer|")  # in the server: no prefix needed
        edits = len(fake.find("PATCH", r"/messages/@original$"))
        await press(ad, fake, good, fake.message(CHANNEL_ID, shown), guild_id=GUILD_ID, **ALICE)
        found = await fake.wait_for("PATCH", r"/messages/@original$", count=edits + 1)
        replaced = found[-1]
        assert replaced.status == 200
        assert_question_above_its_buttons(replaced.json)
        assert "✓ 4 · Good" in buttons(replaced.json)
