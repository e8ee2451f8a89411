"""The outbox through the Discord messenger: 50007 marks the member and stops retries."""

from __future__ import annotations

from bot.core.model import Actor, Section, Target, message
from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import drain
from tests.support.discord_fake.harness import fake_discord, logged_in
from tests.support.discord_fake.server import GUILD_ID


async def test_50007_marks_the_member_and_is_never_retried(make_settings, clock):
    settings = make_settings({"discord": {"guild_ids": [int(GUILD_ID)]}})
    db = open_database(settings.bot.database)
    assembly = assemble(settings, db, clock, "discord")
    ctx = assembly.ctx
    try:
        assembly.core.prepare_workspace(GUILD_ID)
        for user in ("101", "102"):
            ctx.members.ensure_member(Actor(GUILD_ID, user, user))
        with db.atomic():
            for user in ("101", "102"):
                ctx.outbox.enqueue(GUILD_ID, "r1", Target(user_id=user), message(Section("Hi")))
        async with fake_discord() as fake, logged_in(assembly) as ad:
            fake.fail("POST", r"^/channels/501/messages$", 403, code=50007,
                      message="Cannot send messages to this user", times=99)
            await drain(ctx, ad.messenger)
            with db.atomic():
                ctx.outbox.enqueue(GUILD_ID, "r2", Target(user_id="102"), message(Section("2")))
            await drain(ctx, ad.messenger)
            tries = fake.find("POST", r"^/channels/501/messages$")
        assert len(tries) == 1
        assert ctx.outbox.status_counts(GUILD_ID) == {"sent": 2, "undeliverable": 1}
        assert ctx.members.get(GUILD_ID, "101").undeliverable_reason
        assert not ctx.members.get(GUILD_ID, "102").undeliverable_reason
    finally:
        db.close()


async def test_a_long_rate_limit_waits_without_spending_an_attempt(make_settings, clock):
    settings = make_settings({"discord": {"guild_ids": [int(GUILD_ID)]}})
    db = open_database(settings.bot.database)
    assembly = assemble(settings, db, clock, "discord")
    ctx = assembly.ctx
    try:
        assembly.core.prepare_workspace(GUILD_ID)
        with db.atomic():
            ctx.outbox.enqueue(GUILD_ID, "r1", Target(user_id="101"), message(Section("Hi")))
        async with fake_discord() as fake, logged_in(assembly) as ad:
            fake.fail("POST", r"/messages$", 429, retry_after=90.0, message="rate limited")
            await drain(ctx, ad.messenger)  # the test clock jumps the 90 s wait
        assert ctx.outbox.status_counts(GUILD_ID) == {"sent": 1}
        attempts = db.execute("SELECT attempts FROM outbox").fetchone()[0]
        assert attempts == 1  # the rate-limited try did not count
    finally:
        db.close()
