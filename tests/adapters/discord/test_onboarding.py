"""Discord: autocomplete for time zones and countries, the profile modal, `/peer-admin`
refused server-side to a member who sends it anyway, and the welcome's time zone. All
through the real discord.py client against the fake Discord API."""

from __future__ import annotations

import pytest

from adapters.discord.suggest import MAX_CHOICE, MAX_CHOICES, country_choices, zone_choices
from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import buttons, command, consented, press, text_of
from tests.support.discord_fake.harness import fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import group, modal_submit, slash, sub
from tests.support.discord_fake.server import CHANNEL_ID, GUILD_ID

ALICE = {"user_id": "101", "user_name": "alice"}
MALLORY = {"user_id": "666", "user_name": "mallory"}


@pytest.fixture
def host(make_settings, clock):
    settings = make_settings({
        "bot": {"admins": ["100"], "platform": "discord"},
        "discord": {"guild_ids": [int(GUILD_ID)]},
        "groups": [{"name": "Circle", "facilitators": ["100"]}],
    })
    db = open_database(settings.bot.database)
    yield assemble(settings, db, clock, "discord")
    db.close()


def _autocomplete(top: str, options: list[dict]) -> dict:
    payload = slash(top, options)
    payload["type"] = 4  # APPLICATION_COMMAND_AUTOCOMPLETE
    return payload


async def _choices(fake, ad, payload) -> list[dict]:
    before = len(fake.find("POST", r"/callback$"))
    feed(ad, payload)
    found = await fake.wait_for("POST", r"/callback$", count=before + 1)
    assert found[-1].json["type"] == 8
    return found[-1].json["data"]["choices"]


async def test_time_zones_and_countries_are_suggested_as_you_type(host):
    focused = {"name": "value", "type": 3, "value": "new yo", "focused": True}
    zone = [sub("profile", field="tz") | {"options": [
        {"name": "field", "type": 3, "value": "tz"}, focused]}]
    country = [sub("profile") | {"options": [
        {"name": "field", "type": 3, "value": "country"},
        {"name": "value", "type": 3, "value": "united k", "focused": True}]}]
    crisis = [{"name": "country", "type": 3, "value": "ire", "focused": True}]
    edit = [sub("edit-profile") | {"options": [
        {"name": "tz", "type": 3, "value": "sydney", "focused": True}]}]
    async with fake_discord() as fake, logged_in(host) as ad:
        zones = await _choices(fake, ad, _autocomplete("peer", zone))
        countries = await _choices(fake, ad, _autocomplete("peer", country))
        lines = await _choices(fake, ad, _autocomplete("crisis", crisis))
        sydney = await _choices(fake, ad, _autocomplete("peer", edit))
    assert zones[0] == {"name": "America/New York", "value": "America/New_York"}
    assert {"name": "United Kingdom (GB)", "value": "GB"} in countries
    assert lines[0]["value"] == "IE"
    assert sydney == [{"name": "Australia/Sydney", "value": "Australia/Sydney"}]


def test_suggestions_stay_inside_discords_limits():
    for typed in ("", "a", "e", "america/", "an"):
        for pairs in (zone_choices(typed), country_choices(typed)):
            assert len(pairs) <= MAX_CHOICES
            assert all(0 < len(n) <= MAX_CHOICE and 0 < len(v) <= MAX_CHOICE for n, v in pairs)
    assert len(zone_choices("a")) == MAX_CHOICES == 25  # exactly at the limit
    assert zone_choices("nowhere-at-all") == [] and country_choices("zzzz") == []
    assert country_choices("uk")[0] == ("United Kingdom (GB)", "GB")
    assert not any(v.startswith(("Etc/", "US/")) for _, v in zone_choices("e"))


async def test_edit_profile_opens_a_modal_and_saving_sets_the_zone(host):
    async with fake_discord() as fake, logged_in(host, defer_after=None) as ad:
        await consented(ad, fake, [sub("profile")], **ALICE)
        calls = len(fake.find("POST", r"/callback$"))
        feed(ad, slash("peer", [sub("edit-profile")], **ALICE))
        found = await fake.wait_for("POST", r"/callback$", count=calls + 1)
        modal = found[-1].json
        assert modal["type"] == 9 and modal["data"]["title"] == "Your profile"
        keys = [r["component"]["custom_id"] for r in modal["data"]["components"]
                if "component" in r]
        assert keys == ["tz", "country", "specialty"]
        before = len(fake.find("POST", r"/callback$"))
        feed(ad, modal_submit(modal["data"]["custom_id"],
                              {"tz": "Asia/Tokyo", "country": "jp", "specialty": ""}, **ALICE))
        answer = await fake.wait_for("POST", r"/callback$", count=before + 1)
    assert "Saved: time zone **Asia/Tokyo**, country **JP**." in text_of(answer[-1].json["data"])
    member = host.ctx.members.get(GUILD_ID, "101")
    assert (member.timezone, member.country) == ("Asia/Tokyo", "JP")


async def test_a_member_sending_peer_admin_anyway_is_refused_and_nothing_changes(host):
    db = host.ctx.db
    async with fake_discord() as fake, logged_in(host) as ad:
        await consented(ad, fake, [sub("profile")], **MALLORY)
        rounds = db.execute("SELECT count(*) FROM pairing_rounds").fetchone()
        answer = await command(ad, fake, [group("pair", sub("round", group="Circle"))],
                               top="peer-admin", **MALLORY)
        role = await command(ad, fake, [sub("role", member="666", role="admin")],
                             top="peer-admin", **MALLORY)
    assert answer["ephemeral"] and "is for facilitators" in text_of(answer)
    assert "is for admins" in text_of(role)
    assert db.execute("SELECT count(*) FROM pairing_rounds").fetchone() == rounds
    assert host.ctx.members.get(GUILD_ID, "666").role == 0


async def test_the_welcome_on_discord_asks_for_the_zone_and_agree_runs_the_join(host):
    async with fake_discord() as fake, logged_in(host) as ad:
        card = await command(ad, fake, [group("group", sub("join", name="Circle"))], **ALICE)
        text = text_of(card)
        assert "not known yet, so times are shown in UTC" in text
        assert "/peer profile field:tz value:Europe/London" in text
        assert "start typing a city" in text
        joined = await press(ad, fake, buttons(card)["Agree"],
                             fake.message(CHANNEL_ID, card), guild_id=GUILD_ID, **ALICE)
    assert "Thank you, you're all set." in text_of(joined)
    assert "part of **Circle**" in text_of(joined)  # the join ran, group name and all
    members = host.ctx.members
    group_id = members.group_by_name(GUILD_ID, "Circle").id
    assert "101" in {m.user_id for m in members.group_members(GUILD_ID, group_id)}


async def test_a_nickname_with_mention_syntax_is_inert_in_the_welcome(host):
    nick = "@everyone <@300000000000000001> <@&400000000000000001> @here"
    async with fake_discord() as fake, logged_in(host) as ad:
        card = await command(ad, fake, [sub("profile")], user_id="102", user_name="eve",
                             nick=nick)
    text = text_of(card)
    assert ("Hello @\u200beveryone <@\u200b300000000000000001> <@\u200b&400000000000000001> "
            "@\u200bhere.") in text
    callbacks = [r.json for r in fake.requests if r.path.endswith("/callback")]
    mentions = [(c.get("data") or {}).get("allowed_mentions") for c in callbacks]
    assert all(m is None or (not m.get("parse") and not m.get("roles")) for m in mentions)
