"""Who goes first when the platform limits the pace: classes, flows, a fair order.

A rate-limited workspace sends about 50 messages a second (Slack) and a fan-out can
queue 5,000 or 20,000 at once. In the order rows were queued, a member's crisis
lines, a "pair now" offer someone is waiting on, or a buddy's nudge would wait minutes
behind the round; one member's flood of requests would delay everyone's prompts.

So every outbox row gets, when it is queued:

- a **class**: URGENT (a reply or anything a person is waiting on right now), NORMAL, or
  BULK (scheduled fan-outs: check-in prompts and reminders, round heads-ups, digests).
  A due row of a better class is always claimed first.
- a **flow**: who or what queued it, kept only until the row is settled (and wiped
  when the member erases their data): the member whose command it was
  (``member:<workspace>:<user>``, set by :func:`flow_scope`), else the job run
  (its request id), else its round key.
- a **sequence number** (start-time fair queueing): a flow's next row goes one after
  its previous row, but never before the point the class's sending has reached. A
  5,000-prompt round gets 5,000 consecutive numbers; a member who queues something
  while it drains gets the number the drain has reached, so flows take turns instead
  of queueing behind each other, and a flood from one flow delays only that flow.

The deliverer claims due rows by (class, sequence) and never holds two sends to the
same recipient at once (a platform's per-conversation limit then holds one send slot,
not all of them).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Any

import sqlite_utils

from bot.store.rows import fetch_dicts

URGENT, NORMAL, BULK = 0, 1, 2

# Kinds (``Outbox.enqueue(kind=...)``) by class; a kind not listed is NORMAL.
KIND_CLASS: dict[str, int] = {
    "reply": URGENT,  # a reply that could not go through the request's own channel
    "crisis": URGENT,
    "checkin-buddy": URGENT,  # a colleague is struggling and asked for their buddy
    "pairing.offer": URGENT,  # /peer pair now: someone is waiting for an answer
    "pairing.nobody": URGENT,
    "pairing.withdrawn": URGENT,
    "checkin": BULK,
    "pairing.headsup": BULK,
    "resources.digest": BULK,
    "agreement.ask": BULK,
    "mentoring.checkin": BULK,
}

FLOW: ContextVar[str | None] = ContextVar("peerbot_outbox_flow", default=None)


def class_of(kind: str) -> int:
    return KIND_CLASS.get(kind, NORMAL)


def current_flow() -> str | None:
    return FLOW.get()


@contextlib.contextmanager
def flow_scope(flow: str) -> Iterator[None]:
    """Rows queued inside belong to ``flow`` (a member's commands share one flow)."""
    token = FLOW.set(flow)
    try:
        yield
    finally:
        FLOW.reset(token)


def member_flow(workspace_id: str, user_id: str) -> str:
    return f"member:{workspace_id}:{user_id}"


def next_seq(db: sqlite_utils.Database, priority: int, flow: str) -> int:
    """The row's place in its class: right after its flow's last row, but not before
    the point sending has reached (the highest number claimed so far)."""
    reached = db.execute(
        "SELECT max(s) FROM (SELECT max(seq) AS s FROM outbox WHERE status = 'sending'"
        " AND priority = ? UNION ALL SELECT max(seq) FROM outbox WHERE status = 'sent'"
        " AND priority = ?)", [priority, priority],
    ).fetchone()[0]
    last = db.execute(
        "SELECT max(seq) FROM outbox WHERE flow = ? AND priority = ?", [flow, priority]
    ).fetchone()[0]
    return max(reached if reached is not None else 0, last + 1 if last is not None else 0)


def fair_due(db: sqlite_utils.Database, columns: str, now: str, skip: Sequence[str],
             busy: Sequence[str], limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` due outbox rows (``columns`` of ``o``) in the fair order, in one
    walk of the ``outbox_fair`` index; several may be to one recipient (the outbox's
    ``claim_due`` keeps the first). ``skip``: workspaces waiting out a 429; ``busy``:
    ``workspace|target`` conversations with a send in flight. Reads only."""
    skipped = f" AND o.workspace_id NOT IN ({','.join('?' for _ in skip)})" if skip else ""
    if busy:
        skipped += (" AND o.workspace_id || '|' || o.target_key NOT IN"
                    f" ({','.join('?' for _ in busy)})")
    # Each conversation keeps its order: a row waits for older pending rows to the
    # same recipient, except an urgent one (a reply to what they just did).
    # An edit never overtakes another edit of the same message still being sent.
    skipped += (" AND NOT (o.op = 'edit' AND EXISTS (SELECT 1 FROM outbox e WHERE"
                " e.ref_id = o.ref_id AND e.op = 'edit' AND e.status = 'sending'))")
    skipped += (" AND (o.priority = 0 OR NOT EXISTS (SELECT 1 FROM outbox p WHERE"
                " p.workspace_id = o.workspace_id AND p.target_key = o.target_key"
                " AND p.status = 'pending' AND p.id < o.id AND p.priority > 0))")
    return fetch_dicts(
        db, f"SELECT {columns} FROM outbox o INDEXED BY outbox_fair JOIN workspaces w"
        " ON w.id = o.workspace_id WHERE o.status = 'pending' AND o.not_before <= ? AND"
        " w.disabled_reason IS NULL" + skipped + " ORDER BY o.priority, o.seq, o.id LIMIT ?",
        [now, *skip, *busy, limit])
