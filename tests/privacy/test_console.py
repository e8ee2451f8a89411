"""The privacy flow as a person sees it in the console: consent, export, forget-me."""

from __future__ import annotations

SCRIPT = """as newcomer
/peer profile
press 2
/peer profile
press 1
/peer profile country GB
/peer export
/peer forget-me
press 1
/peer profile
quit
"""


def test_consent_export_and_erasure_in_the_console(run_console):
    out = run_console(SCRIPT)
    assert out.count("== Welcome to peerbot ==") == 3  # first try, after "Not now", after erasure
    assert "Nothing about you is stored beyond your platform id" in out
    assert "Thank you, you're all set." in out and "== Your profile ==" in out  # it ran
    assert "Country set to *GB*" in out
    assert "--- file peerbot-export-" in out and '"country": "GB"' in out
    assert "== Erase all your data? ==" in out and "[1] Erase everything  [2] Cancel" in out
    assert "everything peerbot held about you here is erased" in out


def test_demo_members_are_already_consented(run_console):
    out = run_console("as bob\n/peer profile\nquit\n")
    assert "Welcome to peerbot" not in out and "America/New_York" in out
