"""Members, workspaces and peer groups: who is here, where they are, what role they hold.

Every method takes the workspace id explicitly; there is no query that could return a
row from another workspace.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

import sqlite_utils

from bot.core.errors import AmbiguousMember, GroupChoiceError
from bot.core.model import Actor, Role, mention
from bot.core.ports import Clock
from bot.store.rows import columns, convert, fetch_all, fetch_one

MENTION = re.compile(r"^<@!?([A-Za-z0-9_.-]+)(?:\|[^>]*)?>$")
# memberships.hold: why a member takes no part yet (NULL: they do); see docs/community.md
HOLD_AGREEMENT, HOLD_LAPSED = "agreement", "lapsed"  # not agreed yet; paused: re-agree


@dataclass(frozen=True)
class Member:
    workspace_id: str
    user_id: str
    display_name: str
    timezone: str | None
    country: str | None
    specialty: str | None
    role: Role = field(metadata=convert(Role))
    consent_at: str | None
    undeliverable_reason: str | None
    card_nonce: str = ""

    @property
    def label(self) -> str:
        return self.display_name or self.user_id


@dataclass(frozen=True)
class Group:
    id: int
    workspace_id: str
    name: str
    channel_id: str


MEMBER_COLUMNS = columns(Member)
GROUP_COLUMNS = columns(Group)


class MemberService:
    """The one writer of the workspaces, members, peer_groups and memberships tables."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def _now(self) -> str:
        return self.clock.now().isoformat()

    # ---- workspaces ---------------------------------------------------------------

    def ensure_workspace(
        self, workspace_id: str, platform: str, *, timezone: str = "UTC", country: str = "US"
    ) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO workspaces (id, platform, default_timezone, default_country,"
            " created_at) VALUES (?, ?, ?, ?, ?)",
            [workspace_id, platform, timezone, country, self._now()],
        )

    def workspace_defaults(self, workspace_id: str) -> tuple[str, str]:
        row = self.db.execute(
            "SELECT default_timezone, default_country FROM workspaces WHERE id = ?",
            [workspace_id],
        ).fetchone()
        return (row[0], row[1]) if row else ("UTC", "US")

    def disable_workspace(self, workspace_id: str, reason: str) -> None:
        """Stop sending to a workspace whose credentials the platform rejected."""
        self.db.execute("UPDATE workspaces SET disabled_reason = ? WHERE id = ?",
                        [reason, workspace_id])

    def enable_all_workspaces(self) -> None:
        """At start-up: a restart retries every workspace's (possibly fixed) token."""
        self.db.execute(
            "UPDATE workspaces SET disabled_reason = NULL WHERE disabled_reason IS NOT NULL"
        )

    # ---- members ------------------------------------------------------------------

    def ensure_member(self, actor: Actor) -> Member:
        """Record the member on first contact: the platform id only, until consent.

        The display name the platform gives is stored only once the member has agreed
        to the consent card (then it is refreshed on every contact); before that the
        row holds nothing but the id, so ``Member.label`` falls back to the id.
        """
        self.db.execute(
            "INSERT INTO members (workspace_id, user_id, display_name, created_at, card_nonce)"
            " VALUES (?, ?, '', ?, ?) ON CONFLICT (workspace_id, user_id) DO UPDATE SET"
            " display_name = ?"
            # Write only when a consented member's name really changed: this runs on
            # every command and click, and each write is a durable commit.
            " WHERE ? != '' AND members.consent_at IS NOT NULL AND members.display_name != ?",
            [actor.workspace_id, actor.user_id, self._now(), secrets.token_hex(6),
             actor.display_name or "",
             actor.display_name or "", actor.display_name or ""],
        )
        member = self.get(actor.workspace_id, actor.user_id)
        assert member is not None
        return member

    def get(self, workspace_id: str, user_id: str) -> Member | None:
        return fetch_one(
            self.db, Member,
            f"SELECT {MEMBER_COLUMNS} FROM members WHERE workspace_id = ? AND user_id = ?",
            [workspace_id, user_id],
        )

    def all(self, workspace_id: str) -> list[Member]:
        return fetch_all(
            self.db, Member,
            f"SELECT {MEMBER_COLUMNS} FROM members WHERE workspace_id = ? ORDER BY user_id",
            [workspace_id],
        )

    def update_profile(self, workspace_id: str, user_id: str, **fields: str | None) -> None:
        allowed = {"timezone", "country", "specialty"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"not profile fields: {sorted(unknown)}")
        for name, value in fields.items():
            self.db.execute(
                f"UPDATE members SET {name} = ? WHERE workspace_id = ? AND user_id = ?",
                [value, workspace_id, user_id],
            )

    def set_role(self, workspace_id: str, user_id: str, role: Role) -> None:
        self.db.execute(
            "UPDATE members SET role = ? WHERE workspace_id = ? AND user_id = ?",
            [int(role), workspace_id, user_id],
        )

    def mark_undeliverable(self, workspace_id: str, user_id: str, reason: str | None) -> None:
        self.db.execute(
            "UPDATE members SET undeliverable_reason = ? WHERE workspace_id = ? AND user_id = ?",
            [reason, workspace_id, user_id],
        )

    def card_nonce(self, workspace_id: str, user_id: str) -> str:
        """The value printed on this member row's consent card (given one if it predates
        nonces). A new row (after an erasure) has a new one, so old cards stop working."""
        member = self.get(workspace_id, user_id)
        if member is None:
            return ""
        if member.card_nonce:
            return member.card_nonce
        nonce = secrets.token_hex(6)
        self.db.execute(
            "UPDATE members SET card_nonce = ? WHERE workspace_id = ? AND user_id = ?",
            [nonce, workspace_id, user_id],
        )
        return nonce

    def record_consent(self, actor: Actor) -> bool:
        """Consent now, keeping the display name the platform gives; False if already given.

        The first time is kept: a second "Agree" changes nothing.
        """
        cursor = self.db.execute(
            "UPDATE members SET consent_at = ? WHERE workspace_id = ? AND user_id = ?"
            " AND consent_at IS NULL",
            [self._now(), actor.workspace_id, actor.user_id],
        )
        if actor.display_name:
            self.db.execute(
                "UPDATE members SET display_name = ? WHERE workspace_id = ? AND user_id = ?",
                [actor.display_name, actor.workspace_id, actor.user_id],
            )
        return cursor.rowcount == 1

    def forget(self, workspace_id: str, user_id: str) -> dict[str, int]:
        """Delete the member row and their memberships (erasure); rows removed per table."""
        memberships = self.db.execute(
            "DELETE FROM memberships WHERE workspace_id = ? AND user_id = ?",
            [workspace_id, user_id],
        ).rowcount
        member = self.db.execute(
            "DELETE FROM members WHERE workspace_id = ? AND user_id = ?", [workspace_id, user_id]
        ).rowcount
        return {"memberships": memberships, "member": member}

    def local_timezone(self, member: Member) -> str:
        return member.timezone or self.workspace_defaults(member.workspace_id)[0]

    def zone_of(self, workspace_id: str, user_id: str) -> str:
        """Anyone's time zone by id: their own, else the workspace's default."""
        member = self.get(workspace_id, user_id)
        return self.local_timezone(member) if member else self.workspace_defaults(workspace_id)[0]

    def local_country(self, member: Member) -> str:
        return member.country or self.workspace_defaults(member.workspace_id)[1]

    def role_of(self, actor: Actor) -> Role:
        """The highest of: what the platform vouches for, the stored role, group duty."""
        member = self.get(actor.workspace_id, actor.user_id)
        stored = member.role if member else Role.MEMBER
        facilitates = self.db.execute(
            "SELECT 1 FROM memberships WHERE workspace_id = ? AND user_id = ? AND is_facilitator",
            [actor.workspace_id, actor.user_id],
        ).fetchone()
        roles = {stored, *actor.platform_roles}
        if facilitates:
            roles.add(Role.FACILITATOR)
        return max(roles)

    def facilitates(self, actor: Actor, group_id: int) -> bool:
        """May this person run facilitator commands for this group?

        Admins may everywhere; a facilitator role the platform vouches for (a Slack user
        group, a Discord role) covers every group of the workspace; otherwise the person
        must be a facilitator of this very group.
        """
        if Role.FACILITATOR in actor.platform_roles or Role.ADMIN in actor.platform_roles:
            return True
        member = self.get(actor.workspace_id, actor.user_id)
        if member is not None and member.role >= Role.ADMIN:
            return True
        return actor.user_id in self.facilitators(actor.workspace_id, group_id)

    def resolve_mention(self, workspace_id: str, token: str) -> Member | None:
        """``<@U123>``, ``<@U123|name>``, ``@name`` or a bare name -> a known member.

        An @mention names exactly one platform id. A bare name (or ``@name`` typed by
        hand) is looked up by id and display name; when it fits two or more members it
        is refused with the list to choose from (:class:`AmbiguousMember`), never
        resolved to one of them: display names are chosen by their owners, so anyone can
        take another's.
        """
        match = MENTION.match(token.strip())
        if match:
            return self.get(workspace_id, match.group(1))
        name = token.strip().lstrip("@").lower()
        if not name:
            return None
        found = [m for m in self.all(workspace_id)
                 if name in (m.user_id.lower(), m.display_name.lower())]
        if len(found) > 1:
            choices = ", ".join(mention(m.user_id) for m in found[:10])
            more = f" and {len(found) - 10} more" if len(found) > 10 else ""
            raise AmbiguousMember(
                f"{len(found)} members go by “{token.strip()[:40]}”: {choices}{more}. "
                "Name the one you mean with an @mention. Nothing was changed."
            )
        return found[0] if found else None

    # ---- groups -------------------------------------------------------------------

    def ensure_group(self, workspace_id: str, name: str, channel_id: str = "") -> Group:
        self.db.execute(
            "INSERT INTO peer_groups (workspace_id, name, channel_id, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (workspace_id, name) DO UPDATE SET"
            " channel_id = CASE WHEN excluded.channel_id != '' THEN excluded.channel_id"
            " ELSE peer_groups.channel_id END",
            [workspace_id, name, channel_id, self._now()],
        )
        group = self.group_by_name(workspace_id, name)
        assert group is not None
        return group

    def group_by_name(self, workspace_id: str, name: str) -> Group | None:
        return fetch_one(
            self.db, Group,
            f"SELECT {GROUP_COLUMNS} FROM peer_groups WHERE workspace_id = ?"
            " AND lower(name) = lower(?)",
            [workspace_id, name],
        )

    def group(self, workspace_id: str, group_id: int) -> Group | None:
        return fetch_one(
            self.db, Group,
            f"SELECT {GROUP_COLUMNS} FROM peer_groups WHERE workspace_id = ? AND id = ?",
            [workspace_id, group_id],
        )

    def groups(self, workspace_id: str) -> list[Group]:
        return fetch_all(
            self.db, Group,
            f"SELECT {GROUP_COLUMNS} FROM peer_groups WHERE workspace_id = ? ORDER BY id",
            [workspace_id],
        )

    def groups_named(self, name: str) -> list[Group]:
        """Every enabled workspace's group of this (configured) name, for scheduled jobs."""
        return fetch_all(
            self.db, Group,
            f"SELECT {columns(Group, prefix='g.')} FROM peer_groups g"
            " JOIN workspaces w ON w.id = g.workspace_id"
            " WHERE lower(g.name) = lower(?) AND w.disabled_reason IS NULL ORDER BY g.id",
            [name],
        )

    def join_group(self, workspace_id: str, group_id: int, user_id: str, *,
                   facilitator: bool = False) -> None:
        """Join (or make a facilitator); a new membership starts on HOLD_AGREEMENT."""
        self.db.execute(
            "INSERT INTO memberships (workspace_id, group_id, user_id, is_facilitator,"
            " joined_at, hold) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (group_id, user_id)"
            " DO UPDATE SET is_facilitator = max(is_facilitator, excluded.is_facilitator)",
            [workspace_id, group_id, user_id, int(facilitator), self._now(), HOLD_AGREEMENT],
        )

    def set_hold(self, workspace_id: str, group_id: int, user_id: str, hold: str | None) -> bool:
        return self.db.execute(  # a member's part in a group: on hold (a reason) or not
            "UPDATE memberships SET hold = ? WHERE workspace_id = ? AND group_id = ?"
            " AND user_id = ? AND hold IS NOT ?", [hold, workspace_id, group_id, user_id, hold],
        ).rowcount == 1

    def holds(self, workspace_id: str, group_id: int) -> dict[str, str | None]:
        """Every member of the group -> their hold (None when they take part)."""
        return dict(self.db.execute("SELECT user_id, hold FROM memberships WHERE workspace_id"
                                    " = ? AND group_id = ?", [workspace_id, group_id]).fetchall())

    def leave_group(self, workspace_id: str, group_id: int, user_id: str) -> bool:
        cursor = self.db.execute(
            "DELETE FROM memberships WHERE workspace_id = ? AND group_id = ? AND user_id = ?",
            [workspace_id, group_id, user_id],
        )
        return cursor.rowcount > 0

    def set_facilitator(self, workspace_id: str, group_id: int, user_id: str,
                        facilitating: bool) -> None:
        """Make a member of the group a facilitator of it, or no longer one."""
        self.join_group(workspace_id, group_id, user_id)
        self.db.execute(
            "UPDATE memberships SET is_facilitator = ? WHERE workspace_id = ? AND group_id = ?"
            " AND user_id = ?",
            [int(facilitating), workspace_id, group_id, user_id],
        )

    def groups_of(self, workspace_id: str, user_id: str, *, taking_part: bool = False
                  ) -> list[Group]:  # taking_part: not those they are on hold in
        held = " AND m.hold IS NULL" if taking_part else ""
        return fetch_all(self.db, Group, f"SELECT {columns(Group, prefix='g.')} FROM peer_groups g"
                         " JOIN memberships m ON m.group_id = g.id WHERE m.workspace_id = ?"
                         f" AND m.user_id = ?{held} ORDER BY g.id", [workspace_id, user_id])

    def group_members(self, workspace_id: str, group_id: int, *, taking_part: bool = False
                      ) -> list[Member]:  # taking_part: for anything scheduled (no hold)
        held = " AND s.hold IS NULL" if taking_part else ""
        return fetch_all(
            self.db, Member,
            f"SELECT {columns(Member, prefix='m.')} FROM members m"
            " JOIN memberships s ON s.workspace_id = m.workspace_id AND s.user_id = m.user_id"
            f" WHERE s.workspace_id = ? AND s.group_id = ?{held} ORDER BY m.user_id",
            [workspace_id, group_id],
        )

    def facilitators(self, workspace_id: str, group_id: int) -> list[str]:
        rows = self.db.execute(
            "SELECT user_id FROM memberships WHERE workspace_id = ? AND group_id = ?"
            " AND is_facilitator ORDER BY user_id",
            [workspace_id, group_id],
        ).fetchall()
        return [r[0] for r in rows]

    def resolve_group(
        self, workspace_id: str, user_id: str, channel_id: str | None, name: str | None = None
    ) -> Group:
        """The group a command is about: named, else the channel's, else the only one."""
        if name:
            group = self.group_by_name(workspace_id, name)
            if group is None:
                raise GroupChoiceError(f"There is no peer group called “{name}”.")
            return group
        all_groups = self.groups(workspace_id)
        if channel_id:
            for group in all_groups:
                if group.channel_id and group.channel_id == channel_id:
                    return group
        mine = self.groups_of(workspace_id, user_id)
        if len(mine) == 1:
            return mine[0]
        if len(all_groups) == 1:
            return all_groups[0]
        if not all_groups:
            raise GroupChoiceError("This workspace has no peer group yet.")
        names = " or ".join(f"`{group_token(g.name)}`" for g in (mine or all_groups))
        raise GroupChoiceError(f"Which group? Add it to the command: {names}.")


def group_token(name: str) -> str:
    """How to name a group in a command: ``group:Circle``, ``group:"Night Shift"``."""
    return f'group:"{name}"' if any(c.isspace() for c in name) else f"group:{name}"
