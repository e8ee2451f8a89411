"""Identity: admin and facilitator rights come from platform user ids only. A display
name, nickname or username set to an admin's id grants nothing, on Slack or Discord."""

from __future__ import annotations

import pytest

from bot.core.model import Role
from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import consented as discord_consented
from tests.support.discord_fake.flow import text_of
from tests.support.discord_fake.harness import fake_discord, logged_in
from tests.support.discord_fake.payloads import sub
from tests.support.discord_fake.server import GUILD_ID
from tests.support.slack_fake.flow import consented
from tests.support.slack_fake.harness import make_harness

ADMIN_ID = "U0ADMIN"


def _role(db, ws: str, user: str) -> int | None:
    row = db.execute("SELECT role FROM members WHERE workspace_id = ? AND user_id = ?",
                     [ws, user]).fetchone()
    return row[0] if row else None


def _facilitates(db, user: str) -> bool:
    return db.execute("SELECT 1 FROM memberships WHERE user_id = ? AND is_facilitator",
                      [user]).fetchone() is not None


@pytest.mark.parametrize("name", [ADMIN_ID, ADMIN_ID.lower(), "U0FRAN"])
async def test_slack_username_equal_to_an_admin_or_facilitator_id_grants_nothing(
    fake_api, make_settings, clock, name
):
    settings = {"bot": {"admins": [ADMIN_ID]},
                "groups": [{"name": "circle", "facilitators": ["U0FRAN"]}]}
    h = make_harness(fake_api, lambda extra: make_settings({**extra, **settings}), clock)
    db = h.assembly.ctx.db
    try:
        await consented(h, "U9MALLORY", "help", name=name)
        answer = await consented(h, "U9MALLORY", "admin members group:circle", name=name)
        assert "is for" in answer["text"]  # refused: a facilitator/admin command
        assert _role(db, "T0PEER", "U9MALLORY") == Role.MEMBER
        assert not _facilitates(db, "U9MALLORY")
        await consented(h, ADMIN_ID, "help", name="someone-else")  # the real admin, any name
        assert _role(db, "T0PEER", ADMIN_ID) == Role.ADMIN
    finally:
        db.close()


@pytest.fixture
def discord_assembly(make_settings, clock):
    settings = make_settings({
        "bot": {"admins": ["100"]},
        "groups": [{"name": "day", "facilitators": ["100"]}],
        "discord": {"guild_ids": [int(GUILD_ID)]},
    })
    db = open_database(settings.bot.database)
    yield assemble(settings, db, clock, "discord")
    db.close()


async def test_discord_nickname_set_to_the_admins_id_grants_nothing(discord_assembly):
    db = discord_assembly.ctx.db
    mallory = {"user_id": "666", "user_name": "100"}  # username and global name "100"
    async with fake_discord() as fake, logged_in(discord_assembly) as ad:
        answer = await discord_consented(
            ad, fake, [sub("members", group="day")], top="peer-admin", **mallory)
        assert "is for" in text_of(answer)
        assert _role(db, GUILD_ID, "666") == Role.MEMBER and not _facilitates(db, "666")
        await discord_consented(ad, fake, [sub("help")], user_id="100", user_name="fran")
    assert _role(db, GUILD_ID, "100") == Role.ADMIN and _facilitates(db, "100")
