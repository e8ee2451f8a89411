"""The "check on me" buddy: one peer a member chooses, nudged when their trigger fires.

Who is whose buddy is known only to the two of them: no command lists buddies, no
facilitator view shows them, the logs never name them. The buddy accepts or declines
first; a nudge carries no scores and no content, only a suggestion to reach out.

Triggers: ``two-low`` (two answered check-ins in a row each with an answer at its
question's concerning end, see ``Question.concerning``) and
``two-missed`` (two check-ins in a row closed without an answer). After a nudge the
streak starts again, so one rough week sends one nudge, not one per check-in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum

import sqlite_utils

from bot.checkins import messages as texts
from bot.checkins.prompts import Prompt
from bot.checkins.questions import find_question, is_concerning, question_set
from bot.core.config import Settings
from bot.core.members import MemberService
from bot.core.model import Target
from bot.core.outbox import Outbox
from bot.core.ports import Clock
from bot.store.rows import columns, convert, fetch_all, fetch_one


class Trigger(StrEnum):
    """When the buddy is nudged; the value is what members type and what is stored."""

    TWO_LOW = "two-low"
    TWO_MISSED = "two-missed"


class LinkStatus(StrEnum):
    """Where a buddy request stands; the value is what is stored."""

    PENDING = "pending"
    ACTIVE = "active"
    DECLINED = "declined"


class Response(Enum):
    """What became of the buddy's answer to an invitation."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    STALE = "stale"  # no such open request (withdrawn, declined, or not theirs)


@dataclass(frozen=True)
class BuddyLink:
    workspace_id: str
    user_id: str
    buddy_id: str
    trigger: Trigger = field(metadata=convert(Trigger))
    status: LinkStatus = field(metadata=convert(LinkStatus))
    last_nudge_prompt_id: int


@dataclass(frozen=True)
class _Answered:
    """One answer of one of the member's two latest answered check-ins."""

    prompt_id: int
    question_set: str
    question_key: str
    value: int


@dataclass(frozen=True)
class _Closed:
    """A recent closed check-in and how many questions were answered."""

    prompt_id: int
    answers: int


