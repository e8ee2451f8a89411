"""The audit log for admins, as `/peer admin audit` shows it: newest first, in the
reader's zone, names for ids. Only admins reach it (re-checked on every request)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.audit.log import AuditService
from bot.core.context import AppContext
from bot.core.timeparse import local_text
from bot.dashboard.access import Viewer

ENTRIES = 100


@dataclass(frozen=True)
class AuditRow:
    when: str
    who: str
    action: str
    detail: str


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    generated: str


def audit_page(ctx: AppContext, viewer: Viewer) -> AuditPage:
    zone = ctx.members.zone_of(viewer.workspace_id, viewer.user_id)
    now = ctx.clock.now()
    rows = []
    for entry in AuditService(ctx.db, ctx.clock).recent(viewer.workspace_id, ENTRIES):
        who = ctx.members.get(viewer.workspace_id, entry.actor_id)
        rows.append(AuditRow(local_text(entry.at, zone, now=now),
                             who.label if who else entry.actor_id, entry.action, entry.detail))
    return AuditPage(tuple(rows), local_text(now, zone, now=now))
