"""The agreement's cards, as neutral Messages: the ask (with what changed), the kind
note when a member is paused, and the view `/peer agreement` shows."""

from __future__ import annotations

from datetime import datetime

from bot.agreements import texts
from bot.agreements.model import Version
from bot.core import action_ids
from bot.core.context import AppContext
from bot.core.members import Group
from bot.core.model import (
    Button,
    Buttons,
    ButtonStyle,
    Context,
    Header,
    Message,
    Section,
    message,
)

AGREE = "agreement.agree"
LATER = "agreement.later"
MAX_DIFF_LINES = 30


def choice_buttons(group: Group, number: int) -> Buttons:
    return Buttons((
        Button("I agree", action_ids.encode(AGREE, group.id, number), ButtonStyle.PRIMARY),
        Button("Not now", action_ids.encode(LATER, group.id, number)),
    ))


def _diff_block(previous: Version, version: Version) -> Section:
    lines = texts.changed_lines(previous.body, version.body)
    shown = lines[:MAX_DIFF_LINES]
    hidden = len(lines) - len(shown)
    more = f"\n… and {hidden} more changed line(s)" if hidden else ""
    body = "\n".join(shown) or "(only spacing changed)"
    return Section(f"*What changed since version {previous.version}* (- removed, + added)\n"
                   f"```\n{body}\n```{more}")


def ask_card(ctx: AppContext, group: Group, version: Version, previous: Version | None,
             respond_by: datetime | None, user_id: str) -> Message:
    """The card a member is sent: the agreement, what changed, and the two buttons."""
    changed = previous is not None and previous.version != version.version
    title = (f"{group.name}: the group agreement changed (version {version.version})"
             if changed else f"{group.name}: the group agreement")
    blocks: list = [Header(title)]
    if changed and previous is not None:
        blocks.append(_diff_block(previous, version))
    blocks.append(Section(version.body))
    if respond_by is not None:
        zone = ctx.members.zone_of(group.workspace_id, user_id)
        blocks.append(Context(
            f"You keep taking part meanwhile. If you haven't agreed by "
            f"{ctx.local_time(respond_by, zone)}, the group's prompts, rounds and sessions "
            "pause for you (you stay a member) until you agree."))
    else:
        blocks.append(Context(
            "Once you agree, the group's check-ins, pairing rounds and sessions reach you. "
            f"Crisis lines are always there: `/{ctx.settings.bot.crisis_command}`."))
    blocks.append(choice_buttons(group, version.version))
    return message(*blocks, fallback=f"{title}: please read it and agree")


def paused_card(ctx: AppContext, group: Group, number: int) -> Message:
    return message(
        Section(f"Your part in *{group.name}* is paused for now, because version {number} of "
                "its agreement hasn't been agreed yet. You're still a member, and nothing "
                "else changed. Whenever you're ready, read it and agree with "
                f"`{ctx.slash('agreement')} group:{group.name}`, and everything resumes."),
        Context(f"Need support now? `/{ctx.settings.bot.crisis_command}` is always there."),
        fallback=f"Your part in {group.name} is paused until you agree to its agreement",
    )


def view(ctx: AppContext, group: Group, version: Version, agreed_at: str | None,
         agreed_version: int | None, hold: str | None, is_member: bool) -> Message:
    """`/peer agreement`: the text, its version, and where the reader stands."""
    blocks: list = [Header(f"{group.name}: group agreement (version {version.version})"),
                    Section(version.body)]
    if agreed_at is not None:
        blocks.append(Context(f"You agreed to this version on {agreed_at}."))
    elif is_member:
        before = (f"You agreed to version {agreed_version}; this one is new. "
                  if agreed_version else "")
        state = {None: "Please read it and agree.",
                 "lapsed": "Your part in the group is paused until you agree."}.get(
            hold, "Please read it and agree: until you do, the group's check-ins, rounds "
                  "and sessions don't reach you.")
        blocks.append(Context(before + state))
        blocks.append(choice_buttons(group, version.version))
    else:
        blocks.append(Context("You're not a member of this group; joining shows this "
                              "agreement to agree to."))
    return message(*blocks)
