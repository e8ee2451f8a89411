"""Floods: a burst of 10 commands then 1 a second per person, with a calm "slow down";
anything that messages another person at most once per target per hour (and buddy
invitations 3 an hour in all); `admin checkins now` once per group per hour unless
forced. One person's flood never slows anyone else, and crisis lines are never limited.
Through the real slack-bolt app and the real discord.py client."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core import action_ids
from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import text_of
from tests.support.discord_fake.harness import fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import slash, sub
from tests.support.discord_fake.server import GUILD_ID
from tests.support.slack_fake.flow import agree, command, consented
from tests.support.slack_fake.harness import make_harness
from tests.support.world import World, buttons

GROUP = {"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}
SLOW = "faster than I can take them"


@pytest.fixture
def h(fake_api, make_settings, clock):
    harness = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}),
                           clock)
    yield harness
    harness.assembly.ctx.db.close()


def _count(h, sql: str) -> int:
    return h.assembly.ctx.db.execute(sql).fetchone()[0]


async def test_a_burst_of_ten_then_one_a_second_and_others_are_not_slowed(h, clock):
    answers = [await command(h, "U1ALICE", "privacy") for _ in range(15)]
    slowed = [SLOW in a["text"] for a in answers]
    assert slowed == [False] * 10 + [True] * 5
    assert SLOW not in (await command(h, "U2BOB", "privacy"))["text"]  # bob is not held up
    clock.advance(timedelta(seconds=1))
    assert SLOW not in (await command(h, "U1ALICE", "privacy"))["text"]
    assert SLOW in (await command(h, "U1ALICE", "privacy"))["text"]
    clock.advance(timedelta(seconds=10))
    assert [SLOW in (await command(h, "U1ALICE", "privacy"))["text"]
            for _ in range(11)] == [False] * 10 + [True]


async def test_a_refused_request_writes_nothing(h):
    for _ in range(10):
        await command(h, "U1ALICE", "help")
    before = _count(h, "SELECT count(*) FROM members")
    answer = await command(h, "U9NEW", "help")  # a new person has a full bucket
    assert SLOW not in answer["text"]
    for _ in range(5):
        assert SLOW in (await command(h, "U1ALICE", "group join circle"))["text"]
    assert _count(h, "SELECT count(*) FROM members") == before + 1
    assert _count(h, "SELECT count(*) FROM memberships") == 0


async def test_crisis_lines_are_never_rate_limited(h):
    answers = [await command(h, "U1ALICE", "gb", command="/crisis") for _ in range(25)]
    assert all("999" in a["text"] for a in answers)


async def test_one_buddy_invitation_per_person_an_hour_and_three_in_all(h, clock):
    people = ["U2BOB", "U3CAROL", "U4DAN", "U5EVE"]
    for user in ("U1ALICE", *people):
        await consented(h, user, "group join circle")
    clock.advance(timedelta(seconds=20))
    first = await command(h, "U1ALICE", "checkin buddy <@U2BOB>")
    again = await command(h, "U1ALICE", "checkin buddy <@U2BOB>")
    assert "asked" in first["text"] and "less than an hour ago" in again["text"]
    for user in people[1:]:
        last = await command(h, "U1ALICE", f"checkin buddy <@{user}>")
    assert "3 buddy invitations in the last hour" in last["text"]
    assert _count(h, "SELECT count(*) FROM outbox WHERE kind = 'checkin-buddy'") == 3
    clock.advance(timedelta(minutes=61))
    assert "I've asked" in (await command(h, "U1ALICE", "checkin buddy <@U2BOB>"))["text"]


async def test_inviting_every_colleague_sends_three_messages(h, clock):
    people = [f"U{n:03d}X" for n in range(30)]
    for user in ("U1ALICE", *people):
        await consented(h, user, "group join circle")
    for n, user in enumerate(people):
        if n % 9 == 0:
            clock.advance(timedelta(seconds=10))  # stay inside the command rate
        await command(h, "U1ALICE", f"checkin buddy <@{user}>")
    assert _count(h, "SELECT count(*) FROM outbox WHERE kind = 'checkin-buddy'") == 3


async def test_checkins_now_once_an_hour_per_group_unless_forced(h, clock):
    for user in ("U1ALICE", "U2BOB", "U0FRAN"):
        await agree(h, user, await consented(h, user, "group join circle"))
    first = await command(h, "U0FRAN", "admin checkins now")
    assert "Sent a check-in to 3 member(s)" in first["text"]
    clock.advance(timedelta(minutes=5))
    again = await command(h, "U0FRAN", "admin checkins now")
    assert "less than an hour ago" in again["text"] and "force" in again["text"]
    assert _count(h, "SELECT count(*) FROM checkin_prompts") == 3
    forced = await command(h, "U0FRAN", "admin checkins now force")
    assert "Sent a check-in" in forced["text"]
    clock.advance(timedelta(minutes=61))
    assert "Sent a check-in" in (await command(h, "U0FRAN", "admin checkins now"))["text"]


async def test_pair_now_asks_each_colleague_once_an_hour(tmp_path):
    w = World.pairing(tmp_path, pairing={"now_timeout_minutes": 20})
    await w.join("alice", "carol")
    ask = action_ids.encode("pair.nowask", 1)  # the confirm card's "Ask with my name"
    await w.say("alice", "pair now")
    await w.tap("alice", ask)
    await w.drain()
    offers = len(w.messenger.to("carol"))
    await w.wait(timedelta(minutes=25))  # the request expired unanswered
    assert "nobody" in (await w.say("alice", "pair now")).lower()
    await w.drain()
    assert len(w.messenger.to("carol")) == offers  # carol is not asked again so soon
    await w.wait(timedelta(minutes=40))
    await w.say("alice", "pair now")
    await w.tap("alice", ask)
    await w.drain()
    assert "I can talk now" in buttons(w.messenger.to("carol")[-1])


async def test_discord_a_flood_is_slowed_and_others_still_answered(make_settings, clock):
    settings = make_settings({"discord": {"guild_ids": [int(GUILD_ID)]}})
    assembly = assemble(settings, open_database(settings.bot.database), clock, "discord")
    try:
        async with fake_discord() as fake, logged_in(assembly) as ad:
            for _ in range(14):
                feed(ad, slash("peer", [sub("privacy")], user_id="101", user_name="mal"))
            edits = await fake.wait_for("PATCH", r"/messages/@original$", count=14)
            feed(ad, slash("peer", [sub("privacy")], user_id="102", user_name="bob"))
            found = await fake.wait_for("PATCH", r"/messages/@original$", count=15)
    finally:
        assembly.ctx.db.close()
    slowed = [SLOW in text_of(e.json) for e in edits]
    assert slowed.count(True) == 4 and slowed.count(False) == 10
    assert SLOW not in text_of(found[-1].json)
