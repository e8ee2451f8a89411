"""Check-in prompts and answers: open a prompt (with its outbox row), answer, note, close.

Every check on an answer happens here, server-side, whatever the button claimed: the
prompt must exist in this workspace and belong to the person pressing, still be open,
and the value must be one of the question's options. A replayed click stores nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum

import sqlite_utils

from bot.checkins import coverage
from bot.checkins import messages as texts
from bot.checkins.questions import find_question, question_set
from bot.core.config import QuestionSet, Settings
from bot.core.members import MemberService
from bot.core.model import Target
from bot.core.outbox import Outbox, cancel_pending
from bot.core.ports import Clock
from bot.core.timeparse import shown_time
from bot.store.rows import columns, convert, fetch_all, fetch_one

SCHEDULED = "scheduled"


@dataclass(frozen=True)
class Prompt:
    id: int
    workspace_id: str
    group_id: int
    user_id: str
    local_date: str
    slot: str
    question_set: str
    note_allowed: bool = field(metadata=convert(bool))
    opened_at: datetime = field(metadata=convert(datetime.fromisoformat))
    closes_at: datetime = field(metadata=convert(datetime.fromisoformat))
    closed_at: str | None
    note: str | None

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and now < self.closes_at


@dataclass(frozen=True)
class Due:
    """One member to prompt: who, for which local date, from when (UTC)."""

    user_id: str
    local_date: date
    opened_at: datetime
    tz_name: str


class Outcome(Enum):
    STORED = "stored"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    NOT_YOURS = "not_yours"
    CLOSED = "closed"
    INVALID = "invalid"


@dataclass(frozen=True)
class AnswerResult:
    outcome: Outcome
    prompt: Prompt | None = None
    answers: dict[str, int] | None = None


PROMPT_COLUMNS = columns(Prompt)


def prompt_key(prompt_id: int) -> str:
    """The outbox round key of a prompt's message: its edits and reminder point at it."""
    return f"checkin.prompt:{prompt_id}"


def stamp(dt: datetime) -> str:
    """UTC ISO text with a fixed shape, so SQL string comparison orders instants."""
    return dt.astimezone(UTC).isoformat(timespec="seconds")


