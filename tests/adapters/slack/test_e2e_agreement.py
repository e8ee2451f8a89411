"""The group agreement through the real slack-bolt app with signed requests: joining
shows it, "I agree" lets the member in, and `/peer admin agreement set` opens a modal
whose multi-line submission makes a new version and asks everyone again."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.core.delivery import Deliverer
from tests.support.slack_fake.harness import make_harness
from tests.support.slack_fake.payloads import block_actions, slash_command, view_submission

GROUP = {"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}


def _buttons(blocks: list[dict]) -> dict[str, str]:
    return {e["text"]["text"]: e["value"] for b in blocks if b["type"] == "actions"
            for e in b["elements"] if e["type"] == "button"}


async def _command(h, user: str, text: str, name: str) -> dict:
    url = h.api.response_url(name)
    await h.post(slash_command("/peer", text, user_id=user, user_name=user, response_url=url))
    return h.responses(name)[-1]


async def _consented(h, user: str, text: str, name: str) -> dict:
    answer = await _command(h, user, text, name)
    if answer["blocks"] and answer["blocks"][0].get("text", {}).get("text") == "Welcome to peerbot":
        agree = _buttons(answer["blocks"])["Agree"]
        await h.post(block_actions(agree, user_id=user, response_url=h.api.response_url(name)))
        answer = h.responses(name)[-1]
    return answer


async def _drain(h) -> None:
    ctx = h.assembly.ctx

    async def advance(seconds: float) -> None:
        ctx.clock.advance(timedelta(seconds=seconds))

    await Deliverer(ctx.outbox, ctx.members, h.adapter.messenger, ctx.clock,
                    sleep=advance).drain_until_idle()


def _body(text: str, group: str | None = None) -> dict:
    return {"text": {"value": {"type": "plain_text_input", "value": text}},
            "group": {"value": {"type": "plain_text_input", "value": group}}}


async def test_join_agree_and_replace_the_agreement_in_a_modal(fake_api, make_settings, clock):
    h = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}), clock)
    try:
        joined = await _consented(h, "U1ALICE", "group join circle", "alice")
        assert "First, its agreement" in str(joined["blocks"])
        await h.post(block_actions(_buttons(joined["blocks"])["I agree"], user_id="U1ALICE",
                                   response_url=fake_api.response_url("alice")))
        thanks = h.responses("alice")[-1]
        assert thanks["replace_original"] and "you agreed to *circle*" in thanks["text"]
        members = h.assembly.ctx.members
        group = members.group_by_name("T0PEER", "circle")
        assert members.holds("T0PEER", group.id).get("U1ALICE") is None

        await _consented(h, "U0FRAN", "admin agreement status", "fran")
        before = len(h.responses("fran"))
        await h.post(slash_command("/peer", "admin agreement set", user_id="U0FRAN",
                                   user_name="fran", channel_id="C0CIRCLE",
                                   response_url=fake_api.response_url("fran")))
        await h.adapter.idle()
        assert len(h.responses("fran")) == before  # the modal is the answer
        [opened] = fake_api.bodies("views.open")
        view = opened["view"]
        assert view["callback_id"] == "peer_form" and view["title"]["text"] == "Group agreement"
        box = next(b for b in view["blocks"] if b.get("block_id") == "text")["element"]
        assert box["multiline"] and box["max_length"] == 3000

        too_long = view_submission("peer_form", _body("x" * 3001), user_id="U0FRAN",
                                   private_metadata=view["private_metadata"])
        sent = len(fake_api.bodies("chat.postMessage"))
        answer = await h.post(too_long)
        await h.adapter.idle()
        refusal = json.loads(answer.body)  # under the field, the modal stays open
        assert refusal["response_action"] == "errors" and list(refusal["errors"]) == ["text"]
        assert refusal["errors"]["text"].startswith(
            "That agreement is 3001 characters; Slack shows at most 3000")
        assert len(fake_api.bodies("chat.postMessage")) == sent  # no DM about it
        assert h.assembly.ctx.db.execute(
            "SELECT max(version) FROM agreement_versions").fetchone()[0] == 1

        text = "- What's said here stays here.\n- group:elsewhere is just words\n- Be kind."
        await h.post(view_submission("peer_form", _body(text), user_id="U0FRAN",
                                     private_metadata=view["private_metadata"]))
        await h.adapter.idle()
        saved = fake_api.bodies("chat.postMessage")[-1]["text"]
        assert "Saved version 2 of *circle*'s agreement" in saved
        body = h.assembly.ctx.db.execute(
            "SELECT body FROM agreement_versions WHERE version = 2").fetchone()[0]
        assert body == text  # lines kept; the group token is text, not a target

        await _drain(h)
        [ask] = [p for p in fake_api.bodies("chat.postMessage")
                 if p["channel"] == "DU1ALICE" and "changed" in p["text"]]
        assert "+ - Be kind." in str(ask["blocks"]) and "I agree" in str(ask["blocks"])
    finally:
        h.assembly.ctx.db.close()
