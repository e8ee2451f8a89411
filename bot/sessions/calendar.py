"""The session's calendar entry (.ics), built with the icalendar library.

:func:`build_ics` is pure: the same session gives the same file. The event's start and
end are in the session's own zone (``DTSTART;TZID=Europe/London``) with the matching
VTIMEZONE, so a calendar shows it at the right local time on either side of a DST
change. One UID per session; SEQUENCE goes up each time it is moved or cancelled, so
calendars replace the entry they have; a cancelled one is sent with METHOD:CANCEL and
STATUS:CANCELLED, which removes it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.core.context import AppContext
from bot.core.model import Attachment
from bot.sessions.model import CANCELLED, Meeting

MIME = "text/calendar"
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def build_ics(*, uid: str, summary: str, starts_at: datetime, minutes: int, zone: str,
              place: str, sequence: int, cancelled: bool, stamp: datetime) -> str:
    tz = ZoneInfo(zone)
    calendar = Calendar()
    calendar.add("prodid", "-//peerbot//group sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", starts_at.astimezone(tz))
    event.add("dtend", (starts_at + timedelta(minutes=minutes)).astimezone(tz))
    event.add("summary", summary)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if place:
        event.add("location", place)
        if _URL.match(place):
            event.add("url", place)
    calendar.add_component(event)
    # the zone's rules around the session (not 1970-2038): a short file, still correct
    local_day = starts_at.astimezone(tz).date()
    calendar.add_missing_timezones(first_date=local_day - timedelta(days=366),
                                   last_date=local_day + timedelta(days=366))
    return calendar.to_ical().decode("utf-8")


def ics_for(ctx: AppContext, meeting: Meeting, group_name: str) -> str:
    return build_ics(uid=meeting.uid, summary=f"{group_name}: peer session",
                     starts_at=meeting.starts_at, minutes=meeting.minutes,
                     zone=meeting.timezone, place=meeting.place, sequence=meeting.sequence,
                     cancelled=meeting.status == CANCELLED, stamp=ctx.clock.now())


def filename(meeting: Meeting) -> str:
    return f"session-{meeting.id}.ics"


def attachment_for(ctx: AppContext, meeting: Meeting, group_name: str) -> Attachment:
    return Attachment(filename(meeting), ics_for(ctx, meeting, group_name), MIME)
