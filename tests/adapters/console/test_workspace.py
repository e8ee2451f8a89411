"""The console workspace, driven end to end from a script as a newcomer would."""

from __future__ import annotations


def test_script_runs_commands_as_members_and_prints_recipients(run_console):
    out = run_console("/peer profile\nas bob\n/peer profile tz Europe/Paris\nquit\n")
    assert "[private reply to alice]" in out
    assert "Time zone: Europe/London" in out
    assert "You are now bob." in out
    assert "Time zone set to *Europe/Paris*." in out
    assert out.rstrip().endswith("Goodbye.")


def test_state_persists_in_the_sqlite_file_across_runs(run_console):
    run_console("as carol\n/peer profile specialty grief work\n")
    out = run_console("as carol\n/peer profile\n")
    assert "Specialty: grief work" in out


def test_unknown_subcommand_names_the_nearest_valid_ones(run_console):
    out = run_console("/peer profle\n/peer grop list\n")
    assert "Did you mean `/peer profile`" in out
    assert "`/peer group list`" in out


def test_press_needs_a_message_with_buttons(run_console):
    out = run_console("press 1\n")
    assert "alice has no message with buttons to press." in out


def test_wait_advances_the_clock(run_console):
    out = run_console("wait 3d\ntime\nwait forever\n")
    assert "now Thu 2026-01-08 08:00 UTC" in out
    assert "message(s) delivered" in out
    assert "Wait how long?" in out


def test_unknown_instruction_and_unknown_slash_command(run_console):
    out = run_console("dance\n/slack\n")
    assert "I don't understand “dance”" in out
    assert "Unknown command /slack" in out


def test_demo_group_has_five_members_and_a_facilitator(run_console):
    out = run_console("as fran\n/peer admin members\n")
    assert "*Circle*: 6 member(s)" in out
    assert "fran (facilitator)" in out
    for name in ("alice", "bob", "carol", "dan", "erin"):
        assert f"• {name}" in out


def test_wait_reads_spans_like_the_commands(run_console):
    """The console's `wait` uses the core's one span parser (``3 days``, ``1 week``)."""
    out = run_console("wait 3 days\ntime\nwait 1 week\ntime\nwait 121d\n")
    assert "Thu 2026-01-08 08:00 UTC" in out and "Thu 2026-01-15 08:00 UTC" in out
    assert "up to 120 days" in out
