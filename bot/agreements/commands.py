"""`/peer agreement`, `/peer admin agreement set|status`, and the "I agree" / "Not now"
buttons. Handlers parse and word; bot.agreements.service decides."""

from __future__ import annotations

import re

from bot.agreements import messages, texts
from bot.agreements.service import Agreed, AgreementService
from bot.audit.log import record
from bot.core.errors import FieldError, UserError
from bot.core.members import Group
from bot.core.model import Context, Form, FormField, Message, Reply, Role, Section, message, reply
from bot.core.router import Request, Router, tokenize

SET_PHRASE = "admin agreement set"
_GROUP_TOKEN = re.compile(r"(?:^|\s)group:\S*", re.IGNORECASE)


def joined_card(request: Request, group: Group) -> Message:
    """The agreement with its two buttons, shown to someone who has just joined."""
    service = AgreementService(request.ctx)
    version = service.current(group)
    service.mark_shown(group, request.user_id, version)
    return messages.ask_card(request.ctx, group, version, None, None, request.user_id)


def show(request: Request) -> Reply:
    ctx, group = request.ctx, request.group()
    service = AgreementService(ctx)
    version = service.current(group)
    holds = ctx.members.holds(request.workspace_id, group.id)
    at = service.agreed_at(request.workspace_id, group.id, request.user_id, version.version)
    return Reply(messages.view(
        ctx, group, version, request.local_time(at) if at else None,
        service.agreed_version(request.workspace_id, group.id, request.user_id),
        holds.get(request.user_id), request.user_id in holds))


def _typed_body(request: Request) -> str:
    """The new text: a form's ``text:`` field, else everything typed after the command
    (``\\n`` typed on one line starts a new line). ``group:<name>`` names the group."""
    inv = request.invocation
    if inv is None:
        return ""
    pattern = r"^\s*" + r"\s+".join(re.escape(w) for w in request.path) + r"(?=\s|$)"
    rest = re.sub(pattern, "", inv.text, count=1, flags=re.IGNORECASE).strip()
    words = tokenize(rest)
    if words and all(w.lower().startswith(("text:", "group:")) for w in words):
        # a submitted form (bot.core.model.form_text): one shell-quoted word per field
        rest = next((w[5:] for w in words if w.lower().startswith("text:")), "")
        return texts.normalise(rest)
    rest = _GROUP_TOKEN.sub(" ", rest).replace("\\n", "\n")
    return texts.normalise(rest)


def set_agreement(request: Request) -> Reply:
    ctx = request.ctx
    group = request.facilitated_group()
    service = AgreementService(ctx)
    current = service.current(group)
    body = _typed_body(request)
    if not body:
        return _how_to_type(request, group)
    limit = texts.limit_for(ctx.platform)
    if len(body) > limit:
        raise FieldError(
            f"That agreement is {len(body)} characters; {ctx.platform.capitalize()} shows at "
            f"most {limit} in one message. Please shorten it. Nothing was changed.", "text")
    if body == current.body:
        raise FieldError(f"That is *{group.name}*'s agreement as it is (version "
                         f"{current.version}). Nothing was changed.", "text")
    previous, new = service.replace(group, body, request.user_id)
    record(ctx, request, "agreement.set",
           f"group {group.name}: version {previous.version} -> {new.version}, "
           f"{len(body)} characters")
    status = service.status(group)
    days = ctx.settings.group(group.name).agreement.reagree_days
    return reply(Section(
        f"Saved version {new.version} of *{group.name}*'s agreement. Everyone who hasn't "
        f"agreed to it ({status.members - status.agreed} member(s)) is asked now, with "
        f"what changed; members who take part keep doing so for {days} day(s), then pause "
        f"in this group until they agree. See `{ctx.slash('admin agreement status')}`."))


def _how_to_type(request: Request, group: Group) -> Reply:
    """The console (and any platform without forms) types the text after the command."""
    ctx = request.ctx
    return reply(Section(
        f"Type the new agreement after the command: `{ctx.slash(SET_PHRASE)} <text>` "
        "(type \\n to start a new line). Saving makes a new version and asks everyone "
        f"to agree again. Now: `{ctx.slash('agreement')} group:{group.name}`."))


