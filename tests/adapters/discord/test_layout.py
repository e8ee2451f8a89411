"""Components v2 on Discord: text between rows of buttons keeps its order (issue 19).

The fake API refuses what Discord refuses in a v2 message (tests/support/discord_fake/v2.py),
so each rule is shown to fail a malformed payload, and the renderer's output at and past
Discord's limits (40 components including nested ones, 4,000 characters of text) goes
through the real discord.py client and is accepted. A click in a DM finds its server in
the custom_id; a forged server prefix finds nothing (attack tests).
"""

from __future__ import annotations

import discord
import pytest

from adapters.discord.custom_ids import outgoing, parse
from adapters.discord.layout import MAX_COMPONENTS, MAX_TEXT
from adapters.discord.render import needs_layout, render, to_payload
from bot.core.model import (
    Button,
    Buttons,
    Context,
    Divider,
    Fields,
    Header,
    Section,
    Target,
    message,
    reply,
)
from bot.runtime import build_router
from tests.adapters.discord.test_inbound import run
from tests.support.discord_fake.flow import components, text_of
from tests.support.discord_fake.harness import SpyHost, fake_discord, logged_in
from tests.support.discord_fake.limits import message_problems
from tests.support.discord_fake.payloads import click
from tests.support.discord_fake.server import GUILD_ID
from tests.support.discord_fake.v2 import edit_problems, v2_problems

V2 = 1 << 15


def question(n: int, answers: int = 5) -> tuple:
    return (Section(f"*Question {n}?*"),
            Buttons(tuple(Button(f"{v} · answer", f"checkin.answer|1:q{n}:{v}")
                          for v in range(1, answers + 1))))


def count(body: dict) -> int:
    return len(components(body))


def text(body: dict) -> int:
    return sum(len(c["content"]) for c in components(body) if c["type"] == 10)


# ---- the renderer ---------------------------------------------------------------------


def test_only_text_between_rows_needs_the_layout():
    assert needs_layout(message(*question(1), *question(2)))
    assert not needs_layout(message(*question(1), Context("after the only row")))
    assert not needs_layout(message(Section("a"), Buttons((Button("x", "a.b"),)),
                                    Buttons((Button("y", "a.c"),))))  # rows, no text between


def test_each_question_sits_directly_above_its_own_row_in_a_v2_message():
    body = to_payload(render(message(Header("Check-in"), *question(1), *question(2),
                                     Divider(), Context("status"))))
    assert body["flags"] == V2 and "embeds" not in body and "content" not in body
    [container] = body["components"]
    kinds = [c["type"] for c in container["components"]]
    assert kinds == [10, 1, 10, 1, 14, 10]  # header + question 1 share one text display
    assert container["components"][0]["content"].endswith("**Question 1?**")
    assert container["components"][2]["content"] == "**Question 2?**"
    assert not v2_problems(body)


def test_a_dm_layout_names_its_server_in_every_custom_id():
    body = to_payload(render(message(*question(1), *question(2)), guild_id=GUILD_ID))
    ids = [c["custom_id"] for c in components(body) if c["type"] == 2]
    assert ids and all(parse(i).guild == GUILD_ID for i in ids)
    assert parse(ids[0]).value == "checkin.answer|1:q1:1"


@pytest.mark.parametrize("questions", [6, 7, 12])
def test_past_forty_components_trailing_buttons_go_never_the_text(questions):
    msg = message(*(b for n in range(questions) for b in question(n)), Context("status"))
    body = to_payload(render(msg))
    assert count(body) <= MAX_COMPONENTS and not v2_problems(body)
    assert "status" in text_of(body) and f"Question {questions - 1}?" in text_of(body)


def test_forty_components_exactly_are_all_kept():
    # 1 container + 6 texts + 6 rows + 27 buttons = 40
    blocks = [b for n in range(6) for b in question(n, 5 if n < 3 else 4)]
    body = to_payload(render(message(*blocks)))
    assert count(body) == MAX_COMPONENTS
    assert len([c for c in components(body) if c["type"] == 2]) == 27


@pytest.mark.parametrize("size", [1000, 3000])
def test_past_four_thousand_characters_the_longest_text_is_shortened(size):
    msg = message(Section("a" * size), *question(1), Section("b" * size), *question(2),
                  Fields((("name", "v" * 10),)))
    body = to_payload(render(msg))
    assert text(body) <= MAX_TEXT and not v2_problems(body)
    if size == 1000:  # within the limit: nothing cut
        assert "…" not in text_of(body) and "a" * size in text_of(body)
    else:  # cut to exactly the limit, the longest text first, the questions kept
        assert text(body) == MAX_TEXT and "…" in text_of(body)
        assert "**Question 1?**" in text_of(body) and "**Question 2?**" in text_of(body)


# ---- the fake refuses what Discord refuses ------------------------------------------------


def _v2(*items: dict, **extra) -> dict:
    return {"flags": V2, "components": [{"type": 17, "components": list(items)}], **extra}


TEXT = {"type": 10, "content": "Question?"}
ROW = {"type": 1, "components": [{"type": 2, "style": 2, "label": "a", "custom_id": "a.b"}]}


