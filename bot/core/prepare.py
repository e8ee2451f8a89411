"""A slow command's work before its unit of work (``Router.command(..., prepare=)``).

Run on the slow lane outside any transaction, so what it computes (a large round's
matching) holds no write lock; its result is handed to the handler as
``request.prepared``, which checks inside its unit that it still applies.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.core.context import AppContext
from bot.core.model import Actor
from bot.core.router import ActionSpec, CommandSpec, Request, Router

log = logging.getLogger("peerbot.core")


def prepare(ctx: AppContext, router: Router, spec: CommandSpec | ActionSpec, actor: Actor,
            fields: dict[str, Any]) -> Any:
    """``spec.prepare`` for this request, or None when it cannot run (a new member, a
    refused role, no consent yet, any error): the handler then does all of the work
    inside its unit, as without a prepare step."""
    member = ctx.members.get(actor.workspace_id, actor.user_id)
    role = ctx.members.role_of(actor)
    if member is None or role < spec.role or (spec.needs_consent and not member.consent_at):
        return None
    request = Request(ctx=ctx, router=router, actor=actor, member=member, role=role, **fields)
    try:
        return spec.prepare(request)  # type: ignore[misc]
    except Exception as exc:
        log.info("preparing %s failed with %s; it runs in full",
                 " ".join(request.path), type(exc).__name__)
        return None
