"""The crisis card in the console workspace transcript (the platform that exists so far)."""

from __future__ import annotations

from bot.crisis.service import NOT_A_CRISIS_SERVICE


def test_crisis_commands_in_the_console(run_console):
    out = run_console("as wren\n/crisis uk\n/peer crisis colleague nz\n/peer crisis jp\nquit\n")
    assert "call 999 or 112 now" in out and "116 123" in out
    assert "Worried about a colleague" in out and "call 111 now" in out
    assert "findahelpline.com" in out
    assert out.count(NOT_A_CRISIS_SERVICE) == 3
