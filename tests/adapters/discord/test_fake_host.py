"""The Discord adapter needs only a Host: the real client, against the fake Discord, on
the smallest fake Host (one hand-made command, no router, no database)."""

from __future__ import annotations

from tests.support.discord_fake.flow import text_of
from tests.support.discord_fake.harness import fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import slash, sub
from tests.support.discord_fake.server import APP_ID, GUILD_ID
from tests.support.hosts import EchoHost


async def test_the_tree_a_command_and_autocomplete_need_nothing_but_a_host(make_settings):
    settings = make_settings({"discord": {"guild_ids": [int(GUILD_ID)]}})
    host = EchoHost(settings, groups=("Circle", "Monday"))
    typed = slash("peer", [{"name": "hello", "type": 1, "options": [
        {"name": "group", "type": 3, "value": "mon", "focused": True}]}])
    typed["type"] = 4  # APPLICATION_COMMAND_AUTOCOMPLETE
    async with fake_discord() as fake, logged_in(host, defer_after=None) as ad:
        feed(ad, slash("peer", [sub("hello", text="bob")]))
        [answer] = await fake.wait_for("POST", r"/callback$")
        feed(ad, typed)
        [_, suggested] = await fake.wait_for("POST", r"/callback$", count=2)
    [put] = fake.find("PUT", rf"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    peer = next(c for c in put.json if c["name"] == "peer")
    assert [o["name"] for o in peer["options"]] == ["hello", "run"]
    [invocation] = host.seen
    assert (invocation.command, invocation.text) == ("peer", "hello bob")
    assert text_of(answer.json["data"]) == "echo: hello bob"
    assert [c["value"] for c in suggested.json["data"]["choices"]] == ["Monday"]
    assert host.spelling is not None and host.spelling("hello bob") == "hello text:bob"
