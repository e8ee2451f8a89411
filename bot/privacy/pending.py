"""The command a consent card interrupted, kept so that "Agree" can simply run it.

Before this, "Agree" told the member to type the command again and carried a shortened
phrase in the button (the group name of ``group join Night shift`` was dropped). Now
the words stay server-side and the button carries only a random token:

- bound to the member: the token is looked up together with the workspace and user id
  of whoever pressed, so someone else's token (seen in a screenshot, or guessed) finds
  nothing;
- bound to the card: the card's nonce is stored with it, so after an erasure (a new
  member row, a new nonce) an old card runs nothing;
- single use: taking it deletes it, in the same unit of work that runs the command, so
  a double click or a replayed request runs it once;
- short-lived: it expires after :data:`KEEP_FOR`; expired rows are deleted whenever a
  card is shown, by the daily retention job, and with the member row on erasure
  (foreign key) or by "Not now".

It is the one thing stored before consent besides the platform id, which the consent
card says (the words are those the person just typed to peerbot, for a few minutes).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.core.ports import Clock
from bot.store.rows import fetch_dicts, fetch_one

KEEP_FOR = timedelta(minutes=30)
MAX_PER_MEMBER = 3  # the newest cards; an older one's Agree still consents, runs nothing
MAX_TEXT = 2000  # a slash command's text is at most 4000 bytes on Slack, far less in use


@dataclass(frozen=True)
class Pending:
    """A stored command, as the member typed it (``command`` without its slash)."""

    token: str
    workspace_id: str
    user_id: str
    nonce: str
    command: str
    text: str
    channel_id: str | None
    is_direct: int
    created_at: str
    expires_at: str

    def expired(self, now: datetime) -> bool:
        return datetime.fromisoformat(self.expires_at) <= now


class PendingCommands:
    """Stores and takes interrupted commands; never commits (the caller's unit does)."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def keep(self, workspace_id: str, user_id: str, nonce: str, command: str, text: str,
             channel_id: str | None, is_direct: bool) -> str:
        """Store the command; return the token the Agree button carries."""
        now = self.clock.now()
        self.db.execute("DELETE FROM consent_pending WHERE expires_at <= ?", [now.isoformat()])
        token = secrets.token_urlsafe(12)  # 96 bits; no '|' or ':' (action id separators)
        self.db.execute(
            "INSERT INTO consent_pending (token, workspace_id, user_id, nonce, command, text,"
            " channel_id, is_direct, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [token, workspace_id, user_id, nonce, command, text[:MAX_TEXT], channel_id,
             int(is_direct), now.isoformat(), (now + KEEP_FOR).isoformat()],
        )
        self.db.execute(
            "DELETE FROM consent_pending WHERE workspace_id = ? AND user_id = ? AND token NOT IN"
            " (SELECT token FROM consent_pending WHERE workspace_id = ? AND user_id = ?"
            "  ORDER BY created_at DESC, rowid DESC LIMIT ?)",
            [workspace_id, user_id, workspace_id, user_id, MAX_PER_MEMBER],
        )
        return token

    def take(self, workspace_id: str, user_id: str, token: str) -> Pending | None:
        """The member's own stored command with this token, removed as it is read (so
        it runs at most once); None when there is none for *this* member."""
        if not token:
            return None
        found = fetch_one(
            self.db, Pending,
            "SELECT token, workspace_id, user_id, nonce, command, text, channel_id, is_direct,"
            " created_at, expires_at FROM consent_pending"
            " WHERE token = ? AND workspace_id = ? AND user_id = ?",
            [token, workspace_id, user_id],
        )
        if found is not None:
            self.db.execute("DELETE FROM consent_pending WHERE token = ?", [token])
        return found

    def drop(self, workspace_id: str, user_id: str) -> int:
        """Forget every stored command of this member ("Not now")."""
        return self.db.execute(
            "DELETE FROM consent_pending WHERE workspace_id = ? AND user_id = ?",
            [workspace_id, user_id],
        ).rowcount


def export_pending(db: sqlite_utils.Database, workspace_id: str,
                   user_id: str) -> dict[str, Any]:
    rows = fetch_dicts(
        db, "SELECT command, text, created_at, expires_at FROM consent_pending"
        " WHERE workspace_id = ? AND user_id = ? ORDER BY created_at", [workspace_id, user_id])
    return {"commands_waiting_for_consent": rows}


def erase_pending(db: sqlite_utils.Database, workspace_id: str, user_id: str) -> int:
    return db.execute("DELETE FROM consent_pending WHERE workspace_id = ? AND user_id = ?",
                      [workspace_id, user_id]).rowcount


def expire_pending(ctx: Any, cutoff: datetime) -> dict[str, int]:
    """Every expired command, whatever the retention cutoff: they live minutes, not months."""
    removed = ctx.db.execute("DELETE FROM consent_pending WHERE expires_at <= ?",
                             [ctx.clock.now().isoformat()]).rowcount
    return {"expired_commands": removed}
