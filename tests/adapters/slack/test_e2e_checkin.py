"""A whole check-in through Slack: prompt via the outbox, a click, the member's history."""

from __future__ import annotations

from datetime import timedelta

from bot.core.delivery import Deliverer
from tests.support.slack_fake.harness import make_harness
from tests.support.slack_fake.payloads import app_home_opened, block_actions, slash_command

GROUP = {"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}


def _buttons(blocks: list[dict]) -> dict[str, str]:
    return {
        e["text"]["text"]: e["value"]
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["type"] == "button"
    }


async def _command(h, user: str, text: str, name: str) -> dict:
    url = h.api.response_url(name)
    await h.post(slash_command("/peer", text, user_id=user, user_name=user, response_url=url))
    return h.responses(name)[-1]


async def _consented(h, user: str, text: str, name: str) -> dict:
    """Run a command; agree to the consent card if it comes first (Agree runs it)."""
    answer = await _command(h, user, text, name)
    if answer["blocks"] and answer["blocks"][0].get("text", {}).get("text") == "Welcome to peerbot":
        agree = _buttons(answer["blocks"])["Agree"]
        await h.post(block_actions(agree, user_id=user, response_url=h.api.response_url(name)))
        answer = h.responses(name)[-1]
    return answer


async def _agree(h, user: str, answer: dict, name: str) -> dict:
    """Press "I agree" on the group agreement the join's answer shows."""
    agree = _buttons(answer["blocks"])["I agree"]
    await h.post(block_actions(agree, user_id=user, response_url=h.api.response_url(name)))
    return h.responses(name)[-1]


async def _drain(h) -> None:
    ctx = h.assembly.ctx

    async def advance(seconds: float) -> None:
        ctx.clock.advance(timedelta(seconds=seconds))

    deliverer = Deliverer(ctx.outbox, ctx.members, h.adapter.messenger, ctx.clock, sleep=advance)
    await deliverer.drain_until_idle()


async def test_checkin_prompt_click_and_history(fake_api, make_settings, clock):
    settings = {"groups": [GROUP]}
    h = make_harness(fake_api, lambda extra: make_settings({**extra, **settings}), clock)
    try:
        joined = await _consented(h, "U1ALICE", "group join circle", "alice")
        assert "circle" in joined["text"]
        agreed = await _agree(h, "U1ALICE", joined, "alice")
        assert "you agreed to *circle*'s agreement" in str(agreed["blocks"])
        sent = await _consented(h, "U0FRAN", "admin checkins now", "fran")
        # fran has not agreed to the group's agreement yet: only alice takes part
        assert "Sent a check-in to 1 member(s)" in sent["text"]

        await _drain(h)
        [prompt] = [p for p in fake_api.bodies("chat.postMessage") if p["channel"] == "DU1ALICE"]
        assert prompt["text"] == "Time for your check-in (one tap per question)."
        choices = _buttons(prompt["blocks"])
        very_low = choices["1 · Very low"]
        assert very_low.startswith("checkin.answer|") and very_low.endswith(":mood:1")
        ref = h.assembly.ctx.db.execute(
            "SELECT platform_ref FROM outbox WHERE user_id = 'U1ALICE'"
        ).fetchone()[0]
        channel, ts = ref.split(":")

        click = block_actions(
            very_low,
            user_id="U1ALICE",
            response_url=fake_api.response_url("prompt"),
            channel_id=channel,
            message_ts=ts,
        )
        assert (await h.post(click)).status == 200
        # "1 · Very low" is mood's concerning end: the warm reply is a message of its own
        # (issue 12 D); the prompt itself is updated in place by chat.update (issue 19)
        [warm] = h.responses("prompt")
        assert "Thank you for being honest" in warm["text"]
        assert "nobody else has been told anything" in warm["text"]
        assert warm["response_type"] == "ephemeral"
        await _drain(h)
        [update] = fake_api.bodies("chat.update")
        assert (update["channel"], update["ts"]) == (channel, ts)
        assert "✓ 1 · Very low" in _buttons(update["blocks"])
        assert "About this question" in _buttons(update["blocks"])
        status = update["blocks"][-1]["elements"][0]["text"]
        assert status.startswith("Thanks, noted: mood Very low. You can change it until <!date^")
        assert update["text"] == "Check-in noted: mood Very low."
        assert len([p for p in fake_api.bodies("chat.postMessage")
                    if p["channel"] == "DU1ALICE"]) == 1  # still one prompt message

        history = await _command(h, "U1ALICE", "checkin history", "hist")
        assert history["response_type"] == "ephemeral"
        assert history["text"].startswith("Your check-ins, last 8 weeks")
        assert "You answered 1 of 1 check-ins." in history["text"]

        await h.post(app_home_opened(user_id="U1ALICE"), content_type="application/json")
        home = fake_api.bodies("views.publish")[-1]
        headers = [b["text"]["text"] for b in home["view"]["blocks"] if b["type"] == "header"]
        assert "Check-ins" in headers
    finally:
        h.assembly.ctx.db.close()
