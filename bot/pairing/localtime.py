"""Times as the reader reads them: every instant pairing shows goes through here.

One rule for the whole topic: an instant is shown with :func:`bot.core.timeparse.local_text`
in the zone of the person reading it (their own setting, else the workspace default),
never in UTC unless that is their zone.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.context import AppContext
from bot.core.timeparse import local_text


def zone_of(ctx: AppContext, workspace_id: str, user_id: str) -> str:
    """The member's own time zone (the workspace's default until they set one)."""
    member = ctx.members.get(workspace_id, user_id)
    if member is None:
        return ctx.members.workspace_defaults(workspace_id)[0]
    return ctx.members.local_timezone(member)


def when(ctx: AppContext, at: datetime, tz: str) -> str:
    """An instant as the reader in zone ``tz`` reads it (``Mon 05 Jan 10:00 EST``)."""
    return local_text(at, tz, now=ctx.clock.now())
