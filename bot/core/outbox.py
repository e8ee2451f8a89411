"""The durable outbox: every fan-out message is a row before it is a send.

Callers enqueue inside the same ``db.atomic()`` block that creates their round, so a
round and its messages exist together or not at all. ``UNIQUE(workspace, round_key,
target)`` makes enqueueing idempotent: re-running a job after a crash inserts nothing
twice. The drainer (bot.core.delivery) claims rows, sends them and settles them.

The in-flight window: a row is marked ``sending`` (committed) before the platform call
and ``sent`` after it. A crash between those two points leaves ``sending`` rows; at
start-up :meth:`Outbox.recover_in_flight` asks the messenger whether each was delivered
when the platform can tell, and otherwise sends it again. That window holds at most
``[delivery] concurrency`` messages.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.core.edits import REPLY, find_row, plan_edit, with_refs
from bot.core.fairness import class_of, current_flow, fair_due, member_flow, next_seq
from bot.core.model import Message, Section, Target, message
from bot.core.ports import Clock
from bot.core.requestid import current_request_id
from bot.core.serialize import (
    message_from_json,
    message_to_json,
    strip_files,
    target_from_json,
    target_to_json,
)
from bot.store.rows import fetch_dicts

PENDING, SENDING, SENT, UNDELIVERABLE, FAILED, CANCELLED = (
    "pending",
    "sending",
    "sent",
    "undeliverable",
    "failed",
    "cancelled",
)


@dataclass(frozen=True)
class OutboxItem:
    id: int
    workspace_id: str
    round_key: str
    target: Target
    message: Message
    kind: str
    attempts: int
    request_id: str | None = None  # the event or job run that queued it (for the logs)
    op: str = ""  # '' a new message, EDIT or REPLY (of the message of row ``ref_id``)
    ref: str | None = None  # that message's platform reference, once it was delivered
    ref_status: str | None = None  # that row's status

    @property
    def user_id(self) -> str | None:
        return self.target.user_id

    @property
    def key(self) -> str:
        """Stable for this row's (workspace, round, target), for platforms that drop a
        repeated send with the same key (Discord's nonce): 25 characters."""
        raw = f"{self.workspace_id}|{self.round_key}|{self.target.key()}".encode()
        return "pb" + hashlib.sha256(raw).hexdigest()[:23]


class Outbox:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def enqueue(
        self,
        workspace_id: str,
        round_key: str,
        target: Target,
        message: Message,
        *,
        kind: str = "",
        not_before: datetime | None = None,
        reply_to: str | None = None,
        op: str = "",
        ref_id: int | None = None,
        priority: int | None = None,
    ) -> bool:
        """Queue a message once per (round, target); True when newly queued. Its class
        (``priority``) defaults to its kind's; its place in the fair order follows who
        queued it (bot.core.fairness). ``reply_to``: the round key of an earlier message
        to the same target that this one points at (bot.core.edits). Does not commit."""
        now = self.clock.now()
        if reply_to is not None:
            found = find_row(self.db, workspace_id, reply_to, target)
            op, ref_id = (REPLY, found[0]) if found else ("", None)
        request_id = current_request_id()
        klass = class_of(kind) if priority is None else priority
        flow = current_flow() or request_id or round_key
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO outbox (workspace_id, round_key, target_key, user_id, target,"
            " payload, kind, status, not_before, created_at, request_id, priority, flow, seq,"
            " op, ref_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                workspace_id,
                round_key,
                target.key(),
                target.user_id,
                target_to_json(target),
                message_to_json(message),
                kind,
                (not_before or now).isoformat(),
                now.isoformat(),
                request_id,
                klass,
                flow,
                next_seq(self.db, klass, flow),
                op,
                ref_id,
            ],
        )
        return cursor.rowcount == 1

    def platform_ref(self, workspace_id: str, round_key: str, target: Target) -> str | None:
        """Where the platform put this message, once delivered (None before)."""
        found = find_row(self.db, workspace_id, round_key, target)
        return found[2] or None if found and found[1] == SENT else None

    def enqueue_edit(self, workspace_id: str, round_key: str, target: Target,
                     message: Message, *, kind: str = "") -> bool:
        """``message`` in place of the one queued as (round, target) (bot.core.edits)."""
        return plan_edit(self, workspace_id, round_key, target, message, kind=kind)

    def set_payload(self, row_id: int, message: Message) -> None:
        self.db.execute("UPDATE outbox SET payload = ? WHERE id = ?",
                        [message_to_json(message), row_id])

    def claim_due(self, limit: int = 50, *, skip: Sequence[str] = (),
                  busy: Sequence[str] = ()) -> list[OutboxItem]:
        """Mark up to ``limit`` due rows as sending and return them, in the fair order
        (class, then sequence: bot.core.fairness), at most one per recipient, and to
        each recipient in the order queued (urgent rows excepted).

        ``skip``: workspaces waiting out a rate limit, so their rows do not occupy the
        send slots other workspaces could use meanwhile. ``busy``: ``workspace|target``
        keys with a send in flight: a second send to the same conversation waits, so a
        per-conversation limit holds one send slot, not all of them.
        A read-then-write: call it inside a unit of work (``write_transaction``), which
        takes the write lock first so a busy database is waited out.
        """
        now = self.clock.now().isoformat()
        busy_now, picked = set(busy), []
        while len(picked) < limit:  # the best row, then the best to someone else, ...
            want = limit - len(picked)
            rows = fair_due(self.db, ITEM_COLUMNS, now, skip, sorted(busy_now), want)
            for row in rows:
                talk = conversation(row["workspace_id"], row["target_key"])
                if talk not in busy_now and len(picked) < limit:
                    picked.append(row)
                busy_now.add(talk)
            if len(rows) < want:  # nothing more is due
                break
        if picked:
            marks = ",".join("?" for _ in picked)
            self.db.execute(
                f"UPDATE outbox SET status = 'sending', attempts = attempts + 1"
                f" WHERE id IN ({marks})",
                [r["id"] for r in picked],
            )
        return [_item(r, claimed=True) for r in with_refs(self.db, picked)]

    def _settle(self, item_id: int, status: str, **extra: object) -> None:
        sets = ", ".join(f"{k} = ?" for k in extra)
        self.db.execute(
            f"UPDATE outbox SET status = ?, flow = ''{', ' + sets if sets else ''} WHERE id = ?",
            [status, *extra.values(), item_id],
        )

    def mark_sent(self, item: OutboxItem, platform_ref: str) -> None:
        self._settle(
            item.id, SENT, sent_at=self.clock.now().isoformat(), platform_ref=platform_ref or ""
        )

    def mark_undeliverable(self, item: OutboxItem, reason: str) -> None:
        self._settle(item.id, UNDELIVERABLE, last_error=reason[:200])

    def mark_failed(self, item: OutboxItem, reason: str) -> None:
        self._settle(item.id, FAILED, last_error=reason[:200])

    def retry_later(
        self, item: OutboxItem, delay: timedelta, reason: str, *, count_attempt: bool = True
    ) -> None:
        """Put the row back as pending, due after ``delay``. Rate limits do not count
        as attempts: waiting for the platform is not failing."""
        self.db.execute(
            "UPDATE outbox SET status = 'pending', not_before = ?, last_error = ?,"
            " attempts = attempts - ? WHERE id = ?",
            [(self.clock.now() + delay).isoformat(), reason[:200], 0 if count_attempt else 1,
             item.id],
        )

    def in_flight(self) -> list[OutboxItem]:
        rows = fetch_dicts(self.db, f"SELECT {ITEM_COLUMNS} FROM outbox o"
                           " WHERE o.status = 'sending' ORDER BY o.id")
        return [_item(r) for r in with_refs(self.db, rows)]

    def known_channels(self) -> list[tuple[str, str, str]]:
        """(workspace, user, channel) of each member's last delivered DM, from its
        platform reference ``channel:message``: a restart need not open them again."""
        rows = self.db.execute(
            "SELECT workspace_id, user_id, platform_ref FROM outbox WHERE id IN (SELECT"
            " max(id) FROM outbox WHERE status = 'sent' AND user_id IS NOT NULL"
            " AND target_key = 'user:' || user_id AND platform_ref LIKE '%:%'"
            " GROUP BY workspace_id, user_id)"
        ).fetchall()
        return [(ws, user, ref.split(":", 1)[0]) for ws, user, ref in rows]

    def release(self, item: OutboxItem) -> None:
        """Return an in-flight row to pending without counting the attempt."""
        self.db.execute(
            "UPDATE outbox SET status = 'pending', attempts = max(attempts - 1, 0) WHERE id = ?",
            [item.id],
        )

    def sent_ref(self, workspace_id: str, round_key: str) -> str | None:
        """The platform reference of a channel message already sent under ``round_key``
        (to answer in its thread later); None if not sent yet or purged."""
        row = self.db.execute(
            "SELECT platform_ref FROM outbox WHERE workspace_id = ? AND round_key = ? AND"
            " status = 'sent' AND target_key LIKE 'channel:%' AND platform_ref <> ''"
            " ORDER BY id LIMIT 1", [workspace_id, round_key]).fetchone()
        return row[0] if row else None

    def purge_settled_before(self, cutoff: datetime) -> int:
        """Retention: delete settled messages created before ``cutoff``; pending stay.

        Their text (a buddy nudge, an introduction) may say more about a member than a
        count does, so they do not outlive the retention period.
        """
        return self.db.execute(
            "DELETE FROM outbox WHERE status IN ('sent', 'undeliverable', 'failed',"
            " 'cancelled') AND created_at < ?",
            [cutoff.isoformat()],
        ).rowcount

    def next_due_at(self) -> datetime | None:
        row = self.db.execute(
            "SELECT min(o.not_before) FROM outbox o JOIN workspaces w ON w.id = o.workspace_id"
            " WHERE o.status = 'pending' AND w.disabled_reason IS NULL"
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def status_counts(self, workspace_id: str | None = None) -> dict[str, int]:
        sql = "SELECT status, count(*) FROM outbox"
        params: list[object] = []
        if workspace_id is not None:
            sql += " WHERE workspace_id = ?"
            params.append(workspace_id)
        return dict(self.db.execute(sql + " GROUP BY status", params).fetchall())


ITEM_COLUMNS = ("o.id, o.workspace_id, o.round_key, o.target, o.payload, o.kind, o.attempts,"
                " o.request_id, o.target_key, o.op, o.ref_id")


def conversation(workspace_id: str, target_key: str) -> str:
    """One recipient (a person's DM, a channel, a group DM) as ``claim_due``'s ``busy``."""
    return f"{workspace_id}|{target_key}"


def _item(row: dict[str, Any], *, claimed: bool = False) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        workspace_id=row["workspace_id"],
        round_key=row["round_key"],
        target=target_from_json(row["target"]),
        message=message_from_json(row["payload"]),
        kind=row["kind"],
        attempts=row["attempts"] + (1 if claimed else 0),
        request_id=row.get("request_id"),
        op=row.get("op") or "",
        ref=row.get("ref") or None,
        ref_status=row.get("ref_status"),
    )


