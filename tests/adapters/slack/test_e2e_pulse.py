"""The group pulse through a signed Slack request: bands only, and the issue's example."""

from __future__ import annotations

from datetime import timedelta

from bot.checkins.jobs import tick
from tests.adapters.slack.test_e2e_checkin import _buttons, _command, _consented, _drain
from tests.support.slack_fake.flow import agree
from tests.support.slack_fake.harness import make_harness
from tests.support.slack_fake.payloads import block_actions

GROUP = {"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}
MEMBERS = ("U1A", "U1B", "U1C", "U1D", "U1E")


async def _answer(h, fake_api, user: str, mood: str, burnout: str) -> None:
    [prompt] = [p for p in fake_api.bodies("chat.postMessage") if p["channel"] == f"D{user}"]
    choices = _buttons(prompt["blocks"])
    for label in (mood, burnout):
        value = next(v for k, v in choices.items() if k.startswith(label))
        url = fake_api.response_url(f"{user}-{label}")
        assert (await h.post(block_actions(value, user_id=user, response_url=url))).status == 200


async def test_pulse_over_slack_withholds_the_issue_example(fake_api, make_settings, clock):
    settings = {"groups": [GROUP], "pulse": {"min_group_size": 5}}
    h = make_harness(fake_api, lambda extra: make_settings({**extra, **settings}), clock)
    try:
        for user in [*MEMBERS, "U0FRAN"]:
            await agree(h, user, await _consented(h, user, "group join circle", user))
        await _consented(h, "U0FRAN", "admin checkins now", "fran")
        await _drain(h)
        for user in MEMBERS:
            await _answer(h, fake_api, user, "2 ·", "4 ·")
        await _answer(h, fake_api, "U0FRAN", "5 ·", "1 ·")
        clock.advance(timedelta(days=10))
        tick(h.assembly.ctx)  # the minute job closes the week's check-ins
        pulse = await _command(h, "U0FRAN", "pulse", "pulse")
        assert pulse["response_type"] == "ephemeral"
        text = pulse["text"] + str(pulse["blocks"])
        assert "Response rate" in text and "6 of 6" in text
        assert text.count("withheld: nearly everyone gave a similar answer") == 2
        for leak in ("Low", "Very good", "answered)", "1–2:", "4–5:"):
            assert leak not in text
    finally:
        h.assembly.ctx.db.close()
