"""The app manifest asks for the least privilege and names the configured commands."""

from __future__ import annotations

import re

from bot.core.config import Settings
from tests.support.paths import REPO

MANIFEST = REPO / "adapters" / "slack" / "manifest.yml"


def _list_after(text: str, key: str) -> list[str]:
    block = text.split(f"{key}:\n", 1)[1]
    items = []
    for line in block.splitlines():
        match = re.match(r"\s+- ([\w:.]+)", line)
        if not match:
            break
        items.append(match.group(1))
    return items


def test_bot_scopes_are_exactly_the_ones_peerbot_uses():
    scopes = _list_after(MANIFEST.read_text(), "bot")
    assert sorted(scopes) == sorted(
        [
            "commands",
            "chat:write",
            "im:write",
            "mpim:write",
            "users:read",
            "usergroups:read",
            "files:write",
        ]
    )
    assert not [s for s in scopes if s.endswith(":history") or s.startswith("admin")]


def test_commands_match_the_default_config_names():
    text = MANIFEST.read_text()
    bot = Settings().bot
    commands = re.findall(r"- command: /([\w-]+)", text)
    assert commands == [bot.command_name, bot.crisis_command]


def test_home_tab_interactivity_and_only_the_home_and_profile_events():
    text = MANIFEST.read_text()
    assert "home_tab_enabled: true" in text
    assert "interactivity:\n    is_enabled: true" in text
    # user_change only drops a cached profile (adapters/slack/directory.py)
    assert _list_after(text, "bot_events") == ["app_home_opened", "user_change"]
    assert text.count("/slack/events") == 4  # both commands, events, interactivity