class CheckinService:
    def __init__(self, db: sqlite_utils.Database, clock: Clock, settings: Settings) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings

    # ---- opening ------------------------------------------------------------------

    def open_prompts(
        self, workspace_id: str, group_id: int, group_name: str, due: list[Due], slot: str,
        *, deliver: bool = True,
    ) -> list[int]:
        """Create prompt rows and their outbox messages together, in the caller's unit of work.

        ``INSERT OR IGNORE`` against the unique (group, member, local date, slot) key
        makes this idempotent: a second run (another tick, a restart) opens nothing new.
        Returns the ids of prompts opened now.
        """
        cfg = self.settings.group(group_name).checkins
        qs = question_set(self.settings, cfg.question_set)
        window = timedelta(hours=cfg.window_hours)
        remind = timedelta(hours=cfg.reminder_after_hours)
        outbox = Outbox(self.db, self.clock)
        now = self.clock.now()
        opened: list[int] = []
        group = MemberService(self.db, self.clock).group(workspace_id, group_id)
        with self.db.atomic():
            for item in due:
                closes = item.opened_at + window
                remind_at = item.opened_at + remind if timedelta(0) < remind < window else None
                cursor = self.db.execute(
                    "INSERT OR IGNORE INTO checkin_prompts (workspace_id, group_id, user_id,"
                    " local_date, slot, question_set, note_allowed, opened_at, remind_at,"
                    " closes_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [workspace_id, group_id, item.user_id, item.local_date.isoformat(), slot,
                     qs.name, int(cfg.free_text), stamp(item.opened_at),
                     stamp(remind_at) if remind_at else None, stamp(closes)],
                )
                if cursor.rowcount != 1:
                    continue
                prompt_id = cursor.lastrowid
                opened.append(prompt_id)
                names = [group_name]
                if slot == SCHEDULED and group is not None:
                    names = coverage.cover_others(self.db, self.clock, self.settings, group,
                                                  prompt_id, item.user_id, item.local_date)
                if deliver:
                    msg = texts.prompt_message(
                        prompt_id, qs, closes=shown_time(closes, item.tz_name, now=now),
                        note_command=self.note_command() if cfg.free_text else None,
                        intro=texts.prompt_intro(coverage.names_text(names), len(names)),
                    )
                    outbox.enqueue(workspace_id, prompt_key(prompt_id),
                                   Target(user_id=item.user_id), msg, kind="checkin")
        return opened

    def note_command(self) -> str:
        return f"/{self.settings.bot.command_name} checkin note <text>"

    # ---- reading ------------------------------------------------------------------

    def get(self, workspace_id: str, prompt_id: int) -> Prompt | None:
        return fetch_one(
            self.db, Prompt,
            f"SELECT {PROMPT_COLUMNS} FROM checkin_prompts WHERE workspace_id = ? AND id = ?",
            [workspace_id, prompt_id],
        )

    def latest_open(self, workspace_id: str, user_id: str) -> Prompt | None:
        return fetch_one(
            self.db, Prompt,
            f"SELECT {PROMPT_COLUMNS} FROM checkin_prompts WHERE workspace_id = ? AND user_id = ?"
            " AND closed_at IS NULL AND closes_at > ? ORDER BY opened_at DESC, id DESC LIMIT 1",
            [workspace_id, user_id, stamp(self.clock.now())],
        )

    def answers(self, prompt_id: int) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT question_key, value FROM checkin_answers WHERE prompt_id = ?", [prompt_id]
        ).fetchall()
        return dict(rows)

    def questions_of(self, prompt: Prompt) -> QuestionSet:
        return question_set(self.settings, prompt.question_set)

    # ---- answering ----------------------------------------------------------------

    def answer(
        self, workspace_id: str, user_id: str, prompt_id: int, key: str, value: int
    ) -> AnswerResult:
        prompt = self.get(workspace_id, prompt_id)
        if prompt is None or prompt.user_id != user_id:
            return AnswerResult(Outcome.NOT_YOURS)
        if not prompt.is_open(self.clock.now()):
            return AnswerResult(Outcome.CLOSED, prompt)
        question = find_question(self.questions_of(prompt), key)
        if question is None or value not in {o.value for o in question.options}:
            return AnswerResult(Outcome.INVALID, prompt)
        before = self.answers(prompt_id).get(key)
        if before == value:
            return AnswerResult(Outcome.UNCHANGED, prompt, self.answers(prompt_id))
        self.db.execute(
            "INSERT INTO checkin_answers (workspace_id, prompt_id, question_key, value,"
            " answered_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (prompt_id, question_key)"
            " DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
            [workspace_id, prompt_id, key, value, stamp(self.clock.now())],
        )
        outcome = Outcome.STORED if before is None else Outcome.CHANGED
        return AnswerResult(outcome, prompt, self.answers(prompt_id))

    def set_note(self, prompt: Prompt, note: str | None) -> None:
        self.db.execute(
            "UPDATE checkin_prompts SET note = ? WHERE workspace_id = ? AND id = ?",
            [note, prompt.workspace_id, prompt.id],
        )

    def withdraw_pending(self, workspace_id: str, user_id: str) -> int:
        """Cancel check-in messages still queued for a member who just paused."""
        return cancel_pending(self.db, workspace_id, user_id=user_id, kind="checkin")

    # ---- closing and reminding ------------------------------------------------------

    def close_due(self) -> list[Prompt]:
        """Close every prompt whose window has ended; returns them (for buddy triggers)."""
        now = stamp(self.clock.now())
        prompts = fetch_all(
            self.db, Prompt,
            f"SELECT {PROMPT_COLUMNS} FROM checkin_prompts WHERE closed_at IS NULL"
            " AND closes_at <= ? ORDER BY id",
            [now],
        )
        if prompts:
            self.db.execute(
                "UPDATE checkin_prompts SET closed_at = closes_at WHERE closed_at IS NULL"
                " AND closes_at <= ?",
                [now],
            )
        return prompts

    def remind_due(self, skip) -> int:
        """Queue the one gentle reminder for open, unanswered prompts past their remind time.

        ``skip(prompt)`` says whether the member should get none (they paused meanwhile,
        or their check-ins slowed down after a long silence).
        The reminder has its own round key, so it is never sent twice either.
        """
        now = self.clock.now()
        prompts = fetch_all(
            self.db, Prompt,
            f"SELECT {PROMPT_COLUMNS} FROM checkin_prompts p WHERE closed_at IS NULL"
            " AND reminded_at IS NULL AND remind_at IS NOT NULL AND remind_at <= ?"
            " AND closes_at > ? AND NOT EXISTS (SELECT 1 FROM checkin_answers a"
            " WHERE a.prompt_id = p.id)",
            [stamp(now), stamp(now)],
        )
        outbox = Outbox(self.db, self.clock)
        queued = 0
        with self.db.atomic():
            for prompt in prompts:
                self.db.execute(
                    "UPDATE checkin_prompts SET reminded_at = ? WHERE id = ?",
                    [stamp(now), prompt.id],
                )
                if skip(prompt):
                    continue
                tz = MemberService(self.db, self.clock).zone_of(prompt.workspace_id,
                                                                prompt.user_id)
                msg = texts.reminder_message(
                    closes=shown_time(prompt.closes_at, tz, now=now),
                    command=f"/{self.settings.bot.command_name} checkin")
                queued += outbox.enqueue(prompt.workspace_id, f"checkin.remind:{prompt.id}",
                                         Target(user_id=prompt.user_id), msg, kind="checkin",
                                         reply_to=prompt_key(prompt.id))
        return queued
