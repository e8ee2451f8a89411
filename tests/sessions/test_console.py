"""The session journeys in the console: scheduling and the roster; RSVP, agenda, swap and
step down; the reminders with the prep guide; move and cancel with calendar files; the
lead's note of resources."""

from __future__ import annotations

from icalendar import Calendar

SCHEDULE = """as fran
/peer session every 2 weeks on tue at 18:00 Europe/London https://meet.example/circle
/peer session roster 6
as alice
/peer session
/peer session optout case presenter
/peer session roster 3
quit
"""


def ics_blocks(text: str) -> list[Calendar]:
    found = []
    for part in text.split("--- file ")[1:]:
        body = part.split("\n", 1)[1].split("--- end of file ---")[0]
        found.append(Calendar.from_ical("\n".join(line[2:] for line in body.splitlines())))
    return found


def test_schedule_and_roster(run_console):
    out = run_console(SCHEDULE)
    scheduled = out.split("fran> /peer session every")[1].split("fran> /peer session roster")[0]
    assert "Scheduled: *Circle* meets every 2 weeks on Tue at 18:00 (Europe/London)." in scheduled
    assert "*#1 Tue 06 Jan 13:00 EST*" in scheduled  # fran reads it in her own zone
    assert "[DM to alice]\n  == Circle: a session is scheduled ==\n  *Tue 06 Jan 18:00 GMT*" \
        in scheduled
    assert "[1] Going  [2] Maybe  [3] Not going" in scheduled
    assert "--- file session-1.ics ---" in scheduled
    roster = out.split("fran> /peer session roster 6")[1].split("fran> as alice")[0]
    assert roster.count("*#") == 6
    assert "*#6 Tue 17 Mar 14:00 EDT*" in roster  # the US changed clocks; London did not
    # six members, four roles: 24 roles over six sessions, everyone four times
    for name in ("alice", "bob", "carol", "dan", "erin"):
        assert roster.count(f": {name}\n") == 4, name
    view = out.split("alice> /peer session\n")[1].split("alice> /peer session optout")[0]
    assert "== Circle: next session (#1) ==\n  *Tue 06 Jan 18:00 GMT*" in view
    assert "Where: https://meet.example/circle" in view
    assert "*Your role:* discussion lead" in view
    assert "Going: 0 · maybe: 0 · not going: 0" in view
    after = out.split("alice> /peer session roster 3")[1]
    assert "case presenter: *you*" not in after
    assert "Done: you won't be given the case presenter role" in out


JOURNEY = """as fran
/peer session every 2 weeks on tue at 18:00 Europe/London https://meet.example/circle
as alice
/peer session rsvp going
/peer session agenda add Handover stress on night shifts
as bob
/peer session agenda add A paper on moral injury
/peer session swap @carol
as carol
press 1
as bob
/peer session agenda order 2 1
as alice
/peer session agenda order 2 1
/peer session calendar
as dan
/peer session stepdown
as erin
press 1
as carol
/peer session
quit
"""


def test_rsvp_agenda_swap_step_down_and_calendar(run_console):
    out = run_console(JOURNEY)
    assert "Noted: *going* to *Circle*'s session on Tue 06 Jan 18:00 GMT. Going: 1" in out
    assert "Added as item 2 to the agenda" in out
    swap = out.split("bob> /peer session swap @carol")[1].split("carol> press 1")[0]
    assert "[DM to carol]\n  == Circle: swap request ==\n  bob asks whether you'd take their " \
           "role, *case presenter*" in swap
    accepted = out.split("carol> press 1")[1].split("bob> /peer session agenda order")[0]
    assert "Swapped: you're *case presenter*" in accepted
    assert "De-identify it first" in accepted
    assert "[DM to bob]\n  carol accepted your swap for the *case presenter* role" in accepted
    assert "you traded roles in that session" in accepted
    # only the discussion lead (alice) orders the agenda
    refused = out.split("bob> /peer session agenda order 2 1")[1].split("bob> as alice")[0]
    assert "The discussion lead of that session (or a facilitator) orders its agenda" in refused
    assert "New order:\n  1. A paper on moral injury\n  2. Handover stress" in out
    cal = ics_blocks(out.split("alice> /peer session calendar")[1].split("alice> as dan")[0])
    event = cal[0].walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART").hour == 18
    stepped = out.split("dan> /peer session stepdown")[1].split("dan> as erin")[0]
    assert "Done: you stepped down as *timekeeper*" in stepped
    assert "Next in line, asked now: erin." in stepped
    assert "[DM to erin]\n  == Circle: you're next in line ==\n  Could you be *timekeeper*" \
        in stepped
    assert "Thank you: you're *timekeeper*" in out
    view = out.split("carol> /peer session\n")[1]
    assert "*Your role:* case presenter" in view
    assert "• timekeeper: erin" in view
    assert "going: alice" in view
    assert "1. A paper on moral injury\n  2. Handover stress on night shifts" in view