class BuddyService:
    def __init__(self, db: sqlite_utils.Database, clock: Clock, settings: Settings) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings

    def link_of(self, workspace_id: str, user_id: str) -> BuddyLink | None:
        return fetch_one(
            self.db, BuddyLink,
            f"SELECT {columns(BuddyLink)} FROM checkin_buddies WHERE workspace_id = ?"
            " AND user_id = ?",
            [workspace_id, user_id],
        )

    def ask(
        self, workspace_id: str, user_id: str, member_label: str, buddy_id: str, trigger: Trigger
    ) -> None:
        """Record the request and queue the consent-style invitation, together."""
        now = self.clock.now().isoformat()
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO checkin_buddies (workspace_id, user_id, buddy_id, trigger, status,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id,"
                " user_id) DO UPDATE SET buddy_id = excluded.buddy_id, trigger = excluded.trigger,"
                " status = excluded.status, created_at = excluded.created_at, answered_at = NULL,"
                " last_nudge_prompt_id = 0",
                [workspace_id, user_id, buddy_id, trigger.value, LinkStatus.PENDING.value, now],
            )
            Outbox(self.db, self.clock).enqueue(
                workspace_id, f"checkin.buddy-ask:{user_id}:{now}", Target(user_id=buddy_id),
                texts.buddy_invite(member_label, user_id), kind="checkin-buddy",
            )

    def remove(self, workspace_id: str, user_id: str) -> bool:
        cursor = self.db.execute(
            "DELETE FROM checkin_buddies WHERE workspace_id = ? AND user_id = ?",
            [workspace_id, user_id],
        )
        return cursor.rowcount > 0

    def respond(
        self, workspace_id: str, buddy_id: str, member_id: str, accept: bool, buddy_label: str
    ) -> Response:
        """The buddy's answer to ``member_id``'s request."""
        link = self.link_of(workspace_id, member_id)
        if link is None or link.buddy_id != buddy_id or link.status is LinkStatus.DECLINED:
            return Response.STALE
        status = LinkStatus.ACTIVE if accept else LinkStatus.DECLINED
        with self.db.atomic():
            self.db.execute(
                "UPDATE checkin_buddies SET status = ?, answered_at = ? WHERE"
                " workspace_id = ? AND user_id = ?",
                [status.value, self.clock.now().isoformat(), workspace_id, member_id],
            )
            if not accept:
                Outbox(self.db, self.clock).enqueue(
                    workspace_id, f"checkin.buddy-no:{member_id}:{self.clock.now().isoformat()}",
                    Target(user_id=member_id), texts.buddy_declined(buddy_label),
                    kind="checkin-buddy",
                )
        return Response.ACCEPTED if accept else Response.DECLINED

    # ---- triggers -----------------------------------------------------------------------

    def _armed(self, prompt: Prompt, trigger: Trigger) -> BuddyLink | None:
        """The member's accepted buddy link, if its trigger is ``trigger``."""
        link = self.link_of(prompt.workspace_id, prompt.user_id)
        if link is None or link.status is not LinkStatus.ACTIVE or link.trigger is not trigger:
            return None
        return link

    def after_answer(self, prompt: Prompt, member_label: str) -> BuddyLink | None:
        """Nudge the buddy when the last two answered check-ins each had a concerning answer.

        "Concerning" is each question's own declared end (``Question.concerning``), so a
        custom set's "None" of energy counts and its "Plenty" never does. Returns the link
        whose buddy was nudged now, else None.
        """
        link = self._armed(prompt, Trigger.TWO_LOW)
        if link is None:
            return None
        rows = fetch_all(
            self.db, _Answered,
            "SELECT p.id AS prompt_id, p.question_set, a.question_key, a.value"
            " FROM checkin_prompts p JOIN checkin_answers a ON a.prompt_id = p.id"
            " WHERE p.id IN (SELECT q.id FROM checkin_prompts q WHERE q.workspace_id = ?"
            " AND q.user_id = ? AND q.id > ? AND EXISTS (SELECT 1 FROM checkin_answers b"
            " WHERE b.prompt_id = q.id) ORDER BY q.opened_at DESC, q.id DESC LIMIT 2)",
            [prompt.workspace_id, prompt.user_id, link.last_nudge_prompt_id],
        )
        low: dict[int, bool] = {}
        for row in rows:
            question = find_question(question_set(self.settings, row.question_set),
                                     row.question_key)
            low[row.prompt_id] = low.get(row.prompt_id, False) or is_concerning(
                question, row.value, self.settings)
        if len(low) == 2 and all(low.values()):
            self._nudge(link, max(low), member_label)
            return link
        return None

    def after_close(self, prompt: Prompt) -> int:
        link = self._armed(prompt, Trigger.TWO_MISSED)
        if link is None:
            return 0
        latest = fetch_all(
            self.db, _Closed,
            "SELECT p.id AS prompt_id, (SELECT count(*) FROM checkin_answers a"
            " WHERE a.prompt_id = p.id) AS answers FROM checkin_prompts p"
            " WHERE p.workspace_id = ? AND p.user_id = ? AND p.closed_at IS NOT NULL"
            " AND p.id > ? ORDER BY p.closes_at DESC, p.id DESC LIMIT 2",
            [prompt.workspace_id, prompt.user_id, link.last_nudge_prompt_id],
        )
        if len(latest) == 2 and all(c.answers == 0 for c in latest):
            member = MemberService(self.db, self.clock).get(prompt.workspace_id, prompt.user_id)
            label = member.label if member else prompt.user_id
            return self._nudge(link, latest[0].prompt_id, label)
        return 0

    def _nudge(self, link: BuddyLink, prompt_id: int, member_label: str) -> int:
        with self.db.atomic():
            self.db.execute(
                "UPDATE checkin_buddies SET last_nudge_prompt_id = ? WHERE workspace_id = ?"
                " AND user_id = ?",
                [prompt_id, link.workspace_id, link.user_id],
            )
            queued = Outbox(self.db, self.clock).enqueue(
                link.workspace_id, f"checkin.nudge:{link.user_id}:{prompt_id}",
                Target(user_id=link.buddy_id), texts.buddy_nudge(member_label),
                kind="checkin-buddy",
            )
        return int(queued)
