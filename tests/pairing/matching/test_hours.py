"""Matching: local working hours become UTC half-hour slots of the week."""

from datetime import date

from bot.pairing.matching.solver import Candidate, slots_from_minutes, weekly_mask

WINTER = date(2026, 1, 5)
SUMMER = date(2026, 7, 6)


def slots(mask):
    return [i for i in range(336) if mask >> i & 1]


def test_utc_nine_to_five_on_weekdays_is_forty_hours():
    mask = weekly_mask(Candidate("a"), WINTER)
    assert mask.bit_count() == 80
    assert slots(mask)[:2] == [18, 19]  # Monday 09:00 and 09:30 UTC


def test_time_zone_offset_moves_with_daylight_saving():
    berlin = Candidate("a", tz="Europe/Berlin")
    assert slots(weekly_mask(berlin, WINTER))[0] == 16  # 09:00 CET = 08:00 UTC
    assert slots(weekly_mask(berlin, SUMMER))[0] == 14  # 09:00 CEST = 07:00 UTC


def test_half_hour_zone_and_overnight_shift():
    kolkata = weekly_mask(Candidate("a", tz="Asia/Kolkata"), WINTER)
    assert slots(kolkata)[0] == 7  # 09:00 IST = 03:30 UTC
    night = weekly_mask(Candidate("b", work_start=22, work_end=6, workdays=(0,)), WINTER)
    assert slots(night) == list(range(44, 60))


def test_a_week_ahead_of_utc_spills_into_the_previous_utc_day_correctly():
    tokyo = weekly_mask(Candidate("a", tz="Asia/Tokyo", workdays=(0,)), WINTER)
    assert slots(tokyo) == list(range(0, 16))  # Monday 09:00-17:00 JST = 00:00-08:00 UTC


def test_slots_from_minutes_matches_pairing_members_format():
    assert slots_from_minutes({0, 30, 540, 10_080}) == frozenset({0, 1, 18})
