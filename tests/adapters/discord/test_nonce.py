"""A retried outbox send carries the same nonce with enforce_nonce, so Discord returns
the message it already made instead of a second one; different rows never share one."""

from __future__ import annotations

import pytest

from bot.core.delivery import Deliverer
from bot.core.model import Section, Target, message
from tests.support.discord_fake.harness import SpyHost, fake_discord, logged_in
from tests.support.discord_fake.server import GUILD_ID

PROMPT = message(Section("How are you?"), fallback="Check-in")


@pytest.fixture
def dsettings(make_settings):
    return make_settings({"discord": {"guild_ids": [int(GUILD_ID)]}})


async def test_a_resent_row_is_one_message(dsettings, assembly):
    ctx = assembly.ctx
    ctx.members.ensure_workspace(GUILD_ID, "discord")
    with ctx.db.atomic():
        ctx.outbox.enqueue(GUILD_ID, "r1", Target(user_id="101"), PROMPT)
        ctx.outbox.enqueue(GUILD_ID, "r2", Target(user_id="101"), PROMPT)
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        first = Deliverer(ctx.outbox, ctx.members, ad.messenger, ctx.clock)
        await first.drain_once()
        # The process died after Discord accepted r1 but before it was marked sent:
        ctx.db.execute("UPDATE outbox SET status = 'sending' WHERE round_key = 'r1'")
        ctx.db.commit()
        again = Deliverer(ctx.outbox, ctx.members, ad.messenger, ctx.clock)
        await again.recover_in_flight()
        await again.drain_once()
    posts = fake.find("POST", r"^/channels/\d+/messages$")
    assert len(posts) == 3  # r1, r2, and r1 again
    assert all(p.json["enforce_nonce"] is True for p in posts)
    nonces = [p.json["nonce"] for p in posts]
    assert nonces[0] != nonces[1] and nonces[2] == nonces[0] and len(nonces[0]) <= 25
    created = {(channel, nonce) for channel, nonce in fake.nonces}
    assert len(created) == 2  # Discord made two messages, not three
    refs = [r for (r,) in ctx.db.execute("SELECT platform_ref FROM outbox ORDER BY id")]
    assert refs[0] != refs[1]
    assert ctx.outbox.status_counts(GUILD_ID) == {"sent": 2}
