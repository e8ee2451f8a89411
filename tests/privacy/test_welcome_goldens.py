"""Golden renders of the welcome and of `/peer help`, per platform.

The welcome a new member gets on their first group join (the time zone Slack reports,
none on Discord and the console), and help as a member sees it, each through the
platform's own renderer. The Agree button's token and nonce are random: they are
replaced by placeholders before comparing. Run with ``PEERBOT_UPDATE_GOLDENS=1`` after a
deliberate change and read the diff.
"""

from __future__ import annotations

import json
import re

import pytest

from adapters.console.render import render as console_render
from adapters.discord.commands import build_map, spell
from adapters.discord.render import render as discord_render
from adapters.discord.render import to_payload
from adapters.slack.render import render as slack_render
from bot.core.model import Actor, Invocation
from bot.runtime import assemble
from bot.store.db import open_database
from tests.adapters.discord.test_render import clean
from tests.support.goldens import assert_golden

RANDOM = re.compile(r"privacy\.agree\|p:[A-Za-z0-9_-]+:[0-9a-f]+")
ZONES = {"slack": "Australia/Sydney", "discord": "", "console": ""}
USERS = {"slack": "U1WREN", "discord": "300000000000000001", "console": "wren"}


def _render(platform: str, message) -> str:
    if platform == "slack":
        rendered = slack_render(message)
        value = {"blocks": rendered.blocks, "text": rendered.text}
    elif platform == "discord":
        value = clean(to_payload(discord_render(message)))
    else:
        return RANDOM.sub("privacy.agree|p:TOKEN:NONCE", console_render(message))
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)
    return RANDOM.sub("privacy.agree|p:TOKEN:NONCE", text)


@pytest.fixture
def on(make_settings, clock):
    made = []

    def make(platform: str):
        settings = make_settings({"groups": [{"name": "Circle", "channel": "C0CIRCLE"}]})
        assembly = assemble(settings, open_database(settings.bot.database), clock, platform)
        if platform == "discord":
            children = build_map(assembly.core.router.commands())
            assembly.set_spelling(lambda text: spell(children, text))
        made.append(assembly)
        return assembly

    yield make
    for assembly in made:
        assembly.ctx.db.close()


async def _say(assembly, platform: str, text: str):
    who = Actor(f"W-{platform}", USERS[platform], "Wren", timezone=ZONES[platform])
    return await assembly.core.handle_invocation(
        Invocation(actor=who, command="peer", text=text, channel_id="C0CIRCLE"))


@pytest.mark.parametrize("platform", ["slack", "discord", "console"])
async def test_the_welcome_on_a_first_group_join(on, platform):
    assembly = on(platform)
    [card] = await _say(assembly, platform, "group join Circle")
    text = card.message.text()
    assert "Your first check-in (Circle)" in text
    if platform == "slack":
        assert "Australia/Sydney, from your Slack profile" in text
    else:
        assert "not known yet, so times are shown in UTC" in text
    ext = "txt" if platform == "console" else "json"
    assert_golden(f"welcome.{platform}.{ext}", _render(platform, card.message))


@pytest.mark.parametrize("platform", ["slack", "discord", "console"])
async def test_help_for_a_member(on, platform):
    assembly = on(platform)
    [answer] = await _say(assembly, platform, "help")
    assert answer.message.text().index("Right now") < answer.message.text().index("Check-ins")
    ext = "txt" if platform == "console" else "json"
    assert_golden(f"help.{platform}.{ext}", _render(platform, answer.message))
