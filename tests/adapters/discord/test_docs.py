"""docs/discord.md shows the current command map (regenerate: peerbot discord commands)."""

from __future__ import annotations

import io

from adapters.discord.docs import BEGIN, END, command_table
from bot.cli import main
from bot.runtime import build_router
from tests.support.paths import REPO

DOC = REPO / "docs" / "discord.md"


def test_the_command_table_is_current():
    text = DOC.read_text(encoding="utf-8")
    table = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert table == command_table(build_router().commands()), (
        "docs/discord.md is out of date: run .venv/bin/peerbot discord commands "
        "and paste its output over the table and its markers"
    )


def test_peerbot_discord_commands_prints_the_table_with_its_markers():
    out = io.StringIO()
    assert main(["discord", "commands"], stdout=out, env={}) == 0
    text = DOC.read_text(encoding="utf-8")
    block = BEGIN + text.split(BEGIN, 1)[1].split(END, 1)[0] + END
    assert out.getvalue() == block + "\n"


def test_the_install_steps_name_the_scopes_and_the_token_variable():
    text = DOC.read_text(encoding="utf-8")
    for needed in ("applications.commands", "DISCORD_TOKEN", "peerbot discord invite",
                   "Privileged Gateway Intent", "50007"):
        assert needed in text
