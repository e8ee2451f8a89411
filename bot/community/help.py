"""`/peer help`: what you can do here, by task, crisis first, for your role only.

Sections follow what a person comes to do ("Right now", "Check-ins", "Debrief
pairing", "Your group", "Your data"), not the alphabet, so the crisis lines are the
first thing anyone sees. Facilitator and admin sections appear only for those roles.
A command no task names still shows, under "More", so a new topic is never hidden.
Each section shows at most :data:`MAX_LINES` lines; a "More" button shows the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core import action_ids
from bot.core.model import Button, Buttons, Context, Header, Reply, Role, Section, reply
from bot.core.router import CommandSpec, Request, Router

INTRO = (
    "peerbot keeps your peer-support circle connected: short wellbeing check-ins, "
    "debrief pairings with colleagues, and crisis-line numbers whenever you ask."
)
MAX_LINES = 15
MORE = "help.more"


@dataclass(frozen=True)
class Task:
    """One help section: the commands (by phrase or first word) it gathers."""

    title: str
    phrases: tuple[str, ...] = ()
    first_words: tuple[str, ...] = ()

    def takes(self, spec: CommandSpec) -> bool:
        phrase = " ".join(spec.path)
        return phrase in self.phrases or (bool(spec.path) and spec.path[0] in self.first_words)


# Order is the order shown. "Right now" comes first, whatever else is installed.
TASKS = (
    Task("Right now", phrases=("crisis", "crisis colleague", "pair now")),
    Task("Check-ins", first_words=("checkin",)),
    Task("Debrief pairing", first_words=("pair",)),
    Task("Your group", first_words=(
        "group", "profile", "agreement", "resources", "consult")),
    Task("Mentoring", first_words=("mentor",)),
    Task("Group sessions", first_words=("session",)),
    Task("Your data", phrases=("privacy", "export", "forget-me")),
)
# Facilitator commands with a section of their own (so no section grows past MAX_LINES).
FACILITATOR_TASKS = (Task("For facilitators: group sessions", first_words=("session",)),)
# Member-level commands that only make sense for facilitators (they check the group).
FACILITATOR_PHRASES = ("crisis post",)
NOT_LISTED = ("help",)


def _line(request: Request, spec: CommandSpec) -> str:
    return f"`{request.ctx.slash(spec.usage)}`: {spec.summary}"


def sections_for(request: Request) -> list[tuple[str, list[CommandSpec]]]:
    """(title, commands) for every section this person may see, in display order."""
    specs = [
        s for s in request.router.commands(up_to=request.role)
        if s.path and " ".join(s.path) not in NOT_LISTED
    ]
    by_role = {
        Role.FACILITATOR: [
            s for s in specs
            if s.role == Role.FACILITATOR or " ".join(s.path) in FACILITATOR_PHRASES
        ],
        Role.ADMIN: [s for s in specs if s.role == Role.ADMIN],
    }
    members = [
        s for s in specs
        if s.role == Role.MEMBER and " ".join(s.path) not in FACILITATOR_PHRASES
    ]
    sections: list[tuple[str, list[CommandSpec]]] = []
    taken: set[tuple[str, ...]] = set()
    for task in TASKS:
        chosen = [s for s in members if task.takes(s) and s.path not in taken]
        if task.phrases and not task.first_words:  # keep the task's own order
            chosen.sort(key=lambda s: task.phrases.index(" ".join(s.path)))
        taken.update(s.path for s in chosen)
        if chosen:
            sections.append((task.title, chosen))
    rest = [s for s in members if s.path not in taken]
    if rest:
        sections.append(("More", rest))
    if request.role >= Role.FACILITATOR and by_role[Role.FACILITATOR]:
        facilitating = by_role[Role.FACILITATOR]
        own = [(t.title, [s for s in facilitating if t.takes(s)]) for t in FACILITATOR_TASKS]
        rest = [s for s in facilitating if not any(t.takes(s) for t in FACILITATOR_TASKS)]
        sections += [("For facilitators", rest)] if rest else []
        sections += [(title, chosen) for title, chosen in own if chosen]
    if request.role >= Role.ADMIN and by_role[Role.ADMIN]:
        sections.append(("For admins", by_role[Role.ADMIN]))
    return sections


def _section(request: Request, index: int, title: str, specs: Sequence[CommandSpec]) -> list:
    lines = [_line(request, s) for s in specs[:MAX_LINES]]
    blocks: list = [Section(f"*{title}*\n" + "\n".join(lines))]
    if len(specs) > MAX_LINES:
        more = len(specs) - MAX_LINES
        blocks.append(
            Buttons((Button(f"{more} more: {title}", action_ids.encode(MORE, index)),))
        )
    return blocks


def show_help(request: Request) -> Reply:
    blocks: list = [Header("peerbot help"), Section(INTRO)]
    for index, (title, specs) in enumerate(sections_for(request)):
        blocks.extend(_section(request, index, title, specs))
    blocks.append(
        Context(
            "peerbot is not a crisis service and is not monitored. If you are in danger, "
            f"call your local emergency number; `{request.ctx.slash('crisis')}` lists lines."
        )
    )
    return reply(*blocks)


def show_more(request: Request) -> Reply:
    """The lines a section held back, for the person who pressed its "more" button."""
    sections = sections_for(request)
    arg = request.action_args[0] if request.action_args else ""
    if not (arg.isascii() and arg.isdigit() and int(arg) < len(sections)):
        return reply(Section("That list has changed; here is the whole help again."),
                     *show_help(request).message.blocks)
    title, specs = sections[int(arg)]
    lines = [_line(request, s) for s in specs[MAX_LINES:]]
    return reply(Section(f"*{title}* (continued)\n" + "\n".join(lines)))


def register(router: Router) -> None:
    router.command(
        "help", show_help, summary="this list", usage="help", needs_consent=False
    )
    router.action(MORE, show_more, needs_consent=False)
