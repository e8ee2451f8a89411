"""What the adapter hands the host for each Discord interaction (a spy host stands in)."""

from __future__ import annotations

import pytest

from bot.core.model import Role, Section, Visibility, reply
from bot.runtime import build_router
from tests.support.discord_fake.harness import SpyHost, fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import UserRef, click, group, slash, sub
from tests.support.discord_fake.server import GUILD_ID


def _noop(request):
    return None


@pytest.fixture
def router():
    r = build_router()
    for phrase in ("admin checkins", "admin checkins now"):  # may land in the core first
        if r.spec(phrase) is None:
            r.command(phrase, _noop, role=Role.FACILITATOR)
    return r


@pytest.fixture
def dsettings(make_settings):
    return make_settings({"discord": {"guild_ids": [int(GUILD_ID)], "facilitator_role_id": 4242}})


async def run(host, *payloads, expect=1):
    async with fake_discord() as fake, logged_in(host, defer_after=None) as ad:
        for payload in payloads:
            feed(ad, payload)
        await fake.wait_for("POST", r"/callback$", count=expect)
        return fake


async def test_a_user_option_becomes_a_mention(router, dsettings):
    host = SpyHost(dsettings, router)
    bob = UserRef("202", "bob")
    payload = slash("peer-admin", [sub("role", member=bob, role="facilitator")],
                    resolved=bob.resolved())
    await run(host, payload)
    [inv] = host.invocations
    assert (inv.command, inv.text) == ("peer", "admin role <@202> facilitator")
    assert inv.actor.workspace_id == GUILD_ID


async def test_a_staff_phrase_runs_from_peer_admin_with_its_core_words(router, dsettings):
    host = SpyHost(dsettings, router)
    await run(host, slash("peer-admin", [group("checkins", sub("now"))]))
    assert (host.invocations[0].command, host.invocations[0].text) == (
        "peer", "admin checkins now")


async def test_free_text_and_group_options_join_the_text(router, dsettings):
    host = SpyHost(dsettings, router)
    options = [group("checkins", sub("show", schedule="every mon,thu at 09:00",
                                     group="Thursday circle"))]
    await run(host, slash("peer-admin", options))
    assert host.invocations[0].text == (
        "admin checkins every mon,thu at 09:00 'group:Thursday circle'")


async def test_profile_field_and_value(router, dsettings):
    host = SpyHost(dsettings, router)
    await run(host, slash("peer", [sub("profile", field="tz", value="Europe/London")]))
    assert host.invocations[0].text == "profile tz Europe/London"


async def test_bare_crisis_and_top_level_crisis(router, dsettings):
    host = SpyHost(dsettings, router)
    await run(host, slash("peer", [group("crisis", sub("lines", country="GB"))]),
              slash("crisis", [{"name": "country", "type": 3, "value": "IE"}]), expect=2)
    got = sorted((i.command, i.text) for i in host.invocations)
    assert got == [("crisis", "IE"), ("peer", "crisis GB")]


async def test_run_takes_the_grammar_as_text(router, dsettings):
    host = SpyHost(dsettings, router)
    await run(host, slash("peer", [sub("run", command="checkin pause 2w")]))
    assert host.invocations[0].text == "checkin pause 2w"


async def test_the_facilitator_role_id_maps_to_facilitator(router, dsettings):
    host = SpyHost(dsettings, router)
    await run(host, slash("peer", [sub("help")], roles=["4242"]),
              slash("peer", [sub("help")], user_id="303", roles=["1"]), expect=2)
    roles = {i.actor.user_id: i.actor.platform_roles for i in host.invocations}
    assert roles == {"101": frozenset({Role.FACILITATOR}), "303": frozenset()}


def _dm_message(custom_id: str) -> dict:
    return {
        "id": "555", "channel_id": "501", "type": 0, "content": "",
        "author": {"id": "900000000000000001", "username": "peerbot", "discriminator": "0",
                   "avatar": None, "bot": True},
        "embeds": [{"type": "rich", "title": "Check-in",
                    "url": f"https://discord.com/channels/{GUILD_ID}"}],
        "components": [{"type": 1, "components": [
            {"type": 2, "style": 1, "label": "Good", "custom_id": custom_id}]}],
        "attachments": [], "mentions": [], "mention_roles": [], "pinned": False,
        "tts": False, "mention_everyone": False, "timestamp": "2026-01-05T08:00:00+00:00",
        "edited_timestamp": None, "flags": 0,
    }


