"""`/peer help`: what you can do here, for your role only."""

from __future__ import annotations

from bot.core.model import Context, Header, Reply, Role, Section, reply
from bot.core.router import ROLE_NAMES, Request, Router

INTRO = (
    "peerbot keeps your peer-support circle connected: short wellbeing check-ins, "
    "debrief pairings with colleagues, and crisis-line numbers whenever you ask."
)


def show_help(request: Request) -> Reply:
    router = request.router
    sections: list = [Header("peerbot help"), Section(INTRO)]
    for role in (Role.MEMBER, Role.FACILITATOR, Role.ADMIN):
        if role > request.role:
            continue
        specs = [s for s in router.commands(up_to=request.role) if s.role == role and s.path]
        if not specs:
            continue
        lines = [f"`{request.ctx.slash(s.usage)}`: {s.summary}" for s in specs]
        title = "For everyone" if role == Role.MEMBER else f"For {ROLE_NAMES[role]}s"
        sections.append(Section(f"*{title}*\n" + "\n".join(lines)))
    sections.append(
        Context(
            "peerbot is not a crisis service and is not monitored. If you are in danger, "
            f"call your local emergency number; `{request.ctx.slash('crisis')}` lists lines."
        )
    )
    return reply(*sections)


def register(router: Router) -> None:
    router.command(
        "help", show_help, summary="this list", usage="help", needs_consent=False
    )
