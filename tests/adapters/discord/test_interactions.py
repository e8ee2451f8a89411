"""Slash commands and clicks through the real discord.py client against the fake API."""

from __future__ import annotations

import pytest

from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.harness import SpyHost, fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import group, slash, sub
from tests.support.discord_fake.server import APP_ID, GUILD_ID


@pytest.fixture
def dsettings(make_settings):
    return make_settings({
        "bot": {"admins": ["101"], "platform": "discord"},
        "discord": {"guild_ids": [int(GUILD_ID)], "facilitator_role_id": 4242},
        "groups": [{"name": "Circle"}],
    })


@pytest.fixture
def host(dsettings, clock):
    """The runtime's real Host (its Assembly), as ``peerbot run`` hands it to the adapter."""
    db = open_database(dsettings.bot.database)
    yield assemble(dsettings, db, clock, "discord")
    db.close()


async def test_login_syncs_peer_peer_admin_and_crisis_to_the_guild(host):
    async with fake_discord() as fake, logged_in(host):
        [put] = fake.find("PUT", rf"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
        synced = {c["name"]: c for c in put.json}
    assert sorted(synced) == ["crisis", "peer", "peer-admin"]
    manage_guild = 1 << 5
    assert str(synced["peer-admin"]["default_member_permissions"]) == str(manage_guild)
    assert synced["peer"].get("default_member_permissions") is None  # everyone sees /peer
    assert synced["peer-admin"].get("dm_permission") is False  # servers only
    staff = {o["name"] for o in synced["peer-admin"]["options"]}
    assert {"role", "audit", "members", "pulse", "pair", "checkins"} <= staff
    assert not {"admin", "pulse"} & {o["name"] for o in synced["peer"]["options"]}


async def test_help_is_answered_ephemerally(host):
    async with fake_discord() as fake, logged_in(host, defer_after=None) as ad:
        feed(ad, slash("peer", [sub("help")]))
        [cb] = await fake.wait_for("POST", r"/interactions/\d+/[^/]+/callback")
        assert cb.json["type"] == 4
        assert cb.json["data"]["flags"] & 64
        assert cb.json["data"]["embeds"]


async def test_a_slow_answer_is_deferred_then_edited_in(host):
    async with fake_discord() as fake, logged_in(host, defer_after=0) as ad:
        feed(ad, slash("peer", [sub("help")]))
        [edit] = await fake.wait_for("PATCH", r"/messages/@original$")
        [cb] = fake.find("POST", r"/callback$")
    assert (cb.json["type"], cb.json["data"]["flags"]) == (5, 64)  # ephemeral "thinking"
    assert edit.json["embeds"]


async def test_a_member_command_reaches_the_real_core(host):
    async with fake_discord() as fake, logged_in(host, defer_after=None) as ad:
        feed(ad, slash("peer", [group("group", sub("list"))], user_id="555", user_name="eve"))
        [cb] = await fake.wait_for("POST", r"/callback$")
    text = str(cb.json["data"])
    assert "Circle" in text or "consent" in text.lower() or "agree" in text.lower()
    assert host.ctx.members.get(GUILD_ID, "555") is not None


async def test_export_arrives_as_an_ephemeral_file(host):
    async with fake_discord() as fake, logged_in(host, defer_after=None) as ad:
        feed(ad, slash("peer", [sub("export")]))
        [cb] = await fake.wait_for("POST", r"/callback$")
    assert cb.json["data"]["flags"] & 64
    assert len(cb.files) == 1 and cb.files[0].endswith(".json")


async def test_without_guild_ids_commands_are_synced_globally(make_settings):
    settings = make_settings({"discord": {"guild_ids": []}})
    async with fake_discord() as fake, logged_in(SpyHost(settings)) as ad:
        assert ad.messenger.ready.is_set()
    [put] = fake.find("PUT", r"/commands$")
    assert put.path == f"/applications/{APP_ID}/commands"


async def test_group_names_are_suggested_as_you_type(host):
    host.core.prepare_workspace(GUILD_ID)
    host.ctx.members.ensure_group(GUILD_ID, "Monday")
    host.ctx.members.ensure_group(GUILD_ID, "Thursday circle")
    typed = {"name": "name", "type": 3, "value": "circ", "focused": True}
    payload = slash("peer", [{"name": "group", "type": 2, "options": [
        {"name": "join", "type": 1, "options": [typed]}]}])
    payload["type"] = 4  # APPLICATION_COMMAND_AUTOCOMPLETE
    async with fake_discord() as fake, logged_in(host) as ad:
        feed(ad, payload)
        [cb] = await fake.wait_for("POST", r"/callback$")
    assert cb.json["type"] == 8
    assert [c["value"] for c in cb.json["data"]["choices"]] == ["Circle", "Thursday circle"]


async def test_export_after_the_deferral_attaches_the_file_to_the_edit(host):
    async with fake_discord() as fake, logged_in(host) as ad:
        feed(ad, slash("peer", [sub("export")]))
        [edit] = await fake.wait_for("PATCH", r"/messages/@original$")
    assert len(edit.files) == 1 and edit.files[0].endswith(".json")


async def test_crisis_lines_for_one_group_through_the_real_client(host):
    """`/peer crisis lines country:AU people:youth` shows the youth lines, privately."""
    async with fake_discord() as fake, logged_in(host, defer_after=None) as ad:
        [put] = fake.find("PUT", r"/commands$")
        peer = next(c for c in put.json if c["name"] == "peer")
        crisis = next(o for o in peer["options"] if o["name"] == "crisis")
        lines = next(o for o in crisis["options"] if o["name"] == "lines")
        people = next(o for o in lines["options"] if o["name"] == "people")
        assert [c["value"] for c in people["choices"]] == [
            "youth", "lgbtq", "indigenous", "men", "veterans"]
        feed(ad, slash("peer", [group("crisis", sub("lines", country="AU", people="youth"))]))
        [cb] = await fake.wait_for("POST", r"/callback$")
    assert cb.json["data"]["flags"] & 64
    text = str(cb.json["data"])
    assert "Kids Helpline" in text and "1800 55 1800" in text and "13 11 14" not in text
