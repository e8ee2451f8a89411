"""Replays and double clicks: an exact signed Slack request replayed inside Slack's
5-minute window, or a Discord interaction delivered twice, does its work once; an
"Agree" issued before an erasure records nothing, replayed or clicked. Through the real
slack-bolt app and the real discord.py client."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import agree as d_agree
from tests.support.discord_fake.flow import consented as d_consented
from tests.support.discord_fake.harness import fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import group, slash, sub
from tests.support.discord_fake.server import GUILD_ID
from tests.support.slack_fake.flow import agree, buttons, command, consented, is_consent_card
from tests.support.slack_fake.harness import make_harness
from tests.support.slack_fake.payloads import block_actions, slash_command

GROUP = {"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}


@pytest.fixture
def h(fake_api, make_settings, clock):
    harness = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}),
                           clock)
    yield harness
    harness.assembly.ctx.db.close()


def _count(h, sql: str) -> int:
    return h.assembly.ctx.db.execute(sql).fetchone()[0]


async def _members(h, *users: str) -> None:
    for user in users:
        await agree(h, user, await consented(h, user, "group join circle"))


async def test_a_replayed_checkins_now_prompts_the_group_once(h, clock):
    await _members(h, "U1ALICE", "U2BOB", "U0FRAN")
    body = slash_command("/peer", "admin checkins now", user_id="U0FRAN", user_name="fran",
                         response_url=h.api.response_url("U0FRAN"))
    signed_at = int(time.time())
    await h.post(body, timestamp=signed_at)
    prompts = _count(h, "SELECT count(*) FROM checkin_prompts")
    outbox = _count(h, "SELECT count(*) FROM outbox")
    assert prompts == 3
    clock.advance(timedelta(minutes=2))  # a new minute: the old per-minute key won't save us
    response = await h.post(body, timestamp=signed_at)  # the exact request, still fresh
    assert response.status == 200
    assert "already handled" in h.responses("U0FRAN")[-1]["text"]
    assert _count(h, "SELECT count(*) FROM checkin_prompts") == prompts
    assert _count(h, "SELECT count(*) FROM outbox") == outbox


async def test_a_replayed_buddy_invitation_is_sent_once(h, clock):
    await _members(h, "U1ALICE", "U2BOB")
    body = slash_command("/peer", "checkin buddy <@U2BOB|bob>", user_id="U1ALICE",
                         response_url=h.api.response_url("U1ALICE"))
    signed_at = int(time.time())
    for _ in range(3):
        await h.post(body, timestamp=signed_at)
        clock.advance(timedelta(seconds=30))
    assert _count(h, "SELECT count(*) FROM outbox WHERE kind = 'checkin-buddy'") == 1


async def test_an_agree_from_before_an_erasure_records_nothing(h, fake_api):
    card = await command(h, "U1ALICE", "group join circle")
    assert is_consent_card(card)
    agree = block_actions(buttons(card["blocks"])["Agree"], user_id="U1ALICE",
                          response_url=h.api.response_url("U1ALICE"))
    signed_at = int(time.time())
    await h.post(agree, timestamp=signed_at)
    assert _count(h, "SELECT count(*) FROM members WHERE consent_at IS NOT NULL") == 1
    forget = await command(h, "U1ALICE", "forget-me")
    await h.post(block_actions(buttons(forget["blocks"])["Erase everything"], user_id="U1ALICE",
                               response_url=h.api.response_url("U1ALICE")))
    assert _count(h, "SELECT count(*) FROM members WHERE consent_at IS NOT NULL") == 0

    await h.post(agree, timestamp=signed_at)  # the same signed click, replayed
    again = block_actions(buttons(card["blocks"])["Agree"], user_id="U1ALICE",
                          response_url=h.api.response_url("U1ALICE"))
    await h.post(again)  # a fresh click on the old card
    assert _count(h, "SELECT count(*) FROM members WHERE consent_at IS NOT NULL") == 0
    assert "out of date" in str(h.responses("U1ALICE")[-2:])
    fresh = buttons(h.responses("U1ALICE")[-1]["blocks"])["Agree"]  # the current card works
    await h.post(block_actions(fresh, user_id="U1ALICE",
                               response_url=h.api.response_url("U1ALICE")))
    assert _count(h, "SELECT count(*) FROM members WHERE consent_at IS NOT NULL") == 1


async def test_a_failed_request_can_be_retried(h):
    """The receipt belongs to the request's unit of work: a request that rolled back
    (here an unknown group) leaves none, so sending it again runs it again."""
    await _members(h, "U1ALICE")
    body = slash_command("/peer", "group join nowhere", user_id="U1ALICE",
                         response_url=h.api.response_url("U1ALICE"))
    signed_at = int(time.time())
    await h.post(body, timestamp=signed_at)
    await h.post(body, timestamp=signed_at)
    answers = [a["text"] for a in h.responses("U1ALICE")[-2:]]
    assert all("no peer group called" in a for a in answers), answers


@pytest.fixture
def discord_assembly(make_settings, clock):
    settings = make_settings({"groups": [{"name": "circle", "facilitators": ["100"]}],
                              "discord": {"guild_ids": [int(GUILD_ID)]}})
    db = open_database(settings.bot.database)
    yield assemble(settings, db, clock, "discord")
    db.close()


async def test_a_discord_interaction_delivered_twice_runs_once(discord_assembly, clock):
    db = discord_assembly.ctx.db
    fran = {"user_id": "100", "user_name": "fran"}
    async with fake_discord() as fake, logged_in(discord_assembly) as ad:
        for who in ({"user_id": "101", "user_name": "alice"}, fran):
            joined = await d_consented(ad, fake, [group("group", sub("join", name="circle"))],
                                       **who)
            await d_agree(ad, fake, joined, **who)
        payload = slash("peer-admin", [group("checkins", sub("now"))], **fran)
        edits = len(fake.find("PATCH", r"/messages/@original$"))
        feed(ad, payload)
        await fake.wait_for("PATCH", r"/messages/@original$", count=edits + 1)
        prompts = db.execute("SELECT count(*) FROM checkin_prompts").fetchone()[0]
        clock.advance(timedelta(minutes=2))
        feed(ad, payload)  # the same interaction id again
        found = await fake.wait_for("PATCH", r"/messages/@original$", count=edits + 2)
    assert prompts == 2
    assert db.execute("SELECT count(*) FROM checkin_prompts").fetchone()[0] == prompts
    assert "already handled" in str(found[-1].json)