@pytest.mark.parametrize(("body", "problem"), [
    (_v2(TEXT, ROW, content="hi"), "content is not allowed"),
    (_v2(TEXT, embeds=[{"description": "x"}]), "embeds are not allowed"),
    ({"components": [TEXT]}, "need the IS_COMPONENTS_V2 flag"),
    (_v2({"type": 17, "components": [TEXT]}), "not allowed here"),  # a nested container
    (_v2({"type": 1, "components": [TEXT]}), "cannot sit in an action row"),
    (_v2({"type": 1, "components": [ROW["components"][0]] * 6}), "1-5 buttons"),
    (_v2({"type": 10, "content": ""}), "content of 1-4000"),
    (_v2({"type": 10, "content": "x" * 2001}, {"type": 10, "content": "y" * 2000}),
     "more than 4000"),
    (_v2(*[TEXT] * 40), "more than 40"),  # 41 with the container
    (_v2({"type": 14, "spacing": 3}), "spacing 1 or 2"),
    (_v2(ROW, ROW), "custom_ids repeat"),
    (_v2({"type": 99}), "not allowed here"),
])
def test_the_fake_refuses_a_malformed_v2_payload(body, problem):
    found = message_problems(body)
    assert any(problem in p for p in found), found


def test_at_the_limits_the_fake_accepts():
    assert not message_problems(_v2(*[TEXT] * 39))  # 40 with the container
    assert not message_problems(_v2({"type": 10, "content": "x" * 2000},
                                    {"type": 10, "content": "y" * 2000}))


def test_an_edit_keeps_the_flag_of_a_v2_message():
    assert edit_problems(True, {"flags": 0, "components": []})  # cannot be removed
    assert edit_problems(True, {"content": "plain now"})
    assert not edit_problems(True, _v2(TEXT))
    assert not edit_problems(False, _v2(TEXT))  # an old message may become v2


async def test_malformed_v2_through_the_real_client_is_refused(dsettings):
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)):
        client = discord.Client(intents=discord.Intents.none())
        await client.login("fake-token.not.real")
        try:
            channel = client.get_partial_messageable(501)
            layout = render(message(*question(1), *question(2))).view
            with pytest.raises(discord.HTTPException) as refused:
                await channel.send(content="not allowed with the flag", view=layout)
            assert refused.value.status == 400
            sent = await channel.send(view=layout)  # the renderer's own form is accepted
            with pytest.raises(discord.HTTPException):  # an edit may not drop the layout
                await sent.edit(content="plain", view=None)
        finally:
            await client.close()
    assert [r.status for r in fake.find("POST", r"^/channels/501/messages$")] == [400, 200]


@pytest.fixture
def dsettings(make_settings):
    return make_settings({"discord": {"guild_ids": [int(GUILD_ID), 2]}})


@pytest.fixture
def router():
    return build_router()


async def test_a_prompt_sent_and_edited_through_the_messenger_stays_v2(dsettings):
    first = message(*question(1), *question(2), Context("before"))
    later = message(*question(1), *question(2), Context("after a tap"))
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        ref = await ad.messenger.send(GUILD_ID, Target(user_id="101"), first)
        await ad.messenger.edit(GUILD_ID, Target(user_id="101"), ref, later)
    [sent] = fake.find("POST", r"^/channels/501/messages$")
    [edit] = fake.find("PATCH", r"^/channels/501/messages/\d+$")
    assert sent.status == edit.status == 200
    assert sent.json["flags"] & V2 and edit.json["flags"] & V2
    assert not edit.json.get("content") and not edit.json.get("embeds")
    assert "after a tap" in text_of(edit.json)


# ---- a click in a DM: its server from the custom_id, never forged ------------------------


def _dm_layout(custom_id: str) -> dict:
    """The bot's v2 message in a DM as Discord delivers it with a click: no embed."""
    return {"id": "555", "channel_id": "501", "type": 0, "content": "", "embeds": [],
            "author": {"id": "900000000000000001", "username": "peerbot",
                       "discriminator": "0", "avatar": None, "bot": True},
            "components": [{"type": 17, "id": 1, "components": [
                {"type": 10, "id": 2, "content": "**Question?**"},
                {"type": 1, "id": 3, "components": [
                    {"type": 2, "id": 4, "style": 2, "label": "Good",
                     "custom_id": custom_id}]}]}],
            "attachments": [], "mentions": [], "mention_roles": [], "pinned": False,
            "tts": False, "mention_everyone": False, "flags": V2,
            "timestamp": "2026-01-05T08:00:00+00:00", "edited_timestamp": None}


async def test_a_dm_click_on_a_layout_finds_its_server_in_the_custom_id(router, dsettings):
    host = SpyHost(dsettings, router, [reply(Section("Thanks"))])
    custom_id = outgoing("checkin.answer|7:mood:4", guild=GUILD_ID)
    await run(host, click(custom_id, message=_dm_layout(custom_id)))
    [action] = host.actions
    assert (action.value, action.actor.workspace_id) == ("checkin.answer|7:mood:4", GUILD_ID)


async def test_attack_a_forged_server_prefix_acts_nowhere(router, dsettings):
    """Mallory's client sends a click naming server 2 on a message that names ours: the
    message Discord delivered does not hold that custom_id, so nothing is forwarded."""
    host = SpyHost(dsettings, router, [reply(Section("Thanks"))])
    real = outgoing("checkin.answer|7:mood:4", guild=GUILD_ID)
    forged = outgoing("checkin.answer|7:mood:4", guild="2")
    fake = await run(host, click(forged, message=_dm_layout(real)))
    assert host.actions == []
    [cb] = fake.find("POST", r"/callback$")
    assert cb.json["data"]["flags"] & 64 and "which server" in cb.json["data"]["content"]


async def test_attack_a_prefix_naming_another_server_than_the_click_is_refused(router,
                                                                                dsettings):
    host = SpyHost(dsettings, router, [reply(Section("Thanks"))])
    forged = outgoing("checkin.answer|7:mood:4", guild="2")
    await run(host, click(forged, message=_dm_layout(forged), guild_id=GUILD_ID))
    assert host.actions == []