async def test_a_dm_click_finds_its_guild_and_forwards_the_custom_id(router, make_settings):
    settings = make_settings({"discord": {"guild_ids": [int(GUILD_ID), 2]}})  # no fallback
    host = SpyHost(settings, router, [reply(Section("Thanks"))])
    value = "checkin.answer|7:mood:4"
    fake = await run(host, click(value, message=_dm_message(value)))
    [action] = host.actions
    assert (action.value, action.actor.workspace_id, action.actor.user_id) == (
        value, GUILD_ID, "101")
    assert action.message_ref == "501:555"
    [cb] = fake.find("POST", r"/callback$")
    assert cb.json["type"] == 6  # a silent deferred update
    [follow] = fake.find("POST", r"^/webhooks/\d+/[^/]+$")
    assert follow.json["flags"] & 64


async def test_replace_original_edits_the_clicked_message(router, dsettings):
    done = reply(Section("Recorded, thank you."))
    done = type(done)(message=done.message, replace_original=True)
    host = SpyHost(dsettings, router, [done])
    value = "checkin.answer|7:mood:4"
    async with fake_discord() as fake, logged_in(host, defer_after=None) as ad:
        feed(ad, click(value, message=_dm_message(value)))
        [edit] = await fake.wait_for("PATCH", r"/messages/@original$")
    assert edit.json["embeds"][0]["description"] == "Recorded, thank you."
    assert edit.json["components"] == []


async def test_a_select_forwards_the_chosen_value(router, dsettings):
    host = SpyHost(dsettings, router)
    message = _dm_message("peerbot.select|0")
    await run(host, click("peerbot.select|0", message=message,
                                     values=["pair.skip|12"]))
    assert host.actions[0].value == "pair.skip|12"


async def test_a_malformed_custom_id_is_answered_but_not_forwarded(router, dsettings):
    host = SpyHost(dsettings, router)
    fake = await run(host, click("not ours", message=_dm_message("not ours")))
    [cb] = fake.find("POST", r"/callback$")
    assert cb.json["type"] == 4 and cb.json["data"]["flags"] & 64
    assert "no longer valid" in cb.json["data"]["content"]
    assert host.actions == []


async def test_a_channel_reply_is_public(router, dsettings):
    posted = reply(Section("Crisis lines"), visibility=Visibility.CHANNEL)
    host = SpyHost(dsettings, router, [posted])
    fake = await run(host, slash("peer", [group("crisis", sub("post"))]))
    [cb] = fake.find("POST", r"/callback$")
    assert cb.json["type"] == 4 and not cb.json["data"].get("flags", 0) & 64


async def test_a_deferred_channel_reply_notes_privately_then_posts(router, dsettings):
    posted = reply(Section("Crisis lines"), visibility=Visibility.CHANNEL)
    host = SpyHost(dsettings, router, [posted])
    async with fake_discord() as fake, logged_in(host, defer_after=0) as ad:
        feed(ad, slash("peer", [group("crisis", sub("post"))]))
        [post] = await fake.wait_for("POST", r"^/webhooks/\d+/[^/]+$")
        [note] = fake.find("PATCH", r"/messages/@original$")
    assert note.json["content"] == "Posted in this channel."
    assert not post.json.get("flags", 0) & 64
    assert post.json["embeds"][0]["description"] == "Crisis lines"


async def test_cards_answering_a_dm_click_keep_the_link_to_their_server(router, dsettings):
    host = SpyHost(dsettings, router, [reply(Section("Next question"))])
    value = "checkin.answer|7:mood:4"
    fake = await run(host, click(value, message=_dm_message(value)))
    [follow] = fake.find("POST", r"^/webhooks/\d+/[^/]+$")
    assert follow.json["embeds"][0]["url"] == f"https://discord.com/channels/{GUILD_ID}"