def cancel_pending(
    db: sqlite_utils.Database,
    workspace_id: str,
    *,
    round_keys: Sequence[str] = (),
    round_prefixes: Sequence[str] = (),
    user_id: str | None = None,
    target: Target | None = None,
    kind: str | None = None,
) -> int:
    """Withdraw messages not yet sent (a member paused, left a round, erased their data).

    Rows match every filter given; ``round_keys`` and ``round_prefixes`` together pick
    the rounds. Rows already ``sending`` are left alone: that send is in flight. Runs
    in the caller's transaction when there is one (a savepoint), else in its own, so a
    withdrawal commits or rolls back with the change that caused it.
    """
    rounds = [("round_key = ?", key) for key in round_keys]
    rounds += [("substr(round_key, 1, ?) = ?", (len(p), p)) for p in round_prefixes]
    sql = ("UPDATE outbox SET status = 'cancelled', flow = '' WHERE workspace_id = ?"
           " AND status = 'pending'")
    params: list[object] = [workspace_id]
    if rounds:
        sql += " AND (" + " OR ".join(clause for clause, _ in rounds) + ")"
        for _, value in rounds:
            params.extend(value if isinstance(value, tuple) else (value,))
    for column, value in (("user_id", user_id), ("kind", kind),
                          ("target_key", target.key() if target else None)):
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    with db.atomic():
        return db.execute(sql, params).rowcount


