"""Charts through signed Slack requests to the real slack-bolt app: `/peer pulse` and
`/peer checkin history` lead to a files upload v2 into the asker's DM, with alt text
that states the figures; the ephemeral reply keeps the text."""

from __future__ import annotations

from datetime import timedelta

from bot.checkins.chart_send import ON_ITS_WAY
from bot.checkins.jobs import tick
from tests.adapters.slack.test_e2e_checkin import _command, _consented, _drain
from tests.adapters.slack.test_e2e_pulse import _answer
from tests.support.slack_fake.flow import agree
from tests.support.slack_fake.harness import make_harness

GROUP = {"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}
ANSWERS = {"U1A": ("2 ·", "1 ·"), "U1B": ("3 ·", "2 ·"), "U1C": ("4 ·", "3 ·"),
           "U1D": ("5 ·", "4 ·"), "U1E": ("1 ·", "5 ·")}


async def test_pulse_and_history_charts_are_uploaded_to_the_dm(fake_api, make_settings, clock):
    settings = {"groups": [GROUP], "pulse": {"min_group_size": 3}}
    h = make_harness(fake_api, lambda extra: make_settings({**extra, **settings}), clock)
    try:
        for user in [*ANSWERS, "U0FRAN"]:
            await agree(h, user, await _consented(h, user, "group join circle", user))
        await _consented(h, "U0FRAN", "admin checkins now", "fran")
        await _drain(h)
        for user, (mood, burnout) in ANSWERS.items():
            await _answer(h, fake_api, user, mood, burnout)
        clock.advance(timedelta(days=10))
        tick(h.assembly.ctx)
        pulse = await _command(h, "U0FRAN", "pulse", "pulse")
        assert pulse["response_type"] == "ephemeral"
        assert "Response rate" in pulse["text"] + str(pulse["blocks"])
        assert ON_ITS_WAY in str(pulse["blocks"])
        assert fake_api.shared_files == []  # queued, not yet sent: the one delivery path
        await _drain(h)
        [chart] = fake_api.shared_files
        assert chart["channel"] == "DU0FRAN" and chart["filename"].startswith("pulse-")
        assert chart["data"].startswith(b"\x89PNG")
        assert "Mood, 5 answered: 1–2: 2, 3: 1, 4–5: 2." in chart["alt_txt"]
        assert "5 of 6 members answered" in chart["alt_txt"]
        dms = [p for p in fake_api.bodies("chat.postMessage") if p["channel"] == "DU0FRAN"
               and "group pulse" in p["text"] + str(p.get("blocks"))]
        assert len(dms) == 1  # the chart's text summary, once

        await _command(h, "U1C", "checkin history", "hist")
        await _drain(h)
        mine = [f for f in fake_api.shared_files if f["filename"] == "checkin-history.png"]
        assert [f["channel"] for f in mine] == ["DU1C"]  # the member's own DM, nowhere else
        assert "Mood (1 to 5, lower is harder): " in mine[0]["alt_txt"]
        assert not any(f["channel"].startswith("C") for f in fake_api.shared_files)
    finally:
        h.assembly.ctx.db.close()
