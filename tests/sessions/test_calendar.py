"""The .ics file (bot/sessions/calendar.py), parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from bot.sessions.calendar import build_ics

STAMP = datetime(2026, 1, 5, 8, tzinfo=UTC)


def parsed(**changes) -> Calendar:
    fields = dict(uid="abc@peerbot", summary="Circle: peer session",
                  starts_at=datetime(2026, 3, 31, 17, tzinfo=UTC), minutes=90,
                  zone="Europe/London", place="https://meet.example/x", sequence=0,
                  cancelled=False, stamp=STAMP)
    fields.update(changes)
    return Calendar.from_ical(build_ics(**fields))


def event(cal: Calendar):
    (found,) = cal.walk("VEVENT")
    return found


def test_the_event_is_in_the_sessions_zone_with_its_vtimezone():
    cal = parsed()
    ev = event(cal)
    assert ev["DTSTART"].params["TZID"] == "Europe/London"
    start = ev.decoded("DTSTART")
    assert (start.hour, start.minute) == (18, 0)  # 17:00 UTC is 18:00 BST after the change
    assert start.astimezone(UTC) == datetime(2026, 3, 31, 17, tzinfo=UTC)
    assert ev.decoded("DTEND").astimezone(UTC) == datetime(2026, 3, 31, 18, 30, tzinfo=UTC)
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/London"
    assert {c.name for c in tz.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert str(ev["UID"]) == "abc@peerbot" and int(ev["SEQUENCE"]) == 0
    assert str(ev["LOCATION"]) == "https://meet.example/x" == str(ev["URL"])
    assert str(cal["METHOD"]) == "PUBLISH" and str(ev["STATUS"]) == "CONFIRMED"


def test_before_the_change_the_same_wall_time_is_another_instant():
    ev = event(parsed(starts_at=datetime(2026, 3, 24, 18, tzinfo=UTC)))
    assert ev.decoded("DTSTART").hour == 18
    assert ev.decoded("DTSTART").utcoffset().total_seconds() == 0


def test_a_move_bumps_the_sequence_and_a_cancel_removes_it():
    moved = event(parsed(sequence=1, starts_at=datetime(2026, 4, 1, 17, tzinfo=UTC)))
    assert int(moved["SEQUENCE"]) == 1 and str(moved["UID"]) == "abc@peerbot"
    cancelled = parsed(sequence=2, cancelled=True)
    assert str(cancelled["METHOD"]) == "CANCEL"
    assert str(event(cancelled)["STATUS"]) == "CANCELLED"
    assert int(event(cancelled)["SEQUENCE"]) == 2


def test_a_place_that_is_not_a_link_has_no_url_and_text_is_escaped():
    ev = event(parsed(place="Room 4, 2nd floor; bring tea", summary="A; B, C"))
    assert str(ev["LOCATION"]) == "Room 4, 2nd floor; bring tea"
    assert "URL" not in ev
    assert str(ev["SUMMARY"]) == "A; B, C"


def test_other_zones_keep_their_offsets():
    ev = event(parsed(zone="America/New_York", starts_at=datetime(2026, 3, 9, 22, tzinfo=UTC)))
    start = ev.decoded("DTSTART")  # 9 March: New York is on EDT (UTC-4) already
    assert start.hour == 18 and start.utcoffset() == timedelta(hours=-4)