def discard_for_member(db: sqlite_utils.Database, workspace_id: str, user_id: str, *,
                       kind_prefix: str = "") -> int:
    """Erasure: delete every message to this member or naming them; rows deleted.

    A DM is addressed to them; a group conversation (an introduction, ``group:alice,bob``)
    names everyone in it. ``kind_prefix`` limits it to one topic's messages (a data
    owner erasing its own). A row being sent right now is left to the drainer to settle.
    """
    return db.execute(
        "DELETE FROM outbox WHERE workspace_id = ? AND status != 'sending'"
        " AND substr(kind, 1, ?) = ? AND (user_id = ? OR (target_key LIKE 'group:%'"
        " AND instr(',' || substr(target_key, 7) || ',', ',' || ? || ',') > 0))",
        [workspace_id, len(kind_prefix), kind_prefix, user_id, user_id],
    ).rowcount


WITHDRAWN = message(Section(
    "(This message mentioned someone who has since erased their data, so its text was "
    "removed.)"
))


def _names(text: str, needles: Sequence[str]) -> bool:
    """Whether ``text`` names any needle as a whole word (``al`` is not in ``also``)."""
    return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text) for n in needles if n)


def redact_mentions(db: sqlite_utils.Database, workspace_id: str, user_id: str,
                    names: Sequence[str] = ()) -> int:
    """Erasure: no queued or kept message to *others* may still name the member.

    ``discard_for_member`` removed what was addressed to them. What is left and mentions
    their id (``<@id>``, a round key) or one of their ``names`` (a buddy invitation, a
    buddy nudge, a "your partner can't make it") is rewritten: a pending row is
    cancelled, and every such row's text becomes :data:`WITHDRAWN` and its round key no
    longer holds the id. Returns the rows rewritten. Read in Python, not with LIKE: the
    payload is JSON, where a name may be escaped.
    """
    needles = [user_id, *names]
    db.execute("UPDATE outbox SET flow = '' WHERE workspace_id = ? AND flow = ?",
               [workspace_id, member_flow(workspace_id, user_id)])  # who queued what
    rows = fetch_dicts(
        db, "SELECT id, round_key, payload, status FROM outbox WHERE workspace_id = ?"
        " AND status != 'sending'", [workspace_id],
    )
    changed = 0
    for row in rows:
        decoded = strip_files(row["payload"])  # a file's base64 could "name" anyone
        raw = row["payload"] if '"base64"' not in row["payload"] else decoded
        if not (_names(raw, needles) or _names(decoded, needles)
                or user_id in row["round_key"]):
            continue
        db.execute(
            "UPDATE outbox SET payload = ?, round_key = ?, status = ? WHERE id = ?",
            [message_to_json(WITHDRAWN), f"withdrawn:{row['id']}",
             CANCELLED if row["status"] == PENDING else row["status"], row["id"]],
        )
        changed += 1
    return changed
