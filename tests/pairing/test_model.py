"""Pairing's rows are read by column name into typed values, never by position."""

from __future__ import annotations

from datetime import timedelta

from bot.pairing.participants import DEFAULT_HOURS, PairingMembers
from bot.pairing.rounds import RoundService
from tests.support.world import MONDAY, WS, World


async def test_a_round_is_read_with_its_instants_as_aware_datetimes(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 2})
    await w.join("alice", "bob")
    await w.say("fran", "pair round")
    round_ = RoundService(w.ctx).open_round(WS, w.group.id)
    assert (round_.matched_at, round_.follow_up_at) == (MONDAY, MONDAY + timedelta(days=2))
    assert round_.scheduled_for is None and round_.started_by == "fran"


async def test_working_hours_are_read_as_times_and_days(tmp_path):
    w = World.pairing(tmp_path)
    w.add("alice")
    people = PairingMembers(w.db, w.clock)
    assert people.hours(WS, "alice") == DEFAULT_HOURS
    await w.say("alice", "pair hours 07:30-15:30 tue,thu")
    hours = people.hours(WS, "alice")
    assert (hours.text, hours.days, hours.is_default) == ("07:30-15:30", ("tue", "thu"), False)
