"""Through the real discord.py client: a facilitator of one group cannot read or run
another group's facilitator commands, and nothing changes when they try."""

from __future__ import annotations

import pytest

from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import consented, text_of
from tests.support.discord_fake.harness import fake_discord, logged_in
from tests.support.discord_fake.payloads import group, sub
from tests.support.discord_fake.server import GUILD_ID

DAY_FACILITATOR = {"user_id": "100", "user_name": "fran"}
NIGHT_MEMBER = {"user_id": "102", "user_name": "noor"}


@pytest.fixture
def assembly(make_settings, clock):
    settings = make_settings({
        "groups": [{"name": "day", "facilitators": ["100"]}, {"name": "night"}],
        "discord": {"guild_ids": [int(GUILD_ID)]},
    })
    db = open_database(settings.bot.database)
    yield assemble(settings, db, clock, "discord")
    db.close()


@pytest.mark.parametrize("options", [
    [sub("members", group="night")],
    [group("checkins", sub("now", group="night"))],
    [group("pair", sub("preview", group="night"))],
    [group("pair", sub("round", group="night"))],
    [sub("pulse", group="night")],
], ids=["members", "checkins-now", "pair preview", "pair round", "pulse"])
async def test_another_groups_facilitator_commands_are_refused(assembly, options):
    db = assembly.ctx.db
    async with fake_discord() as fake, logged_in(assembly) as ad:
        await consented(ad, fake, [group("group", sub("join", name="night"))], **NIGHT_MEMBER)
        counts = [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("outbox", "checkin_prompts", "pairing_rounds", "audit_log")]
        answer = await consented(ad, fake, options, top="peer-admin", **DAY_FACILITATOR)
    text = text_of(answer)
    assert answer["ephemeral"] and "is for facilitators of **night**" in text, text
    assert "noor" not in text.lower() and "102" not in text
    assert [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("outbox", "checkin_prompts", "pairing_rounds", "audit_log")] == counts


async def test_their_own_group_is_theirs_to_see(assembly):
    async with fake_discord() as fake, logged_in(assembly) as ad:
        answer = await consented(ad, fake, [sub("members", group="day")], top="peer-admin",
                                 **DAY_FACILITATOR)
    assert "**day**: 1 member(s)" in text_of(answer)
