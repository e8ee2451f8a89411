"""Sign-in links and browser sessions: one-time, short-lived, stored only as hashes.

A facilitator asks in chat (`/peer admin dashboard`) and gets a link that works once,
within ``LINK_MINUTES``; opening it and pressing "Sign in" exchanges it for a session
of ``SESSION_HOURS``. Only SHA-256 digests of the link token and of the session id are
stored, so the database (or a backup of it) signs nobody in. A link that is used,
expired, unknown or forged is simply not found: the caller shows one clear page and
reveals nothing about which it was.

What a session may see is decided again on every request (:meth:`Access.viewer`): the
groups named when the link was made, less any the person no longer facilitates (or
that no longer exist), and admin pages only while the person is still an admin. The
platform's own vouching (a Slack user group, a Discord role) cannot be asked again from
a browser, so the roles it vouched for when the link was asked for are kept with the
session and expire with it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from bot.core.members import MemberService
from bot.core.model import Actor, Role
from bot.core.ports import Clock
from bot.store.rows import columns, fetch_one

LINK_MINUTES = 10
SESSION_HOURS = 8


def new_secret() -> str:
    """256 random bits, URL-safe: a link token, a session id or a CSRF token."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison (a CSRF token against the session's)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _roles_text(roles: frozenset[Role]) -> str:
    return ",".join(str(int(r)) for r in sorted(roles))


def _roles(text: str) -> frozenset[Role]:
    return frozenset(Role(int(r)) for r in text.split(",") if r)


@dataclass(frozen=True)
class _Grant:
    """A stored link or session: who, what the platform vouched for, which groups."""

    workspace_id: str
    user_id: str
    platform_roles: str
    groups: str


@dataclass(frozen=True)
class _Session(_Grant):
    csrf: str
    expires_at: str


@dataclass(frozen=True)
class Viewer:
    """The person behind a live session, as re-checked for this request."""

    workspace_id: str
    user_id: str
    name: str
    is_admin: bool
    groups: tuple[tuple[int, str], ...]  # (id, name) they may see now
    csrf: str

    def may_see(self, group_id: int) -> bool:
        return any(gid == group_id for gid, _ in self.groups)


class Access:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def _now(self) -> str:
        return self.clock.now().isoformat()

    # ---- links --------------------------------------------------------------------

    def issue_link(self, actor: Actor, group_ids: list[int]) -> str:
        """A new one-time token for ``actor`` (the caller checked their role)."""
        token = new_secret()
        now = self.clock.now()
        self.db.execute(
            "INSERT INTO dashboard_links (token_hash, workspace_id, user_id, platform_roles,"
            " groups, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [digest(token), actor.workspace_id, actor.user_id,
             _roles_text(actor.platform_roles), json.dumps(sorted(group_ids)),
             now.isoformat(), (now + timedelta(minutes=LINK_MINUTES)).isoformat()])
        return token

    def _live_link(self, token: str) -> _Grant | None:
        if not token or len(token) > 100:
            return None
        return fetch_one(
            self.db, _Grant,
            f"SELECT {columns(_Grant)} FROM dashboard_links WHERE token_hash = ?"
            " AND used_at IS NULL AND expires_at > ?", [digest(token), self._now()])

    def link_usable(self, token: str) -> bool:
        """Would this token sign someone in now? Reading it does not use it up (a link
        preview that fetches the page cannot spend the link)."""
        grant = self._live_link(token)
        return grant is not None and self._viewer(grant, "") is not None

    def redeem(self, token: str) -> str | None:
        """Spend the link and open a session; the new session id, or None."""
        grant = self._live_link(token)
        if grant is None:
            return None
        spent = self.db.execute(
            "UPDATE dashboard_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
            [self._now(), digest(token)]).rowcount
        if spent != 1 or self._viewer(grant, "") is None:
            return None  # raced by another redeem, or no longer a facilitator or admin
        session_id = new_secret()
        now = self.clock.now()
        self.db.execute(
            "INSERT INTO dashboard_sessions (id_hash, workspace_id, user_id, platform_roles,"
            " groups, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [digest(session_id), grant.workspace_id, grant.user_id, grant.platform_roles,
             grant.groups, new_secret(), now.isoformat(),
             (now + timedelta(hours=SESSION_HOURS)).isoformat()])
        return session_id

    # ---- sessions -----------------------------------------------------------------

    def viewer(self, session_id: str) -> Viewer | None:
        """The live session's person and what they may see right now, or None."""
        if not session_id or len(session_id) > 100:
            return None
        found = fetch_one(
            self.db, _Session,
            f"SELECT {columns(_Session)} FROM dashboard_sessions WHERE id_hash = ?"
            " AND ended_at IS NULL AND expires_at > ?", [digest(session_id), self._now()])
        return None if found is None else self._viewer(found, found.csrf)

    def end(self, session_id: str) -> None:
        self.db.execute("UPDATE dashboard_sessions SET ended_at = ? WHERE id_hash = ?"
                        " AND ended_at IS NULL", [self._now(), digest(session_id)])

    def _viewer(self, grant: _Grant, csrf: str) -> Viewer | None:
        members = MemberService(self.db, self.clock)
        member = members.get(grant.workspace_id, grant.user_id)
        if member is None:  # erased, or never known
            return None
        actor = Actor(grant.workspace_id, grant.user_id,
                      platform_roles=_roles(grant.platform_roles))
        is_admin = member.role >= Role.ADMIN or Role.ADMIN in actor.platform_roles
        groups = []
        for group_id in json.loads(grant.groups):
            group = members.group(grant.workspace_id, int(group_id))
            if group is not None and members.facilitates(actor, group.id):
                groups.append((group.id, group.name))
        if not groups and not is_admin:
            return None
        return Viewer(grant.workspace_id, grant.user_id, member.label, is_admin,
                      tuple(sorted(groups, key=lambda g: g[1].lower())), csrf)

    # ---- retention, export, erasure ---------------------------------------------------

    def expire(self, now: datetime) -> dict[str, int]:
        """Links and sessions that can no longer be used are deleted (daily)."""
        when = now.isoformat()
        links = self.db.execute("DELETE FROM dashboard_links WHERE expires_at <= ?"
                                " OR used_at IS NOT NULL", [when]).rowcount
        sessions = self.db.execute("DELETE FROM dashboard_sessions WHERE expires_at <= ?"
                                   " OR ended_at IS NOT NULL", [when]).rowcount
        return {"dashboard_links": links, "dashboard_sessions": sessions}
