"""Versions of a group's agreement, who agreed to which, and the gate that follows.

The gate itself is the core's: ``memberships.hold`` (bot.core.members). A new member
starts on hold; agreeing releases it. A new version asks everyone again; whoever took
part keeps taking part until ``reagree_days`` have passed without agreeing, and is then
paused in that group (hold ``lapsed``), never removed. Agreeing later lifts the pause.
Every write joins the caller's unit of work; the messages go through the outbox.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from bot.agreements import messages, texts
from bot.agreements.model import Version
from bot.core.context import AppContext
from bot.core.members import HOLD_AGREEMENT, HOLD_LAPSED, Group
from bot.core.model import Target
from bot.store.rows import columns, fetch_all, fetch_one

log = logging.getLogger("peerbot.agreements")
DEFAULT_SOURCE = "default"
CHAT_SOURCE = "chat"


VERSION_COLUMNS = columns(Version)


class Agreed(StrEnum):
    """What pressing "I agree" did; the handler words each one."""

    AGREED = "agreed"  # recorded, and the member now takes part
    ALREADY = "already"  # they had agreed to this version before
    STALE = "stale"  # a newer version exists: show that one instead
    NOT_MEMBER = "not_member"


def _file_source(path: str, body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    return f"file:{Path(path).name}:{digest}"


class AgreementService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.db = ctx.db
        self.members = ctx.members

    def _now(self) -> datetime:
        return self.ctx.clock.now()

    # ---- versions -------------------------------------------------------------------

    def latest(self, workspace_id: str, group_id: int) -> Version | None:
        return fetch_one(
            self.db, Version,
            f"SELECT {VERSION_COLUMNS} FROM agreement_versions WHERE workspace_id = ?"
            " AND group_id = ? ORDER BY version DESC LIMIT 1", [workspace_id, group_id])

    def version(self, workspace_id: str, group_id: int, number: int) -> Version | None:
        return fetch_one(
            self.db, Version,
            f"SELECT {VERSION_COLUMNS} FROM agreement_versions WHERE workspace_id = ?"
            " AND group_id = ? AND version = ?", [workspace_id, group_id, number])

    def current(self, group: Group) -> Version:
        """The group's agreement now; the first read stores version 1 (the configured
        file, else the default), and a changed ``[groups.agreement] file`` becomes a new
        version (whose asks the job sends)."""
        latest = self.latest(group.workspace_id, group.id)
        path = self.ctx.settings.group(group.name).agreement.file
        body = self._file_body(path) if path else None
        if body is not None:
            source = _file_source(path, body)
            known = self.db.execute(
                "SELECT 1 FROM agreement_versions WHERE workspace_id = ? AND group_id = ?"
                " AND source = ?", [group.workspace_id, group.id, source]).fetchone()
            if latest is None or (known is None and body != latest.body):
                return self._insert(group, body, source, "")
        if latest is None:
            return self._insert(group, texts.normalise(texts.DEFAULT), DEFAULT_SOURCE, "")
        return latest

    def _file_body(self, path: str) -> str | None:
        try:
            body = texts.normalise(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            log.error("agreement file unreadable (%s); keeping the stored version",
                      type(exc).__name__)
            return None
        return body or None

    def _insert(self, group: Group, body: str, source: str, set_by: str) -> Version:
        latest = self.latest(group.workspace_id, group.id)
        number = latest.version + 1 if latest else 1
        self.db.execute(
            "INSERT INTO agreement_versions (workspace_id, group_id, version, body, source,"
            " set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [group.workspace_id, group.id, number, body, source, set_by,
             self._now().isoformat()])
        version = self.version(group.workspace_id, group.id, number)
        assert version is not None
        return version

    def replace(self, group: Group, body: str, set_by: str) -> tuple[Version, Version]:
        """Store a new version from chat and ask everyone; (previous, new).

        The caller has checked the text (length, not empty, not unchanged).
        """
        previous = self.current(group)
        new = self._insert(group, body, CHAT_SOURCE, set_by)
        if set_by in self.members.holds(group.workspace_id, group.id):
            self.agree(group, set_by, new.version)  # whoever wrote it agrees to it
        self.ask_everyone(group, new, previous)
        return previous, new

    # ---- asking ---------------------------------------------------------------------

    def ask_everyone(self, group: Group, version: Version, previous: Version | None) -> int:
        """Queue the card for every consenting member who has not agreed to ``version``
        (nothing is sent to someone who has not agreed to peerbot's consent card); those
        who take part now get ``reagree_days`` before they are paused. Idempotent."""
        days = self.ctx.settings.group(group.name).agreement.reagree_days
        now = self._now()
        asked = 0
        unasked = self.db.execute(
            "SELECT m.user_id, m.hold FROM memberships m JOIN members p"
            " ON p.workspace_id = m.workspace_id AND p.user_id = m.user_id"
            " WHERE m.workspace_id = ? AND m.group_id = ? AND p.consent_at IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM agreement_acceptances c"
            " WHERE c.workspace_id = m.workspace_id AND c.group_id = m.group_id"
            " AND c.user_id = m.user_id AND c.version = ?) AND NOT EXISTS (SELECT 1"
            " FROM agreement_asks a WHERE a.workspace_id = m.workspace_id"
            " AND a.group_id = m.group_id AND a.user_id = m.user_id AND a.version = ?)"
            " ORDER BY m.user_id",
            [group.workspace_id, group.id, version.version, version.version]).fetchall()
        for user_id, hold in unasked:
            respond_by = now + timedelta(days=days) if hold is None else None
            if self._record_ask(group, user_id, version.version, respond_by):
                body = messages.ask_card(self.ctx, group, version, previous, respond_by, user_id)
                self.ctx.outbox.enqueue(
                    group.workspace_id, f"agreement:{group.id}:v{version.version}",
                    Target(user_id=user_id), body, kind="agreement.ask")
                asked += 1
        return asked

    def _record_ask(self, group: Group, user_id: str, number: int,
                    respond_by: datetime | None) -> bool:
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO agreement_asks (workspace_id, group_id, user_id, version,"
            " asked_at, respond_by) VALUES (?, ?, ?, ?, ?, ?)",
            [group.workspace_id, group.id, user_id, number, self._now().isoformat(),
             respond_by.isoformat() if respond_by else None])
        return cursor.rowcount == 1

    def mark_shown(self, group: Group, user_id: str, version: Version) -> None:
        """The card was shown in a reply (joining): the job need not send it again."""
        self._record_ask(group, user_id, version.version, None)

    # ---- agreeing -------------------------------------------------------------------

    def agree(self, group: Group, user_id: str, number: int) -> Agreed:
        if user_id not in self.members.holds(group.workspace_id, group.id):
            return Agreed.NOT_MEMBER
        current = self.current(group)
        if number != current.version:
            return Agreed.STALE
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO agreement_acceptances (workspace_id, group_id, user_id,"
            " version, agreed_at) VALUES (?, ?, ?, ?, ?)",
            [group.workspace_id, group.id, user_id, number, self._now().isoformat()])
        released = self.members.set_hold(group.workspace_id, group.id, user_id, None)
        return Agreed.AGREED if cursor.rowcount == 1 or released else Agreed.ALREADY

    def agreed_version(self, workspace_id: str, group_id: int, user_id: str) -> int | None:
        row = self.db.execute(
            "SELECT max(version) FROM agreement_acceptances WHERE workspace_id = ?"
            " AND group_id = ? AND user_id = ?", [workspace_id, group_id, user_id]).fetchone()
        return row[0] if row and row[0] is not None else None

    def agreed_at(self, workspace_id: str, group_id: int, user_id: str,
                  number: int) -> datetime | None:
        row = self.db.execute(
            "SELECT agreed_at FROM agreement_acceptances WHERE workspace_id = ?"
            " AND group_id = ? AND user_id = ? AND version = ?",
            [workspace_id, group_id, user_id, number]).fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    # ---- the pause after a new version ---------------------------------------------------

    def lapse_due(self, now: datetime) -> int:
        """Pause, in their group, members whose time to re-agree to the current version
        ended; tell each kindly. Never removes anyone. Idempotent."""
        rows = fetch_all(
            self.db, _Due,
            "SELECT a.workspace_id, a.group_id, a.user_id, a.version FROM agreement_asks a"
            " WHERE a.lapsed_at IS NULL AND a.respond_by IS NOT NULL AND a.respond_by <= ?"
            " AND NOT EXISTS (SELECT 1 FROM agreement_acceptances c WHERE"
            " c.workspace_id = a.workspace_id AND c.group_id = a.group_id"
            " AND c.user_id = a.user_id AND c.version = a.version)"
            " ORDER BY a.workspace_id, a.group_id, a.user_id", [now.isoformat()])
        paused = 0
        for due in rows:
            group = self.members.group(due.workspace_id, due.group_id)
            self.db.execute(
                "UPDATE agreement_asks SET lapsed_at = ? WHERE workspace_id = ? AND group_id = ?"
                " AND user_id = ? AND version = ?",
                [now.isoformat(), due.workspace_id, due.group_id, due.user_id, due.version])
            if group is None or self.current(group).version != due.version:
                continue  # a newer version asked again, with its own time
            if self.members.set_hold(due.workspace_id, due.group_id, due.user_id, HOLD_LAPSED):
                self.ctx.outbox.enqueue(
                    due.workspace_id, f"agreement:{group.id}:v{due.version}:paused",
                    Target(user_id=due.user_id),
                    messages.paused_card(self.ctx, group, due.version), kind="agreement.paused")
                paused += 1
        return paused

    def next_lapse(self) -> datetime | None:
        row = self.db.execute(
            "SELECT min(respond_by) FROM agreement_asks WHERE lapsed_at IS NULL"
            " AND respond_by IS NOT NULL").fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    # ---- what facilitators see ----------------------------------------------------------

    def status(self, group: Group) -> Status:
        version = self.current(group)
        holds = self.members.holds(group.workspace_id, group.id)
        agreed = {r[0] for r in self.db.execute(
            "SELECT user_id FROM agreement_acceptances WHERE workspace_id = ? AND group_id = ?"
            " AND version = ?", [group.workspace_id, group.id, version.version]).fetchall()}
        return Status(
            version=version,
            members=len(holds),
            agreed=len(agreed & set(holds)),
            paused=sorted(u for u, h in holds.items() if h == HOLD_LAPSED),
            waiting_first=sum(1 for h in holds.values() if h == HOLD_AGREEMENT),
        )


@dataclass(frozen=True)
class _Due:
    workspace_id: str
    group_id: int
    user_id: str
    version: int


@dataclass(frozen=True)
class Status:
    """Counts for the facilitator; names only of members paused for not re-agreeing
    (whom a facilitator may need to follow up with), never of anyone still deciding."""

    version: Version
    members: int
    agreed: int
    paused: list[str]
    waiting_first: int
