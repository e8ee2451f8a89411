"""The class of "a time shown as text the platform cannot localise": every date a member
is sent is a structured time (``timeparse.shown_time``), never a date typed into text.

Runs the flows that show times (check-ins: prompt, reminder, pause, next; pairing: status,
heads-up, round, history; a facilitator's round reply) and looks at the raw text of every
message and reply for a weekday-and-month date outside a time token. A new message that
formats a date itself fails here.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from bot.core.model import TIME_TOKEN, Context, Fields, Header, Message, Reply, Section
from tests.support.paths import REPO
from tests.support.world import World

DATE = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
                  r"Sep|Oct|Nov|Dec)\b|\d{4}-\d{2}-\d{2}T\d{2}")


def raw_texts(msg: Message) -> list[str]:
    found = [msg.fallback]
    for block in msg.blocks:
        match block:
            case Header(text=t) | Section(text=t) | Context(text=t):
                found.append(t)
            case Fields(pairs=pairs):
                found.extend(f"{k} {v}" for k, v in pairs)
    return found


def leaks(messages: list[Message]) -> list[str]:
    return [text for msg in messages for text in raw_texts(msg)
            if DATE.search(TIME_TOKEN.sub("", text))]


async def collect(w: World, user: str, text: str, seen: list[Message]) -> list[Reply]:
    replies = await w.command(user, text)
    seen.extend(r.message for r in replies)
    return replies


async def test_check_in_times_are_structured(tmp_path):
    w = World.checkins(tmp_path)
    w.add("sid", "Australia/Sydney")
    w.add("alice")
    seen: list[Message] = []
    await w.wait(timedelta(hours=30))  # prompts and reminders go out
    for line in ("checkin next", "checkin", "checkin history", "checkin pause 52w",
                 "checkin resume", "checkin pause 2w"):
        await collect(w, "sid", line, seen)
    seen.extend(m for _, m in w.messenger.sent)
    assert len(w.messenger.sent) >= 2 and len(seen) >= 8
    assert leaks(seen) == []


async def test_pairing_times_are_structured(tmp_path):
    w = World.pairing(tmp_path, pairing={"schedule": "every week on mon at 15:00",
                                         "timezone": "UTC", "heads_up_hours": 2,
                                         "follow_up_days": 3})
    w.add("sid", "Australia/Sydney")
    await w.join("bob", "sid", "alice")
    seen: list[Message] = []
    await collect(w, "sid", "pair", seen)
    await w.wait(timedelta(hours=8))
    await collect(w, "fran", "pair preview", seen)
    await collect(w, "fran", "pair round", seen)
    await collect(w, "sid", "pair history", seen)
    seen.extend(m for _, m in w.messenger.sent)
    assert any("AEDT" in Message(blocks=m.blocks).text() for m in seen)
    assert leaks(seen) == []


def test_no_topic_formats_an_instant_itself():
    """Only bot/core/timeparse.py turns an instant into words; a strftime elsewhere is
    a date stamp for a file name or a calendar date, and is listed here on purpose."""
    allowed = {"bot/core/timeparse.py", "bot/store/maintenance.py",  # a backup's file stamp
               "bot/checkins/facilitator.py",  # a calendar week: "week of 05 Jan 2026"
               "bot/checkins/chart_data.py",  # the pulse chart's calendar weeks, as the text
               "bot/privacy/commands.py"}  # the export's file name, dated in their zone
    found = {str(p.relative_to(REPO)) for p in Path(REPO / "bot").rglob("*.py")
             if "strftime(" in p.read_text(encoding="utf-8")}
    assert found <= allowed, found - allowed
