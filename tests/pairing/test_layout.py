"""The pairing package's own shape: commands and buttons share helpers, not each other."""

from __future__ import annotations

from tests.test_architecture import GRAPH


def test_commands_and_buttons_do_not_import_each_other():
    assert "bot.pairing.buttons" not in GRAPH["bot.pairing.commands"]
    assert "bot.pairing.commands" not in GRAPH["bot.pairing.buttons"]
    assert "bot.pairing.replies" in GRAPH["bot.pairing.commands"] & GRAPH["bot.pairing.buttons"]
