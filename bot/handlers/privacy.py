"""`/peer privacy`: what peerbot stores, why, and who can see it, in plain words."""

from __future__ import annotations

from bot.model import Context, Header, Reply, Section, reply
from bot.router import Request, Router

STORED = (
    "*What peerbot stores*\n"
    "• Your platform id and display name, time zone, country and (if you set it) specialty: "
    "to send things at your local time and show the right crisis lines.\n"
    "• Your check-in answers: only so *you* can see your own trend. Nobody else ever sees "
    "an individual answer, facilitators included.\n"
    "• Whether you opted in to pairing, your past partners and your private conflict list: "
    "to avoid repeats and never pair you with someone you declared.\n"
    "• Crisis requests are never stored or logged."
)
WHO = (
    "*Who sees what*\n"
    "• You: everything about you (`{export}`).\n"
    "• Facilitators: the group pulse, only when at least {k} people answered, never "
    "one person's answers; who opted in to pairing.\n"
    "• Operators: the database file, which is why it holds as little as possible."
)
CONTROL = (
    "*Your controls*\n"
    "`{export}` gives you all your data. `{forget}` erases it. "
    "Check-in answers are deleted after {months} months."
)


def privacy(request: Request) -> Reply:
    ctx = request.ctx
    return reply(
        Header("Your privacy"),
        Section(STORED),
        Section(WHO.format(export=ctx.slash("export"), k=ctx.settings.pulse.min_group_size)),
        Section(
            CONTROL.format(
                export=ctx.slash("export"),
                forget=ctx.slash("forget-me"),
                months=ctx.settings.privacy.retention_months,
            )
        ),
        Context("Please never share anything that could identify a client."),
    )


def register(router: Router) -> None:
    router.command(
        "privacy",
        privacy,
        summary="what is stored, why, and who sees it",
        usage="privacy",
        needs_consent=False,
    )
