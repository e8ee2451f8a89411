"""Mentoring in the console: stage, offer, request, the match, the halfway check-in."""

from __future__ import annotations

SCRIPT = """
as fran
/peer mentor stage senior
/peer mentor offer 2 private practice, supervision
as alice
/peer mentor stage 3 years
/peer mentor request private practice
/peer mentor
as fran
/peer mentor match
wait 46d --verbose
as alice
press 1
quit
"""


def test_mentoring_in_the_console(run_console):
    out = run_console(SCRIPT)
    assert "You're offering to mentor up to 2 on private practice, supervision" in out
    assert "Your career stage is now *early*" in out
    assert "Mentoring match in *Circle*: 1 pair(s) introduced" in out
    assert "== Mentoring introduction ==" in out and "First conversation" in out
    assert "how is it going?" in out
    assert "Glad to hear it" in out
