"""`peerbot discord invite`: the least permissions, the bot and commands scopes."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlparse

import discord

from adapters.discord import invite_url
from bot.cli import main


def test_the_invite_asks_for_the_minimal_permissions_and_both_scopes():
    url = urlparse(invite_url(123456789012345678))
    query = parse_qs(url.query)
    assert query["client_id"] == ["123456789012345678"]
    assert query["scope"] == ["bot applications.commands"]
    granted = discord.Permissions(int(query["permissions"][0]))
    assert {name for name, on in granted if on} == {
        "read_messages", "send_messages", "send_messages_in_threads",  # read = View Channel
        "create_private_threads", "embed_links", "attach_files", "read_message_history",
    }
    assert not granted.administrator and not granted.manage_messages


def test_the_cli_prints_it(tmp_path):
    config = tmp_path / "peerbot.toml"
    config.write_text("[discord]\napplication_id = 42\n")
    out = io.StringIO()
    assert main(["--config", str(config), "discord", "invite"], stdout=out, env={}) == 0
    assert out.getvalue().startswith("https://discord.com/oauth2/authorize?client_id=42&")
