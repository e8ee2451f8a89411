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


JOIN = """
as alice
/peer mentor join
/peer mentor join stage:senior as:mentor topics:"trauma work, supervision" capacity:2
/peer mentor join stage:early as:mentor topics:supervision
/peer profile
/peer profile stage 4 years
quit
"""


def test_the_mentoring_form_typed_and_the_stage_in_the_profile(run_console):
    out = run_console(JOIN)
    assert "Take part in mentoring: `/peer mentor join stage:" in out  # no forms here
    assert "You're offering to mentor up to 2 on trauma work, supervision" in out
    assert "Mentors are mid-career or senior" in out
    assert "Career stage" in out and "senior" in out.split("/peer profile\n", 1)[1]
    assert "Career stage set to *early*" in out
