"""While peerbot stops, Slack's new requests get 503 and nothing runs; a DM channel is
opened once per member and remembered across a restart."""

from __future__ import annotations

from bot.core.delivery import Deliverer
from bot.core.model import Section, Target, message
from tests.support.slack_fake.payloads import slash_command


async def test_a_request_during_the_stop_is_refused_with_503(slack, fake_api):
    slack.assembly.stopping = True
    body = slash_command("/peer", "help", response_url=fake_api.response_url())
    response = await slack.post(body)
    assert response.status == 503
    assert slack.responses() == []
    assert slack.assembly.ctx.db.execute("SELECT count(*) FROM members").fetchone() == (0,)
    slack.assembly.stopping = False
    assert (await slack.post(body)).status == 200
    assert len(slack.responses()) == 1


async def test_each_dm_channel_is_opened_once_and_remembered_after_a_restart(slack, fake_api):
    ctx = slack.assembly.ctx
    ctx.members.ensure_workspace("T0PEER", "slack")

    def queue(round_key: str) -> None:
        with ctx.db.atomic():
            for user in ("U1", "U2"):
                ctx.outbox.enqueue("T0PEER", round_key, Target(user_id=user),
                                   message(Section(round_key)))

    def deliverer() -> Deliverer:
        return Deliverer(ctx.outbox, ctx.members, slack.adapter.messenger, ctx.clock)

    queue("r1")
    queue("r2")
    await deliverer().drain_until_idle()
    assert sorted(b["users"] for b in fake_api.bodies("conversations.open")) == ["U1", "U2"]
    assert len(fake_api.bodies("chat.postMessage")) == 4
    slack.adapter.messenger._dm_channels.clear()  # a restart: a new process knows nothing
    queue("r3")
    fresh = deliverer()
    await fresh.recover_in_flight()  # start-up: the outbox hands over the known channels
    await fresh.drain_until_idle()
    assert len(fake_api.bodies("conversations.open")) == 2  # none opened again
    assert [b["channel"] for b in fake_api.bodies("chat.postMessage")][-2:] == ["DU1", "DU2"]