FORM = Form(
    phrase=SET_PHRASE, title="Group agreement", submit="Save",
    intro=("Saving makes a new version: everyone is asked to agree again, with what "
           "changed. See the current text with `/peer agreement`."),
    fields=(
        FormField("text", "The agreement (markdown)", max_length=3000, multiline=True,
                  optional=False, hint="one rule per line, e.g. - What's shared here stays here"),
        FormField("group", "Group", hint="only if you facilitate more than one group"),
    ),
)


def status(request: Request) -> Reply:
    ctx = request.ctx
    group = request.facilitated_group()
    found = AgreementService(ctx).status(group)
    lines = [f"*{group.name}*: version {found.version.version} of the agreement, set "
             f"{request.local_time(found.version.set_at)}.",
             f"{found.agreed} of {found.members} member(s) agreed to it."]
    if found.waiting_first:
        lines.append(f"{found.waiting_first} new member(s) haven't agreed yet and don't "
                     "take part until they do.")
    if found.paused:
        names = ", ".join(ctx.members.get(group.workspace_id, u).label  # type: ignore[union-attr]
                          if ctx.members.get(group.workspace_id, u) else u for u in found.paused)
        lines.append(f"Paused for not re-agreeing in time (you may want to check in with "
                     f"them): {names}.")
    return reply(Section("\n".join(lines)), Context(
        "Only those paused are named: who is still deciding stays private."))


def _group_from(request: Request) -> tuple[Group, int]:
    try:
        group_id, number = int(request.action_args[0]), int(request.action_args[1])
    except (IndexError, ValueError):
        raise UserError("That button is no longer valid. Nothing was changed.") from None
    group = request.ctx.members.group(request.workspace_id, group_id)
    if group is None:
        raise UserError("That group no longer exists. Nothing was changed.")
    return group, number


def on_agree(request: Request) -> Reply:
    ctx = request.ctx
    group, number = _group_from(request)
    service = AgreementService(ctx)
    outcome = service.agree(group, request.user_id, number)
    if outcome is Agreed.NOT_MEMBER:
        raise UserError(f"You're not a member of *{group.name}* any more. Nothing was changed.")
    if outcome is Agreed.STALE:
        version = service.current(group)
        card = messages.ask_card(ctx, group, version, service.version(
            group.workspace_id, group.id, number), None, request.user_id)
        return Reply(Message(blocks=(Section(
            "The agreement changed since this card was sent; here is the current one."),
            *card.blocks)), replace_original=True)
    if outcome is Agreed.ALREADY:
        return Reply(message(Section(f"You had already agreed to version {number} of "
                                     f"*{group.name}*'s agreement.")), replace_original=True)
    return Reply(message(Section(
        f"Thank you: you agreed to *{group.name}*'s agreement (version {number}). Its "
        "check-ins, pairing rounds and sessions now reach you."),
        Context(f"Read it any time: `{ctx.slash('agreement')} group:{group.name}`.")),
        replace_original=True)


def on_later(request: Request) -> Reply:
    ctx = request.ctx
    group, _ = _group_from(request)
    hold = ctx.members.holds(request.workspace_id, group.id).get(request.user_id)
    now = ("you keep taking part until the date on the card" if hold is None
           else "the group's check-ins, rounds and sessions won't reach you")
    return Reply(message(Section(
        f"No problem. Until you agree, {now}. Nothing was changed."),
        Context(f"Read it and agree any time: `{ctx.slash('agreement')} group:{group.name}`. "
                f"Crisis lines are always there: `/{ctx.settings.bot.crisis_command}`.")))


def register(router: Router) -> None:
    router.command("agreement", show, needs_consent=False,
                   summary="your group's agreement, and when you agreed",
                   usage="agreement [group:<name>]")
    router.command(SET_PHRASE, set_agreement, role=Role.FACILITATOR, form=FORM,
                   summary="replace the group's agreement (a form on Slack and Discord)",
                   usage="admin agreement set <text, \\n for a new line>")
    router.command("admin agreement status", status, role=Role.FACILITATOR,
                   summary="how many agreed to the current version",
                   usage="admin agreement status")
    router.action(messages.AGREE, on_agree)
    router.action(messages.LATER, on_later, needs_consent=False)
