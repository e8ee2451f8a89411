"""Facilitators on Slack: configured ids and a user group read through a short cache."""

from __future__ import annotations

import logging

from adapters.slack.messenger import build_client
from adapters.slack.roles import FacilitatorRoles
from bot.core.model import Role
from tests.support.slack_fake.api import BOT_TOKEN, Fault


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _roles(api, ticks, **kwargs) -> FacilitatorRoles:
    client = build_client(BOT_TOKEN, api.base_url)
    return FacilitatorRoles(client, monotonic=ticks, ttl=300, **kwargs)


async def test_configured_ids_need_no_api_call(fake_api):
    roles = _roles(fake_api, Ticks(), user_ids=["U0FRAN"], usergroup="S1")
    assert await roles.roles_for("U0FRAN") == {Role.FACILITATOR}
    assert fake_api.calls == []


async def test_group_members_are_cached_until_the_ttl_passes(fake_api):
    ticks = Ticks()
    fake_api.usergroups["S1"] = ["U1"]
    roles = _roles(fake_api, ticks, usergroup="S1")
    assert await roles.roles_for("U1") == {Role.FACILITATOR}
    fake_api.usergroups["S1"] = []
    ticks.now = 299
    assert await roles.roles_for("U1") == {Role.FACILITATOR}
    ticks.now = 301
    assert await roles.roles_for("U1") == frozenset()
    assert len(fake_api.bodies("usergroups.users.list")) == 2


async def test_a_failed_lookup_keeps_the_last_members_and_warns_once(fake_api, caplog):
    ticks = Ticks()
    fake_api.usergroups["S1"] = ["U1"]
    roles = _roles(fake_api, ticks, usergroup="S1")
    await roles.roles_for("U1")
    fake_api.fail("usergroups.users.list", Fault(error="missing_scope"), times=None)
    with caplog.at_level(logging.WARNING, logger="peerbot.slack"):
        for step in (400, 800):
            ticks.now = step
            assert await roles.roles_for("U1") == {Role.FACILITATOR}
    assert len([r for r in caplog.records if r.name == "peerbot.slack"]) == 1


async def test_no_group_configured_means_plain_members(fake_api):
    roles = _roles(fake_api, Ticks())
    assert await roles.roles_for("U1") == frozenset()
    assert fake_api.calls == []