TIMELINE = """as fran
/peer session every 2 weeks on tue at 18:00 Europe/London https://meet.example/circle
/peer session move #2 to 2026-01-21 at 18:30
wait 1d
wait 1d
as alice
/peer session note Mentioned: https://example.org/moral-injury-review and the rounds handbook
/peer session note again
/peer resources
as fran
/peer session cancel #3
quit
"""


def test_reminders_move_cancel_and_the_leads_note(run_console):
    out = run_console(TIMELINE)
    moved = out.split("fran> /peer session move")[1].split("fran> wait 1d")[0]
    assert "Moved session #2 to Wed 21 Jan 13:30 EST; 6 member(s) told" in moved
    assert "The session planned for Tue 20 Jan 18:00 GMT is now on *Wed 21 Jan 18:30 GMT*" in moved
    event = ics_blocks(moved)[0].walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1
    day = out.split("fran> wait 1d")[1].split("fran> wait 1d")[0]
    # role holders a few days ahead, with the prep guide; the case presenter de-identifies
    assert "[DM to bob]\n  == Circle: you're case presenter on Tue 06 Jan 13:00 EST ==" in day
    assert "*De-identify it first*" in day
    assert "(Everyone here agreed: what's shared here stays here.)" in day
    # everyone the day before, each once
    for reader, at in (("alice", "Tue 06 Jan 18:00 GMT"), ("bob", "Tue 06 Jan 13:00 EST"),
                       ("dan", "Tue 06 Jan 18:00 GMT")):
        assert f"[DM to {reader}]\n  == Circle: session {at} ==" in day
        assert out.count(f"[DM to {reader}]\n  == Circle: session {at} ==") == 1  # never twice
    note = out.split("alice> /peer session note Mentioned")[1].split("note again")[0]
    assert "Thank you: the note is in *Circle*'s resource library as [1]." in note
    again = out.split("alice> /peer session note again")[1].split("alice> /peer resources")[0]
    assert "That session's note is in the resource library already as [1]" in again
    library = out.split("alice> /peer resources")[1]
    assert "Resources from Circle's session of 06 Jan 2026" in library
    cancelled = out.split("fran> /peer session cancel #3")[1]
    assert "Cancelled session #3" in cancelled
    assert cancelled.count("== Circle: session cancelled ==") == 6
    event = ics_blocks(cancelled)[0].walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    assert str(ics_blocks(cancelled)[0]["METHOD"]) == "CANCEL"


AGENDA = """as alice
/peer session agenda add First thing
as bob
/peer session agenda add Second thing
as carol
/peer session agenda remove 1
as alice
/peer session agenda remove 2
/peer session #1
/peer session #4
quit
"""


def test_agenda_removal_and_a_chosen_session(run_console):
    out = run_console("as fran\n/peer session every 2 weeks on tue at 18:00 Europe/London\n"
                      + AGENDA)
    refused = out.split("carol> /peer session agenda remove 1")[1].split("carol> as alice")[0]
    assert "Whoever added an item, the session's discussion lead or a facilitator" in refused
    # alice leads session 1: she may remove bob's item
    assert "Removed item 2 (“Second thing”) from the agenda." in out
    first = out.split("alice> /peer session #1")[1].split("alice> /peer session #4")[0]
    assert "== Circle: session #1 ==" in first and "1. First thing" in first
    assert "Second thing" not in first
    assert "== Circle: session #4 ==\n  *Tue 17 Feb 18:00 GMT*" in out
