"""The App Home stays current: republished after a command or button that changes what
it shows, not after one that changes nothing, never after a crisis request, and after
an erasure it says nothing is held (and stores nothing again)."""

from __future__ import annotations

from bot.core.dispatch import NOTHING_HELD
from tests.support.slack_fake.flow import agree, buttons, command, consented, press
from tests.support.slack_fake.harness import make_harness
from tests.support.slack_fake.payloads import app_home_opened

GROUPS = {"groups": [{"name": "circle", "channel": "C0CIRCLE"}]}


def _published(fake_api) -> list[str]:
    return [str(b["view"]["blocks"]) for b in fake_api.bodies("views.publish")]


async def test_home_follows_changes_and_only_changes(fake_api, make_settings, clock):
    h = make_harness(fake_api, lambda extra: make_settings({**extra, **GROUPS}), clock)
    try:
        await agree(h, "U1ALICE", await consented(h, "U1ALICE", "group join circle"))
        await h.post(app_home_opened(user_id="U1ALICE"), content_type="application/json")
        before = len(_published(fake_api))
        await command(h, "U1ALICE", "help")
        await command(h, "U1ALICE", "profile")
        assert len(_published(fake_api)) == before  # nothing Home shows changed
        await command(h, "U1ALICE", "pair join")
        assert len(_published(fake_api)) == before + 1
        assert _published(fake_api)[-1] != _published(fake_api)[-2]
    finally:
        h.assembly.ctx.db.close()


async def test_a_crisis_request_never_touches_home(slack, fake_api):
    await command(slack, "U1ALICE", "", command="/crisis")
    await command(slack, "U1ALICE", "crisis gb")
    assert fake_api.bodies("views.publish") == []


async def test_after_forget_me_home_says_nothing_is_held(slack, fake_api):
    card = await command(slack, "U1ALICE", "profile specialty canary-home")
    await press(slack, "U1ALICE", buttons(card["blocks"])["Agree"])
    asked = await command(slack, "U1ALICE", "forget-me")
    await press(slack, "U1ALICE", buttons(asked["blocks"])["Erase everything"])
    assert NOTHING_HELD in _published(fake_api)[-1]
    db = slack.assembly.ctx.db
    assert db.execute("SELECT count(*) FROM members WHERE user_id = 'U1ALICE'").fetchone() == (0,)
