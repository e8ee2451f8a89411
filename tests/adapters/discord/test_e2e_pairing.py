"""A whole pairing round on Discord: opt in, a facilitator's round, the introduction."""

from __future__ import annotations

from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import agree, consented, drain, text_of
from tests.support.discord_fake.harness import fake_discord, logged_in
from tests.support.discord_fake.payloads import group, sub
from tests.support.discord_fake.server import GUILD_ID, INTRO_CHANNEL_ID

FRAN = {"user_id": "100", "user_name": "fran"}
ALICE = {"user_id": "101", "user_name": "alice"}
BOB = {"user_id": "102", "user_name": "bob"}


def _assembly(make_settings, clock, intro_channel: int):
    settings = make_settings({
        "groups": [{"name": "circle", "channel": "800000000000000010",
                    "facilitators": ["100"]}],
        "discord": {"guild_ids": [int(GUILD_ID)], "intro_channel_id": intro_channel},
    })
    return assemble(settings, open_database(settings.bot.database), clock, "discord")


async def _round(ad, fake) -> None:
    for who in (ALICE, BOB):
        answer = await consented(ad, fake, [group("group", sub("join", name="circle"))], **who)
        await agree(ad, fake, answer, **who)
        joined = await consented(ad, fake, [group("pair", sub("join"))], **who)
        assert joined["ephemeral"]
    ran = await consented(ad, fake, [group("pair", sub("round"))], top="peer-admin", **FRAN)
    assert ran["ephemeral"]
    assert "Round started in **circle**: everyone who could be placed was introduced" in text_of(
        ran), text_of(ran)  # two taking part: no counts (docs/privacy.md, rule B)


async def test_a_round_opens_a_private_thread_with_the_pair(make_settings, clock):
    assembly = _assembly(make_settings, clock, int(INTRO_CHANNEL_ID))
    ctx = assembly.ctx
    try:
        async with fake_discord() as fake, logged_in(assembly) as ad:
            await _round(ad, fake)
            await drain(ctx, ad.messenger)
        [thread] = fake.find("POST", rf"^/channels/{INTRO_CHANNEL_ID}/threads$")
        assert thread.json["name"] == "Debrief pairing in circle: Alice and Bob"
        [(thread_id, added)] = fake.threads.items()
        assert sorted(added) == ["101", "102"]
        [intro] = fake.find("POST", rf"^/channels/{thread_id}/messages$")
        assert intro.json["content"] == "<@101> <@102>\nDebrief pairing in circle: Alice and Bob"
        assert "Please share no client-identifying information" in text_of(intro.json)
        status = ctx.db.execute(
            "SELECT status FROM outbox WHERE target_key LIKE 'group:%'").fetchall()
        assert status == [("sent",)]
    finally:
        ctx.db.close()


async def test_without_an_intro_channel_each_member_gets_a_dm(make_settings, clock):
    assembly = _assembly(make_settings, clock, 0)
    ctx = assembly.ctx
    try:
        async with fake_discord() as fake, logged_in(assembly) as ad:
            await _round(ad, fake)
            await drain(ctx, ad.messenger)
        intros = {p.path: p.json for p in fake.find("POST", r"^/channels/50[12]/messages$")
                  if "introduction" in (p.json.get("content") or "")}
        assert intros["/channels/501/messages"]["content"].startswith(
            "Also in this introduction: <@102>\n")
        assert intros["/channels/502/messages"]["content"].startswith(
            "Also in this introduction: <@101>\n")
        assert not fake.find("POST", r"/threads$")
    finally:
        ctx.db.close()
