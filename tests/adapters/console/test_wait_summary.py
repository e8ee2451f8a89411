"""The console's `wait`: a quiet week stays short (one line per day over 20 messages),
`--verbose` prints every message, and each message says when it arrived, in the
recipient's own zone."""

from __future__ import annotations

import re


def test_a_week_of_check_ins_is_one_line_per_day(run_console):
    out = run_console("wait 1w\nquit\n", times=True)
    waited = out.split("alice> wait 1w")[1].split("alice> quit")[0]
    days = re.findall(r"^\[(\w{3} \d{2} \w{3} \d{4}): (\d+) message\(s\) delivered: (.*)\]$",
                      waited, re.MULTILINE)
    assert [d for d, _, _ in days][:3] == ["Mon 05 Jan 2026", "Wed 07 Jan 2026",
                                           "Thu 08 Jan 2026"]
    assert sum(int(n) for _, n, _ in days) == 24
    assert "alice 2" in days[0][2]
    assert "[DM to" not in waited  # no message printed in full
    assert len(waited.strip().splitlines()) <= 8  # was 365 lines for six people
    assert "--verbose" in waited


def test_verbose_prints_every_message_with_its_local_delivery_time(run_console):
    out = run_console("wait 1w --verbose\nquit\n", times=True)
    assert out.count("[DM to") == 24
    assert "[DM to alice, Mon 05 Jan 09:00 GMT]" in out
    assert "[DM to carol, Thu 08 Jan 09:00 AEDT]" in out  # Sydney's own clock
    assert "[DM to bob, Mon 05 Jan 09:00 EST]" in out


def test_twenty_or_fewer_are_printed_in_full_and_press_still_answers(run_console):
    out = run_console("wait 61m\npress 4\nquit\n", times=True)
    assert "message(s) delivered:" not in out.split("alice> press 4")[0].split("wait 61m")[1]
    assert "[DM to alice, Mon 05 Jan 09:01 GMT] (updated)" in out
