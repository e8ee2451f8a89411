"""A check-in in the console workspace, end to end: wait for the prompt, tap, see history."""

from __future__ import annotations


def test_wait_until_the_prompt_press_buttons_and_see_history(run_console):
    out = run_console(
        "wait 61m\n"
        "press 4\n"
        "press 8\n"
        "/peer checkin history\n"
        "as bob\n"
        "/peer checkin pause 1w\n"
        "wait 3d\n"
        "quit\n", times=True,
    )
    # alice (Europe/London) gets her 09:00 prompt; bob (New York) is not due yet
    first_wait = out.split("alice> press 4")[0]
    assert "[DM to alice, Mon 05 Jan 09:00 GMT]\n  Time for your check-in" in first_wait
    assert "[DM to bob" not in first_wait
    assert "(alice pressed “4 · Good”)" in out
    # the prompt is reprinted, updated in place, with the answers in words
    assert "[DM to alice, Mon 05 Jan 09:01 GMT] (updated)" in out
    assert "[4] ✓ 4 · Good" in out
    assert "(Thanks, noted: mood Good. You can change it until Mon 05 Jan 21:00 GMT." in out
    assert "Thanks, noted: mood Good, burnout 3 of 5. That is everything." in out
    assert "Mood: `·······▆`  latest 4, average 4.0 (1-5)" in out
    assert "You can change an answer until Mon 05 Jan 21:00 GMT." in out
    assert "Your next check-in: Thu 08 Jan 09:00 GMT (Europe/London)." in out
    assert "Check-ins paused until Mon 12 Jan 04:01 EST" in out  # bob's own zone
    after_pause = out.split("bob> wait 3d")[1]
    assert "[DM to bob" not in after_pause  # paused: no Monday or Thursday prompt
    assert "[DM to carol, Thu 08 Jan 09:00 AEDT]" in after_pause  # Sydney's Thursday 09:00


def test_the_issue_example_through_the_console_pulse_reveals_nobody(run_console):
    """Five answer mood 2 / burnout 4, fran mood 5 / burnout 1: fran learns nothing."""
    lines = []
    for user, mood, burnout in (("alice", 2, 4), ("bob", 2, 4), ("carol", 2, 4),
                                ("dan", 2, 4), ("erin", 2, 4), ("fran", 5, 1)):
        # the prompt again before each tap: a warm reply's buttons may come in between
        lines += [f"as {user}", "/peer checkin", f"press {mood}", "/peer checkin",
                  f"press {5 + burnout}"]
    out = run_console("\n".join([*lines, "wait 10d", "as fran", "/peer pulse", "quit"]) + "\n")
    pulse = out.split("fran> /peer pulse")[1]
    assert "Response rate: 6 of 6 (100%)" in pulse
    assert "Mood: withheld: nearly everyone gave a similar answer" in pulse
    assert "Burnout: withheld: nearly everyone gave a similar answer" in pulse
    for leak in ("Low", "Very good", "answered)", "1–2:", "4–5:"):
        assert leak not in pulse
