"""A whole pairing round through Slack: opt in, a facilitator's round, the group DM."""

from __future__ import annotations

from datetime import timedelta

from bot.core.delivery import Deliverer
from tests.support.slack_fake.harness import make_harness
from tests.support.slack_fake.payloads import block_actions, slash_command

GROUP = {"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}
NAMES = {"U1ALICE": "alice", "U2BOB": "bob", "U0FRAN": "fran"}


def _buttons(blocks: list[dict]) -> dict[str, str]:
    return {
        e["text"]["text"]: e["value"]
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["type"] == "button"
    }


async def _command(h, user: str, text: str) -> dict:
    url = h.api.response_url(user)
    body = slash_command("/peer", text, user_id=user, user_name=NAMES[user], response_url=url)
    await h.post(body)
    return h.responses(user)[-1]


async def _consented(h, user: str, text: str) -> dict:
    answer = await _command(h, user, text)
    if answer["blocks"] and answer["blocks"][0].get("text", {}).get("text") == "Welcome to peerbot":
        agree = _buttons(answer["blocks"])["Agree"]
        await h.post(block_actions(agree, user_id=user, response_url=h.api.response_url(user)))
        answer = h.responses(user)[-1]  # Agree ran the command
    return answer


async def _agree(h, user: str, answer: dict) -> None:
    """Press "I agree" on the group agreement the join's answer shows."""
    agree = _buttons(answer["blocks"])["I agree"]
    await h.post(block_actions(agree, user_id=user, response_url=h.api.response_url(user)))


async def _drain(h) -> None:
    ctx = h.assembly.ctx

    async def advance(seconds: float) -> None:
        ctx.clock.advance(timedelta(seconds=seconds))

    deliverer = Deliverer(ctx.outbox, ctx.members, h.adapter.messenger, ctx.clock, sleep=advance)
    await deliverer.drain_until_idle()


async def test_pairing_round_opens_a_group_dm_and_introduces_the_pair(
    fake_api, make_settings, clock
):
    settings = {"groups": [GROUP]}
    h = make_harness(fake_api, lambda extra: make_settings({**extra, **settings}), clock)
    try:
        for user in ("U1ALICE", "U2BOB"):
            await _agree(h, user, await _consented(h, user, "group join circle"))
            joined = await _command(h, user, "pair join")
            assert joined["response_type"] == "ephemeral"
        await _consented(h, "U0FRAN", "help")
        ran = await _consented(h, "U0FRAN", "pair round")
        assert ran["response_type"] == "ephemeral"
        assert (  # after "Thank you, you're all set.": Agree ran the round
            "Round started in *circle*: everyone who could be placed was introduced"
            in ran["text"])

        await _drain(h)
        groups = [b for b in fake_api.bodies("conversations.open") if "," in b["users"]]
        assert [sorted(b["users"].split(",")) for b in groups] == [["U1ALICE", "U2BOB"]]
        [intro] = [p for p in fake_api.bodies("chat.postMessage") if p["channel"].startswith("G")]
        assert intro["channel"] == "GU1ALICEU2BOB"
        assert intro["text"] == "Debrief pairing in circle: alice and bob"
        assert "Hello <@U1ALICE> and <@U2BOB>" in str(intro["blocks"])
        small_print = intro["blocks"][-1]["elements"][0]["text"]
        assert small_print.startswith("Please share no client-identifying information")
        status = h.assembly.ctx.db.execute(
            "SELECT status FROM outbox WHERE target_key LIKE 'group:%'"
        ).fetchall()
        assert status == [("sent",)]
    finally:
        h.assembly.ctx.db.close()
