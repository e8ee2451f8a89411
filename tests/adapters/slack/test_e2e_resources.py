"""The library through Slack: `/peer resources add` opens a modal, submitting it shares,
and a search answers through the response URL (signed requests to the real bolt app)."""

from __future__ import annotations

import json

from tests.support.slack_fake.harness import make_harness
from tests.support.slack_fake.payloads import block_actions, slash_command, view_submission

GROUP = {"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}


def _text(answer: dict) -> str:
    return json.dumps(answer["blocks"])


async def _command(h, user: str, text: str, channel: str = "C0CIRCLE") -> dict | None:
    before = len(h.responses(user))
    await h.post(slash_command("/peer", text, user_id=user, response_url=h.api.response_url(user),
                               channel_id=channel))
    answers = h.responses(user)
    return answers[-1] if len(answers) > before else None


async def _agree(h, user: str) -> None:
    answer = await _command(h, user, "group join circle")
    agree = next(e["value"] for b in answer["blocks"] if b["type"] == "actions"
                 for e in b["elements"] if e["text"]["text"] == "Agree")
    await h.post(block_actions(agree, user_id=user, response_url=h.api.response_url(user)))
    await _command(h, user, "group join circle")


def _submission(view: dict, values: dict[str, str], user: str) -> str:
    state = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        key, value = block["block_id"], values.get(block["block_id"], "")
        if block["element"]["type"] == "radio_buttons":
            state[key] = {"value": {"type": "radio_buttons", "selected_option":
                                    {"value": value} if value else None}}
        else:
            state[key] = {"value": {"type": "plain_text_input", "value": value or None}}
    return view_submission(view["callback_id"], state, user_id=user,
                           private_metadata=view["private_metadata"])


async def test_share_through_the_modal_then_search(fake_api, make_settings, clock):
    h = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}), clock)
    try:
        await _agree(h, "U1ALICE")
        assert await _command(h, "U1ALICE", "resources add") is None  # a modal, not a reply
        [opened] = fake_api.bodies("views.open")
        view = opened["view"]
        assert view["title"]["text"] == "Share a resource"
        assert "it is removed from the library too" in json.dumps(view)
        sharing = next(b for b in view["blocks"] if b.get("block_id") == "as")
        assert [o["value"] for o in sharing["element"]["options"]] == ["named", "anonymous"]
        await h.post(_submission(view, {
            "url": "https://example.org/sleep", "title": "Sleep hygiene: a guide group:x",
            "tags": "#sleep #shift-work", "note": "it’s short", "as": "anonymous"}, "U1ALICE"))
        row = h.assembly.ctx.db.execute(
            "SELECT title, tags, note, shared_by, group_id IS NOT NULL FROM resources"
        ).fetchone()
        assert row == ("Sleep hygiene: a guide group:x", "sleep shift-work", "it's short",
                       None, 1)
        dm = fake_api.bodies("chat.postMessage")[-1]
        assert "anonymously (no name is stored)" in json.dumps(dm)

        await _agree(h, "U2BOB")
        found = await _command(h, "U2BOB", "resources sleeping #sleep")
        assert found["response_type"] == "ephemeral"
        assert "Sleep hygiene: a guide" in _text(found) and "shared anonymously" in _text(found)
        assert "Helpful [1]" in _text(found)
    finally:
        h.assembly.ctx.db.close()


async def test_a_bad_link_in_the_modal_changes_nothing(fake_api, make_settings, clock):
    h = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}), clock)
    try:
        await _agree(h, "U1ALICE")
        await _command(h, "U1ALICE", "resources add")
        view = fake_api.bodies("views.open")[0]["view"]
        answer = await h.post(_submission(view, {"url": "javascript:alert(1)", "as": "named"},
                                          "U1ALICE"))
        refused = json.loads(answer.body)  # under the link field; the modal stays open
        assert refused["response_action"] == "errors"
        assert "is not a web link" in refused["errors"]["url"]
        assert h.assembly.ctx.db.execute("SELECT count(*) FROM resources").fetchone() == (0,)
    finally:
        h.assembly.ctx.db.close()
