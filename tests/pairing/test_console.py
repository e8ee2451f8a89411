"""A whole round in the console: five join, fran previews and runs it, then the follow-up."""

from __future__ import annotations

SCRIPT = """
as alice
/peer pair join
as bob
/peer pair join
as carol
/peer pair join
as dan
/peer pair join
as erin
/peer pair join
as fran
/peer pair preview
/peer pair round
wait 4d --verbose
as alice
press 1
/peer pair history
quit
"""


def test_a_whole_round_in_the_console(run_console):
    out = run_console(SCRIPT)
    assert out.count("You're in for debrief pairing in *Circle*") == 5
    preview = out.split("fran> /peer pair preview", 1)[1].split("fran> /peer pair round", 1)[0]
    assert "[private reply to fran]" in preview and "Preview: Circle" in preview
    assert "5 taking part. Proposed: 1 pair(s) and 1 trio." in preview
    assert "alice" not in preview and "Not yet met" not in preview
    after_round = out.split("fran> /peer pair round", 1)[1].split("fran> wait 4d --verbose", 1)[0]
    assert "Round started in *Circle*: 1 pair(s) and 1 trio" in after_round
    assert after_round.count("[group conversation: ") == 2
    assert after_round.count("== Debrief pairing: Circle ==") == 2
    assert "no client-identifying information" in after_round
    waited = out.split("fran> wait 4d --verbose", 1)[1].split("alice> press 1", 1)[0]
    assert waited.count("Did you meet") == 5
    assert "(alice pressed “Yes, we met”)" in out
    assert "Thank you. Glad you found the time." in out
    assert "(you met)" in out.split("alice> /peer pair history", 1)[1]
