"""`/peer crisis post`: the group's country, a named country, audited, facilitator-only."""

from __future__ import annotations

import pytest

from bot.core.config import ConfigError, parse_config
from bot.core.model import Visibility
from tests.support.world import WS, World, text_of

GROUPS = [{"name": "Circle", "facilitators": ["fran"], "country": "GB"},
          {"name": "Night Shift", "facilitators": ["nia"]}]


@pytest.fixture
def world(tmp_path):
    w = World.checkins(tmp_path, config={"groups": GROUPS})
    w.add("fran", facilitator=True)
    w.add("alice")
    night = w.ctx.members.group_by_name(WS, "Night Shift")
    w.add("nia")
    w.ctx.members.join_group(WS, night.id, "nia", facilitator=True)
    return w


def audit(world):
    return world.db.execute("SELECT actor_id, action, detail FROM audit_log"
                            " WHERE action = 'crisis.post'").fetchall()


async def post(world, who, text=""):
    replies = await world.command(who, f"crisis post {text}".strip())
    return replies, text_of(replies)


async def test_the_groups_country_is_posted_to_the_channel_and_audited(world):
    replies, out = await post(world, "fran")
    assert replies[0].visibility is Visibility.CHANNEL
    assert "Crisis support: United Kingdom" in out and "116 123" in out
    assert audit(world) == [("fran", "crisis.post", "Circle: GB")]


async def test_a_group_without_a_country_uses_the_workspace_default(world):
    _, out = await post(world, "nia", "group:\"Night Shift\"")
    assert "Crisis support: United States" in out and "988" in out
    assert audit(world) == [("nia", "crisis.post", "Night Shift: US")]


@pytest.mark.parametrize("text, country, code", [
    ("gb", "United Kingdom", "GB"), ("nz", "New Zealand", "NZ"), ("ireland", "Ireland", "IE"),
])
async def test_a_facilitator_can_name_the_country(world, text, country, code):
    _, out = await post(world, "fran", text)
    assert f"Crisis support: {country}" in out
    assert audit(world) == [("fran", "crisis.post", f"Circle: {code}")]


async def test_a_country_without_a_local_list_posts_the_named_international_card(world):
    _, out = await post(world, "fran", "jp")
    assert "Japan (JP)" in out and audit(world) == [("fran", "crisis.post", "Circle: JP")]


@pytest.mark.parametrize("text, says", [
    ("EN", "Did you mean GB (United Kingdom)?"),
    ("zz", "not an ISO 3166 country code"),
    ("the uk please", "not an ISO 3166 country code"),
])
async def test_a_bad_country_is_refused_and_nothing_is_posted(world, text, says):
    replies, out = await post(world, "fran", text)
    assert says in out and "Nothing was changed" in out
    assert all(r.visibility is not Visibility.CHANNEL for r in replies)
    assert audit(world) == []


async def test_only_a_facilitator_of_that_group_may_post_for_it(world):
    replies, out = await post(world, "fran", "group:\"Night Shift\"")
    assert "Sorry" in out and all(r.visibility is not Visibility.CHANNEL for r in replies)
    assert audit(world) == []


async def test_a_member_gets_their_own_lines_privately_not_a_post(world):
    replies, out = await post(world, "alice")
    assert all(r.visibility is Visibility.PRIVATE for r in replies)
    assert "Crisis support" in out and audit(world) == []


def test_a_groups_country_is_validated_in_the_config(tmp_path):
    with pytest.raises(ConfigError) as err:
        parse_config({"groups": [{"name": "Circle", "country": "EN"}]})
    assert "groups[0].country" in str(err.value) and "did you mean GB" in str(err.value)
    with pytest.raises(ConfigError):
        parse_config({"bot": {"default_country": "XX"}})
    assert parse_config({"groups": [{"name": "C", "country": "gb"}]}).groups[0].country == "GB"
