"""The pairing package's own shape: commands and buttons share helpers, not each other."""

from __future__ import annotations

from tests.support.paths import REPO
from tests.test_architecture import GRAPH


def test_commands_and_buttons_do_not_import_each_other():
    assert "bot.pairing.buttons" not in GRAPH["bot.pairing.commands"]
    assert "bot.pairing.commands" not in GRAPH["bot.pairing.buttons"]
    assert "bot.pairing.replies" in GRAPH["bot.pairing.commands"] & GRAPH["bot.pairing.buttons"]


def test_every_time_pairing_shows_goes_through_the_core():
    """No strftime in pairing: ctx.local_time words an instant, in the reader's zone."""
    for path in sorted((REPO / "bot" / "pairing").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert "strftime" not in source and "local_text" not in source, path.name
