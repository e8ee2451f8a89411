"""People who stop answering are not pinged forever.

After ``slow_after_unanswered`` (N, default 4; 0 = never) scheduled prompts in a row
closed without a single answer, a member's scheduled prompts slow down to one a week,
and after 2N to one every four weeks; no reminders are sent while slowed. When the
streak first reaches N the member gets one kind message saying how to resume (answer
any check-in: the usual rhythm comes back at once) or pause. Answering anything ends
the streak. A facilitator's "send one now" round is not slowed and does not count.

The streak is read from the member's own prompts (across their groups), so there is
nothing extra to keep, export or erase.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlite_utils

from bot.checkins.prompts import SCHEDULED, Prompt
from bot.core.config import Settings

WEEKLY = timedelta(days=7)
MONTHLY = timedelta(days=28)


def threshold(settings: Settings, group_name: str) -> int:
    return settings.group(group_name).checkins.slow_after_unanswered


ANSWERED = "EXISTS (SELECT 1 FROM checkin_answers a WHERE a.prompt_id = p.id)"


def streak(db: sqlite_utils.Database, workspace_id: str, user_id: str, limit: int) -> int:
    """How many of the member's latest prompts (up to ``limit``) went unanswered in a row.

    Counted: closed prompts and answered open ones (an answer ends the streak at once),
    except a facilitator's "send one now" rounds (slot ``now:...``)."""
    rows = db.execute(
        f"SELECT {ANSWERED} FROM checkin_prompts p WHERE p.workspace_id = ? AND p.user_id = ?"
        f" AND substr(p.slot, 1, 4) != 'now:' AND (p.closed_at IS NOT NULL OR {ANSWERED})"
        " ORDER BY p.opened_at DESC, p.id DESC LIMIT ?",
        [workspace_id, user_id, limit],
    ).fetchall()
    count = 0
    for (answered,) in rows:
        if answered:
            break
        count += 1
    return count


def spacing(misses: int, n: int) -> timedelta | None:
    """The least time between scheduled prompts after ``misses`` in a row (None: as usual)."""
    if n <= 0 or misses < n:
        return None
    return MONTHLY if misses >= 2 * n else WEEKLY


def allows(db: sqlite_utils.Database, workspace_id: str, user_id: str, day: date,
           n: int) -> bool:
    """May a scheduled prompt open for this local date, given the member's silence?"""
    if n <= 0:
        return True
    gap = spacing(streak(db, workspace_id, user_id, 2 * n), n)
    if gap is None:
        return True
    row = db.execute(
        "SELECT max(local_date) FROM checkin_prompts WHERE workspace_id = ? AND user_id = ?"
        " AND slot = ?",
        [workspace_id, user_id, SCHEDULED],
    ).fetchone()
    if not row or not row[0]:
        return True
    return day >= date.fromisoformat(row[0]) + gap


def is_slowed(db: sqlite_utils.Database, workspace_id: str, user_id: str, n: int) -> bool:
    """Slowed members get no reminders."""
    return n > 0 and streak(db, workspace_id, user_id, n) >= n


def reached_now(db: sqlite_utils.Database, prompt: Prompt, n: int) -> bool:
    """Did closing ``prompt`` bring the streak to exactly N (time for the one message)?"""
    if n <= 0 or prompt.slot.startswith("now:"):
        return False
    return streak(db, prompt.workspace_id, prompt.user_id, n + 1) == n
