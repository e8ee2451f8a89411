"""The agreement journeys in the console: joining and agreeing, a new version with what
changed, the kind pause after the grace period, and agreeing again."""

from __future__ import annotations

SCRIPT = """as wren
/peer group join Circle
press 1
/peer group join Circle
press 1
/peer agreement
as fran
/peer admin agreement set
/peer admin agreement set - What's shared here stays here.\\n- Cameras on when you can.
/peer admin agreement status
as alice
press 2
wait 15d --verbose
/peer agreement
press 1
as fran
/peer admin agreement status
quit
"""


def test_join_agree_new_version_pause_and_agree_again(run_console):
    out = run_console(SCRIPT)
    joined = out.split("wren> /peer group join Circle")[2].split("wren> press 1")[0]
    assert "You're now part of *Circle*. First, its agreement" in joined
    assert "- What's shared here stays here: nothing said in the group" in joined
    assert "[1] I agree  [2] Not now" in joined
    assert "Thank you: you agreed to *Circle*'s agreement (version 1)" in out
    assert "You agreed to this version on Mon 05 Jan 08:00 UTC." in out

    # the bare command on the console says what to type
    assert "Type the new agreement after the command: `/peer admin agreement set <text>`" in out
    assert "Saved version 2 of *Circle*'s agreement" in out
    asked = out.split("[DM to alice]")[1]
    assert "== Circle: the group agreement changed (version 2) ==" in asked
    assert "- *Our group agreement*" in asked and "+ - Cameras on when you can." in asked
    assert "If you haven't agreed by Mon 19 Jan 08:00 GMT" in asked
    assert "[DM to fran]\n  == Circle: the group agreement changed" not in out

    assert "No problem. Until you agree, you keep taking part until the date on the card" in out
    paused = out.split("alice> wait 15d --verbose")[1].split("alice> /peer agreement")[0]
    assert "[DM to alice]\n  Your part in *Circle* is paused for now" in paused
    assert "[DM to fran]\n  Your part" not in paused  # she wrote it, so she agreed to it
    assert "[DM to wren]\n  Your part in *Circle* is paused" in paused
    after_pause = out.split("alice> wait 15d --verbose")[1].split("[DM to alice]\n  Your part")[1]
    assert "[DM to alice]\n  == Check-in ==" not in after_pause  # paused: no prompts
    assert "You agreed to version 1; this one is new. Your part in the group is paused" in out
    assert "Thank you: you agreed to *Circle*'s agreement (version 2)" in out

    status = out.split("fran> /peer admin agreement status")[-1]
    assert "2 of 7 member(s) agreed to it." in status
    assert "Paused for not re-agreeing in time (you may want to check in with them): " \
           "bob, carol, dan, erin, wren." in status
