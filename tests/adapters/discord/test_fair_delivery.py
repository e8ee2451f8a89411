"""Attack (Discord twin of tests/adapters/slack/test_fair_delivery.py): a colleague's
"talk now?" request while a 5,000-prompt fan-out runs at Discord's global limit.

The real discord.py client runs inside ``run_discord`` (the production ``serve``: one
drain loop, its senders, the pace under the global limit) against the fake Discord,
which answers every request over 50 a second with a global 429, as Discord does
(interaction answers are exempt there too). Alice asks `/peer pair now` and taps "Ask
with my name": the offer to Bob is an outbox DM under the same global limit as the
fan-out. In the queue's order it would wait behind thousands of prompts; it must be
posted within the next few accepted messages (ordering, not timing). Then the bot is
stopped as SIGTERM stops it, mid fan-out: nothing Discord accepted may be left unmarked
(it would be sent again), nothing may be created twice.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import adapters.discord.client as client_module
from adapters.discord import run_discord
from bot.core.clock import SystemClock
from bot.core.config import Secrets
from bot.core.model import Section, Target, message
from bot.core.requestid import request_scope
from bot.pairing.participants import WEEKDAYS, PairingMembers
from bot.runtime import assemble, serve
from bot.store.db import open_database
from tests.support.discord_fake.flow import agree, buttons, consented, press
from tests.support.discord_fake.harness import fake_discord
from tests.support.discord_fake.payloads import group, sub
from tests.support.discord_fake.server import CHANNEL_ID, GUILD_ID, TOKEN

PROMPTS = 5_000
ALICE = {"user_id": "101", "user_name": "alice"}
BOB = {"user_id": "102", "user_name": "bob"}
BOB_DM = "502"  # the fake opens a DM channel with id "5" + the user id's tail
MESSAGES = r"^/channels/\d+/messages$"


def _settings(make_settings):
    return make_settings({
        "groups": [{"name": "circle", "channel": "800000000000000010"}],
        "discord": {"guild_ids": [int(GUILD_ID)]},
    })


def _queue_round(ctx) -> list[str]:
    """5,000 check-in prompts from one job run (one flow), to members whose DM channels
    are known from earlier rounds; returns those channels."""
    channels = []
    with request_scope(prefix="job"), ctx.db.atomic():
        for n in range(PROMPTS):
            ctx.outbox.enqueue(GUILD_ID, f"checkin.prompt:{n}", Target(user_id=str(300 + n)),
                               message(Section(f"check-in {n}")), kind="checkin")
            channels.append(str(600000 + n))
    return channels


def _bob_is_free_now(ctx) -> None:
    """Bob's on-demand hours: the two hours around now, every day (so the test does not
    depend on the hour or the weekday it runs at)."""
    now = datetime.now(UTC)
    start, end = ((now + timedelta(hours=h)).time().replace(second=0, microsecond=0)
                  for h in (-1, 1))
    with ctx.db.atomic():
        PairingMembers(ctx.db, ctx.clock).set_hours(GUILD_ID, BOB["user_id"], start, end,
                                                    WEEKDAYS)


async def test_a_pair_now_offer_overtakes_a_fan_out_held_by_the_global_limit(
        make_settings, monkeypatch):
    settings = _settings(make_settings)
    assembly = assemble(settings, open_database(settings.bot.database), SystemClock(),
                        "discord")
    ctx = assembly.ctx
    marks: dict[str, int] = {}

    async with fake_discord(global_rate=50) as fake:

        async def platform(self, token: str) -> None:
            await self.client.login(token)
            try:
                for who in (ALICE, BOB):
                    joined = await consented(self, fake, [group("group", sub("join",
                                                                              name="circle"))],
                                             **who)
                    await agree(self, fake, joined, **who)
                    await consented(self, fake, [group("pair", sub("join"))], **who)
                _bob_is_free_now(ctx)
                for n, channel in enumerate(_queue_round(ctx)):
                    self.messenger.remember_channel(GUILD_ID, str(300 + n), channel)
                async with asyncio.timeout(60):
                    while len(fake.find("POST", MESSAGES)) < 100:  # the fan-out is under way
                        await asyncio.sleep(0.01)
                    asked = await consented(self, fake, [group("pair", sub("now"))], **ALICE)
                    await press(self, fake, buttons(asked)["Ask with my name"],
                                fake.message(CHANNEL_ID, asked), guild_id=GUILD_ID, **ALICE)
                    marks["pressed"] = len(fake.find("POST", MESSAGES))  # the offer is queued
                    offer = await fake.wait_for("POST", rf"^/channels/{BOB_DM}/messages$",
                                                cap=60)
                    posts = fake.find("POST", MESSAGES)
                    marks["offer"] = posts.index(offer[0])
                    marks["pending"] = ctx.outbox.status_counts().get("pending", 0)
                stop.set()  # as SIGTERM does: sends in flight settle, then this is cancelled
                await asyncio.Event().wait()
            finally:
                await self.client.close()

        stop = asyncio.Event()
        monkeypatch.setattr(client_module.DiscordAdapter, "run", platform)
        monkeypatch.setattr(assembly, "serve", lambda messenger, run_platform: serve(
            assembly, messenger, run_platform, stop=stop))
        assert await run_discord(assembly, Secrets(discord_token=TOKEN)) == 0

    try:
        posts = fake.find("POST", MESSAGES)
        offer = posts[marks["offer"]].json
        assert "Alice" in str(offer) and "talk" in str(offer).lower(), offer
        concurrency = ctx.settings.delivery.concurrency
        # Prompts Discord accepted between the tap's answer (the offer is queued by then)
        # and the offer: at most the sends in flight and, while the offer's DM channel is
        # opened, one more for each other sender (a 429 that discord.py retries itself
        # is not counted: accepted messages are).
        between = {p.path for p in posts[marks["pressed"]:marks["offer"]] if p.status == 200}
        assert len(between) <= 2 * concurrency, (marks, sorted(between))
        assert marks["pending"] > PROMPTS - 1_000  # it did not wait for the round
        # Nothing lost or doubled although it stopped mid fan-out: every prompt Discord
        # created (a retried send with the same nonce creates nothing new) is marked
        # sent, the rest still wait.
        created = {(p.path, p.json.get("nonce")) for p in posts
                   if p.status == 200 and p.path.startswith("/channels/6")}
        db = open_database(ctx.settings.bot.database)
        try:
            sent = db.execute("SELECT count(*) FROM outbox WHERE kind = 'checkin'"
                              " AND status = 'sent'").fetchone()[0]
            waiting = db.execute("SELECT count(*) FROM outbox WHERE kind = 'checkin'"
                                 " AND status = 'pending'").fetchone()[0]
        finally:
            db.close()
        assert sent == len(created) and sent + waiting == PROMPTS
        assert len({p.path for p in posts if p.status == 200
                    and p.path.startswith("/channels/6")}) == len(created)
    finally:
        ctx.db.close()

