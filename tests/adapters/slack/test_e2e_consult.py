"""A consultation through Slack: the modal, the check's warning, posting anonymously in
the group's channel (signed requests to the real bolt app, the fake Web API)."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.core.delivery import Deliverer
from tests.adapters.slack.test_e2e_resources import GROUP, _agree, _command, _submission
from tests.support.slack_fake.payloads import block_actions


async def _drain(h) -> None:
    ctx = h.assembly.ctx

    async def advance(seconds: float) -> None:
        ctx.clock.advance(timedelta(seconds=seconds))

    await Deliverer(ctx.outbox, ctx.members, h.adapter.messenger, ctx.clock,
                    sleep=advance).drain_until_idle()


def _button(body: dict, label: str) -> str:
    blocks = body["blocks"] if isinstance(body["blocks"], list) else json.loads(body["blocks"])
    return next(e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]
                if e["text"]["text"] == label)


async def test_consult_through_the_modal_warns_then_posts_anonymously(fake_api, make_settings,
                                                                      clock):
    from tests.support.slack_fake.harness import make_harness

    h = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}), clock)
    try:
        await _agree(h, "U1ALICE")
        assert await _command(h, "U1ALICE", "consult") is None
        view = fake_api.bodies("views.open")[-1]["view"]
        assert view["title"]["text"] == "Ask for a consultation"
        assert "facilitators included" in json.dumps(view)
        await h.post(_submission(view, {
            "question": "Sarah, 93-year-old, keeps cancelling. How do you respond?",
            "want": "ideas", "as": "anonymous"}, "U1ALICE"))
        warning = fake_api.bodies("chat.postMessage")[-1]
        assert "this may identify your client" in json.dumps(warning)
        assert "age over 89" in json.dumps(warning)
        await h.post(block_actions(_button(warning, "Post as it is"), user_id="U1ALICE",
                                   response_url=h.api.response_url("U1ALICE")))
        receipt = h.responses("U1ALICE")[-1]
        assert "peerbot has kept no record of who asked" in json.dumps(receipt)
        await _drain(h)
        [post] = [b for b in fake_api.bodies("chat.postMessage") if b["channel"] == "C0CIRCLE"]
        assert "Case consultation 1" in json.dumps(post) and "Asked anonymously" in json.dumps(
            post)
        assert "U1ALICE" not in json.dumps(post)
        db = h.assembly.ctx.db
        assert db.execute("SELECT asker_id FROM consultations").fetchall() == [(None,)]
        assert db.execute("SELECT count(*) FROM consultation_drafts").fetchone() == (0,)
    finally:
        h.assembly.ctx.db.close()


async def test_resolving_posts_the_note_as_a_reply_in_the_thread(fake_api, make_settings, clock):
    from tests.support.slack_fake.harness import make_harness

    h = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}), clock)
    try:
        await _agree(h, "U1ALICE")
        answer = await _command(h, "U1ALICE", 'consult question:"A client keeps cancelling. '
                                              'Ideas?" as:anonymous')
        code = json.dumps(answer).split("Your private code is *", 1)[1].split("*", 1)[0]
        await _drain(h)
        [post] = [b for b in fake_api.bodies("chat.postMessage") if b["channel"] == "C0CIRCLE"]
        ref = h.assembly.ctx.db.execute("SELECT platform_ref FROM outbox WHERE kind ="
                                        " 'consultations.post'").fetchone()[0]
        await _command(h, "U1ALICE", f"consult resolve 1 {code}")
        await _drain(h)
        note = [b for b in fake_api.bodies("chat.postMessage") if b["channel"] == "C0CIRCLE"][-1]
        assert note is not post and "Consultation 1 is resolved" in json.dumps(note)
        assert note["thread_ts"] == ref.split(":", 1)[1]
        assert "U1ALICE" not in json.dumps(note)
    finally:
        h.assembly.ctx.db.close()


async def test_edit_after_the_warning_opens_the_modal_pre_filled(fake_api, make_settings, clock):
    from tests.support.slack_fake.harness import make_harness

    h = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}), clock)
    try:
        await _agree(h, "U1ALICE")
        await _command(h, "U1ALICE", "consult")
        view = fake_api.bodies("views.open")[-1]["view"]
        await h.post(_submission(view, {"question": "Sarah keeps cancelling. Ideas?",
                                        "want": "ideas", "as": "anonymous"}, "U1ALICE"))
        warning = fake_api.bodies("chat.postMessage")[-1]
        opened = len(fake_api.bodies("views.open"))
        await h.post(block_actions(_button(warning, "Edit"), user_id="U1ALICE",
                                   response_url=h.api.response_url("U1ALICE")))
        assert len(fake_api.bodies("views.open")) == opened + 1
        again = fake_api.bodies("views.open")[-1]["view"]
        by_id = {b["block_id"]: b["element"] for b in again["blocks"] if b["type"] == "input"}
        assert by_id["question"]["initial_value"] == "Sarah keeps cancelling. Ideas?"
        assert by_id["want"]["initial_value"] == "ideas"
        assert by_id["as"]["initial_option"]["value"] == "anonymous"
        await h.post(_submission(again, {"question": "A client keeps cancelling. Ideas?",
                                         "want": "ideas", "as": "anonymous"}, "U1ALICE"))
        await _drain(h)
        [post] = [b for b in fake_api.bodies("chat.postMessage") if b["channel"] == "C0CIRCLE"]
        assert "A client keeps cancelling" in json.dumps(post) and "Sarah" not in json.dumps(post)
    finally:
        h.assembly.ctx.db.close()
