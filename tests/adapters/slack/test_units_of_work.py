"""Through the real slack-bolt app: a failing command changes nothing and says so, and a
facilitator of one group cannot read or run another group's facilitator commands."""

from __future__ import annotations

import pytest

from bot.core.errors import UserError
from bot.core.model import Actor, Role
from tests.support.slack_fake.harness import make_harness
from tests.support.slack_fake.payloads import slash_command

TEAM = "T0PEER"
GROUPS = [{"name": "Day team", "channel": "C0DAY"}, {"name": "Night team", "channel": "C0NIGHT"}]


@pytest.fixture
def two_groups(fake_api, make_settings, clock):
    """The real adapter with two groups: U1DAYFAC facilitates Day team only."""

    def settings(data):
        return make_settings({**data, "groups": GROUPS})

    harness = make_harness(fake_api, settings, clock)
    yield harness
    harness.assembly.ctx.db.close()


async def ask(harness, fake_api, text, *, user="U1DAYFAC", channel="C0GENERAL"):
    name = f"r{len(fake_api.responses) + 1}"
    body = slash_command("/peer", text, user_id=user, channel_id=channel,
                         response_url=fake_api.response_url(name))
    assert (await harness.post(body)).status == 200
    return "\n".join(answer["text"] for answer in harness.responses(name))


def set_up_people(harness) -> None:
    ctx = harness.assembly.ctx
    harness.assembly.core.prepare_workspace(TEAM)
    day, night = (ctx.members.group_by_name(TEAM, g["name"]) for g in GROUPS)
    for user, group, facilitates in [("U1DAYFAC", day, True), ("U2NIGHT", night, False),
                                     ("U3NIGHT", night, False)]:
        ctx.members.ensure_member(_actor(user))
        ctx.members.record_consent(_actor(user))
        ctx.members.join_group(TEAM, group.id, user, facilitator=facilitates)


def _actor(user):
    return Actor(TEAM, user, user.lower())


@pytest.mark.parametrize("command", [
    "admin members group:Night team", "pulse group:Night team",
    "pair preview group:Night team", "pair round group:Night team",
    "admin checkins group:Night team", "admin checkins now group:Night team",
])
async def test_a_facilitator_of_one_group_is_refused_anothers_commands(two_groups, fake_api,
                                                                       command):
    set_up_people(two_groups)
    db = two_groups.assembly.ctx.db
    before = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("outbox", "checkin_prompts", "pairing_rounds", "audit_log")}
    text = await ask(two_groups, fake_api, command.replace("Night team", '"Night team"'))
    assert "is for facilitators of *Night team*" in text and "Nothing was changed" in text
    assert "U2NIGHT" not in text and "u2night" not in text  # no member list leaked
    after = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    assert after == before


async def test_the_same_facilitator_may_run_them_for_their_own_group(two_groups, fake_api):
    set_up_people(two_groups)
    text = await ask(two_groups, fake_api, 'admin members group:"Day team"')
    assert "*Day team*: 1 member(s)" in text


async def test_the_channel_of_another_group_does_not_lend_its_rights(two_groups, fake_api):
    set_up_people(two_groups)
    text = await ask(two_groups, fake_api, "admin members", channel="C0NIGHT")
    assert "is for facilitators of *Night team*" in text


async def test_a_command_that_fails_after_writing_changes_nothing(two_groups, fake_api):
    """The promise in every error reply, kept through Slack: one unit of work per command."""
    set_up_people(two_groups)
    ctx = two_groups.assembly.ctx

    def writes_then_fails(request):
        ctx.members.update_profile(TEAM, request.user_id, specialty="half-done")
        ctx.members.set_role(TEAM, request.user_id, Role.ADMIN)
        raise RuntimeError("a bug after two writes")

    def writes_then_refuses(request):
        ctx.members.update_profile(TEAM, request.user_id, specialty="half-done")
        raise UserError("That can't be done here. Nothing was changed.")

    router = two_groups.assembly.core.router
    router.command("test bug", writes_then_fails, summary="x", usage="test bug")
    router.command("test refuse", writes_then_refuses, summary="x", usage="test refuse")
    assert "nothing was changed" in await ask(two_groups, fake_api, "test bug", user="U2NIGHT")
    assert await ask(two_groups, fake_api, "test refuse", user="U2NIGHT") == (
        "That can't be done here. Nothing was changed.")
    member = ctx.members.get(TEAM, "U2NIGHT")
    assert member.specialty is None and member.role is Role.MEMBER
