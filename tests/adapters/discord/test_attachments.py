"""Files on Discord: the real discord.py client sends a multipart message whose file
carries the alt text as its description; a resend after a crash is still one message."""

from __future__ import annotations

import pytest

from bot.core.delivery import Deliverer
from bot.core.model import Attachment, Section, Target, message
from tests.support.discord_fake.harness import SpyHost, fake_discord, logged_in
from tests.support.discord_fake.server import GUILD_ID

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
CHART = Attachment("pulse.png", PNG, "image/png", alt_text="Bar chart: week 2, 4.2 of 5")
MSG = message(Section("Pulse for circle"), attachment=CHART, fallback="Pulse")


@pytest.fixture
def dsettings(make_settings):
    return make_settings({"discord": {"guild_ids": [int(GUILD_ID)]}})


def queue(ctx, user: str = "101", round_key: str = "r1") -> None:
    ctx.members.ensure_workspace(GUILD_ID, "discord")
    with ctx.db.atomic():
        ctx.outbox.enqueue(GUILD_ID, round_key, Target(user_id=user), MSG)


async def test_a_queued_file_goes_as_an_attachment_with_its_description(dsettings, assembly):
    ctx = assembly.ctx
    queue(ctx)
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        stats = await Deliverer(ctx.outbox, ctx.members, ad.messenger, ctx.clock).drain_once()
    assert stats.sent == 1
    [post] = fake.find("POST", r"^/channels/\d+/messages$")
    assert post.files == ["pulse.png"] and post.file_data == [PNG]
    [meta] = post.json["attachments"]
    assert meta["description"] == "Bar chart: week 2, 4.2 of 5"
    assert meta["filename"] == "pulse.png"
    assert "Pulse" in (post.json.get("content") or "")


async def test_a_file_resent_after_a_crash_is_still_one_message(dsettings, assembly):
    ctx = assembly.ctx
    queue(ctx)
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        await Deliverer(ctx.outbox, ctx.members, ad.messenger, ctx.clock).drain_once()
        # Discord took it, then the process died before the row was marked sent:
        ctx.db.execute("UPDATE outbox SET status = 'sending'")
        ctx.db.commit()
        again = Deliverer(ctx.outbox, ctx.members, ad.messenger, ctx.clock)
        await again.recover_in_flight()
        await again.drain_once()
    posts = fake.find("POST", r"^/channels/\d+/messages$")
    assert len(posts) == 2 and all(p.file_data == [PNG] for p in posts)
    assert posts[0].json["nonce"] == posts[1].json["nonce"]
    assert len(fake.nonces) == 1  # one message made, with its file
    assert ctx.outbox.status_counts(GUILD_ID) == {"sent": 1}


async def test_a_file_to_a_member_who_takes_no_dms_is_undeliverable(dsettings, assembly):
    ctx = assembly.ctx
    queue(ctx)
    async with fake_discord() as fake, logged_in(SpyHost(dsettings)) as ad:
        fake.fail("POST", r"^/channels/\d+/messages$", 403, code=50007,
                  message="Cannot send messages to this user")
        stats = await Deliverer(ctx.outbox, ctx.members, ad.messenger, ctx.clock).drain_once()
    assert stats.undeliverable == 1
    assert ctx.outbox.status_counts(GUILD_ID) == {"undeliverable": 1}
