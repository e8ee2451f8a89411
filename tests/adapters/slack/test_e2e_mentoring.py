"""Mentoring through Slack: `/peer mentor join` opens the mentoring form as a modal, and
submitting it saves the stage, the role, the topics and the capacity (signed requests to
the real bolt app, the fake Web API)."""

from __future__ import annotations

import json

from tests.adapters.slack.test_e2e_resources import GROUP, _agree, _command, _submission
from tests.support.slack_fake.harness import make_harness


def _profile(h, user):
    return h.assembly.ctx.db.execute("SELECT stage, role, topics, capacity FROM"
                                     " mentoring_profiles WHERE user_id = ?", [user]).fetchone()


async def test_the_mentoring_form_as_a_modal(fake_api, make_settings, clock):
    h = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}), clock)
    try:
        await _agree(h, "U1ALICE")
        assert await _command(h, "U1ALICE", "mentor join") is None  # a modal, not a reply
        view = fake_api.bodies("views.open")[-1]["view"]
        assert view["title"]["text"] == "Mentoring"
        assert "forget-me" in json.dumps(view)
        stage = next(b for b in view["blocks"] if b.get("block_id") == "stage")
        assert [o["value"] for o in stage["element"]["options"]] == ["early", "mid", "senior"]
        await h.post(_submission(view, {"stage": "senior", "as": "mentor",
                                        "topics": "Trauma work, supervision",
                                        "capacity": "2"}, "U1ALICE"))
        assert _profile(h, "U1ALICE") == ("senior", "mentor", "trauma work,supervision", 2)
        dm = fake_api.bodies("chat.postMessage")[-1]
        assert "offering to mentor up to 2" in json.dumps(dm)

        await _agree(h, "U2BOB")
        assert await _command(h, "U2BOB", "mentor join") is None
        view = fake_api.bodies("views.open")[-1]["view"]
        answer = await h.post(_submission(view, {"stage": "early", "as": "mentor",
                                                 "topics": "supervision"}, "U2BOB"))
        assert _profile(h, "U2BOB") is None  # early career cannot mentor: nothing saved
        refusal = json.loads(answer.body)  # under the stage field; the form stays open
        assert refusal["response_action"] == "errors"
        assert "mid-career or senior" in refusal["errors"]["stage"]
        shown = await _command(h, "U2BOB", "profile")
        assert "Career stage" in json.dumps(shown["blocks"])
    finally:
        h.assembly.ctx.db.close()
