"""`/peer admin audit [count] [action-prefix]`: the latest facilitator and admin actions.

Admins only (the router refuses everyone else before this runs). Times are shown in
the reading admin's own zone (their profile's, else the workspace default), like every
time a member sees. Registered by the audit topic, with the log's export and erasure.
"""

from __future__ import annotations

from bot.audit.log import AuditService
from bot.core.errors import UsageError
from bot.core.model import Context, Header, Reply, Role, Section, reply
from bot.core.router import Request, Router

DEFAULT_COUNT = 20
MAX_COUNT = 100


def show_audit(request: Request) -> Reply:
    count, prefix = DEFAULT_COUNT, ""
    for arg in request.args:
        if arg.isdigit():
            count = int(arg)
        elif prefix or len(arg) > 40 or not all(c.isalnum() or c in "._-" for c in arg):
            raise UsageError("Give a number of entries and/or an action prefix such as `pair`.")
        else:
            prefix = arg.lower()
    if not 1 <= count <= MAX_COUNT:
        raise UsageError(f"Ask for between 1 and {MAX_COUNT} entries.")
    entries = AuditService(request.ctx.db, request.ctx.clock).recent(
        request.workspace_id, count, action_prefix=prefix
    )
    if not entries:
        return reply(Header("Audit log"), Section("No facilitator or admin actions recorded yet."))
    members = request.ctx.members
    lines = []
    for entry in entries:
        who = members.get(request.workspace_id, entry.actor_id)
        name = who.label if who else entry.actor_id
        detail = f": {entry.detail}" if entry.detail else ""
        lines.append(f"• {request.local_time(entry.at)}, {name}, `{entry.action}`{detail}")
    return reply(
        Header("Audit log"),
        Section("\n".join(lines)),
        Context(f"Newest first; {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}."),
    )


def register(router: Router) -> None:
    router.command(
        "admin audit",
        show_audit,
        role=Role.ADMIN,
        summary="who ran which round, who changed which schedule or role",
        usage="admin audit [count] [action prefix]",
    )
