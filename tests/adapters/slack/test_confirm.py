"""Confirmation dialogs (Block Kit ``confirm``) on buttons that erase, leave or start a
round, as the real slack-bolt app sends them; and the dialog's own limits."""

from __future__ import annotations

from adapters.slack.render import render
from bot.core.model import Button, Buttons, ButtonStyle, Confirm, message
from tests.support.slack_fake.flow import command, consented, press

GROUPS = {"groups": [{"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}]}


def _element(answer, label):
    return next(e for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["text"]["text"] == label)


async def test_erase_everything_asks_in_a_danger_dialog(slack, fake_api):
    answer = await command(slack, "U1ALICE", "forget-me")
    erase = _element(answer, "Erase everything")
    assert erase["style"] == "danger"
    assert erase["confirm"] == {
        "title": {"type": "plain_text", "text": "Erase all your data?", "emoji": True},
        "text": {"type": "mrkdwn", "text": "Everything peerbot holds about you in this "
                 "workspace is deleted now. This cannot be undone."},
        "confirm": {"type": "plain_text", "text": "Erase everything", "emoji": True},
        "deny": {"type": "plain_text", "text": "Keep my data", "emoji": True},
        "style": "danger",
    }
    assert "confirm" not in _element(answer, "Cancel")


async def test_starting_a_round_and_stepping_out_ask_first(fake_api, make_settings, clock):
    from tests.support.slack_fake.flow import agree
    from tests.support.slack_fake.harness import make_harness

    h = make_harness(fake_api, lambda extra: make_settings({**extra, **GROUPS}), clock)
    try:
        for user in ("U1ALICE", "U2BOB"):
            await agree(h, user, await consented(h, user, "group join circle"))
            await command(h, user, "pair join")
        preview = await consented(h, "U0FRAN", "pair preview")
        start = _element(preview, "Start this round")
        assert start["confirm"]["title"]["text"] == "Start the round in circle?"
        assert start["confirm"]["confirm"]["text"] == "Start the round"
        assert "style" not in start["confirm"]  # not destructive: Slack's default colour
        await press(h, "U0FRAN", start["value"])
        avoid = await command(h, "U1ALICE", "pair avoid <@U2BOB|bob>")
        step = _element(avoid, "Step out of this round")
        assert step["confirm"]["title"]["text"] == "Step out of this round?"
        assert step["confirm"]["deny"]["text"] == "Stay in"
    finally:
        h.assembly.ctx.db.close()


def test_the_dialog_stays_inside_slacks_limits():
    long = Confirm("t" * 150, "x" * 400, "y" * 40, "n" * 40)
    [block] = render(message(Buttons((Button("Go", "a.b", ButtonStyle.DANGER, long),)))).blocks
    dialog = block["elements"][0]["confirm"]
    assert len(dialog["title"]["text"]) == 100 and len(dialog["text"]["text"]) == 300
    assert len(dialog["confirm"]["text"]) == 30 and len(dialog["deny"]["text"]) == 30


def test_dialog_text_is_escaped():
    sneaky = Confirm("Sure?", "<!channel> <@U1> & more", "Yes")
    [block] = render(message(Buttons((Button("Go", "a.b", confirm=sneaky),)))).blocks
    assert block["elements"][0]["confirm"]["text"]["text"] == (
        "&lt;!channel&gt; &lt;@U1&gt; &amp; more")
