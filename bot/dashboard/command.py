"""`/peer admin dashboard`: a private, one-time sign-in link to the web dashboard.

Facilitators get the groups they facilitate, admins every group and the audit log.
The reply is private (every reply is); the link works once, within ten minutes, and is
recorded in the audit log without the token.
"""

from __future__ import annotations

from bot.audit.log import record
from bot.core.errors import UsageError, UserError
from bot.core.model import Context, Header, Link, Reply, Role, Section, reply
from bot.core.router import Request
from bot.dashboard.access import LINK_MINUTES, SESSION_HOURS, Access

OFF = ("The web dashboard is not switched on for this bot. The operator turns it on with "
       "`[web] enabled = true` and its public `base_url` (see docs/dashboard.md).")


def dashboard_link(request: Request) -> Reply:
    if request.args:
        raise UsageError("`admin dashboard` takes no words after it.")
    web = request.ctx.settings.web
    if not web.enabled:
        raise UserError(OFF)
    members = request.ctx.members
    groups = [g for g in members.groups(request.workspace_id)
              if members.facilitates(request.actor, g.id)]
    is_admin = request.role >= Role.ADMIN
    if not groups and not is_admin:
        raise UserError("You don't facilitate a group yet, so the dashboard would be empty.")
    token = Access(request.ctx.db, request.ctx.clock).issue_link(
        request.actor, [g.id for g in groups])
    names = ", ".join(f"*{g.name}*" for g in groups) or "no group yet"
    record(request.ctx, request, "dashboard.link",
           "groups: " + ", ".join(g.name for g in groups) + (" + audit" if is_admin else ""))
    return reply(
        Header("Your dashboard link"),
        Section(f"The group picture of {names}" + (" and the audit log" if is_admin else "")
                + f". The link works once, within {LINK_MINUTES} minutes: don't pass it on, "
                "whoever opens it first is signed in as you."),
        Link("Open the dashboard", f"{web.root}/signin/{token}"),
        Context(f"You stay signed in for {SESSION_HOURS} hours or until you sign out. "
                "Only anonymous group figures are shown, under the same rules as the pulse."))
