"""A tap's edit goes out at once: the click wakes the drain loop (issue 19).

The real discord.py client and the real messenger run inside ``serve`` against the
fake Discord, with a drain loop that polls only once an hour. Nothing but a wake can
then deliver anything: the prompt goes out because ``/peer-admin checkins now``
woke the loop, and the prompt's edit after the tap goes out because the click woke it.
Without the wake after a button the edit would wait for the next poll, an hour later,
and the guard (a hang guard, not a speed goal) fails the test.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.runtime import assemble, serve
from bot.store.db import open_database
from tests.support.discord_fake.flow import agree, buttons, consented
from tests.support.discord_fake.harness import fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import click, group, sub
from tests.support.discord_fake.server import GUILD_ID

FRAN = {"user_id": "100", "user_name": "fran"}
ALICE = {"user_id": "101", "user_name": "alice"}
HOUR = 3600.0  # the drain loop's poll: far longer than any test may wait


@pytest.fixture
def assembly(make_settings, clock):
    settings = make_settings({
        "groups": [{"name": "circle", "channel": "800000000000000010",
                    "facilitators": ["100"]}],
        "discord": {"guild_ids": [int(GUILD_ID)], "facilitator_role_id": 4242},
    })
    db = open_database(settings.bot.database)
    yield assemble(settings, db, clock, "discord")
    db.close()


async def test_the_edit_after_a_tap_is_sent_without_waiting_for_the_poll(assembly):
    async with fake_discord() as fake, logged_in(assembly) as ad:
        seen: dict[str, object] = {}

        async def platform() -> None:
            async with asyncio.timeout(30):  # a hang guard only
                joined = await consented(ad, fake, [group("group", sub("join", name="circle"))],
                                         **ALICE)
                await agree(ad, fake, joined, **ALICE)
                await consented(ad, fake, [group("checkins", sub("now"))], top="peer-admin",
                                **FRAN)
                [prompt] = await fake.wait_for("POST", r"^/channels/501/messages$")
                sent = fake.message("501", prompt.json)
                while not (ref := assembly.ctx.db.execute(  # settled after the answer
                        "SELECT platform_ref FROM outbox WHERE user_id = '101'").fetchone()[0]):
                    await asyncio.sleep(0.01)
                sent["id"] = ref.split(":")[1]
                feed(ad, click(buttons(prompt.json)["4 · Good"], message=sent, **ALICE))
                [edit] = await fake.wait_for("PATCH", rf"^/channels/501/messages/{sent['id']}$")
                seen["edit"] = edit.json

        assert await serve(assembly, ad.messenger, platform, poll_seconds=HOUR) == 0
    assert "✓ 4 · Good" in buttons(seen["edit"])  # type: ignore[arg-type]
