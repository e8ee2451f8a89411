"""`/peer consult`: ask the group for input on a case, checked for identifying detail first.

The form (Slack, Discord) or the typed command gives the question, the input wanted and
named or anonymous. The local check runs; when it finds nothing the consultation is
posted at once, otherwise the asker sees what it found and posts as it is, or discards
(or runs it again, edited). Resolving needs the private code only the asker was shown,
so an anonymous asker can close their consultation without anyone knowing who they are.
"""

from __future__ import annotations

from bot.consultations.deid import check
from bot.consultations.messages import (
    ANONYMITY,
    MAX_QUESTION,
    MAX_WANTED,
    USAGE,
    edit_reply,
    post_message,
    receipt,
    resolved_note,
    warning,
)
from bot.consultations.service import KIND, Consultations, Draft, PersonLimit, code_hash
from bot.core.errors import FieldError, UsageError, UserError
from bot.core.members import Group
from bot.core.model import Reply, Section, Target, reply
from bot.core.router import Request
from bot.resources.library import Library

KEYS = ("question", "want", "as")
GONE = "That draft is gone (posted, discarded or a day old). Nothing was changed."


def service(request: Request) -> Consultations:
    return Consultations(request.ctx.db, request.ctx.clock)


def _parse(args: list[str]) -> tuple[str, str, bool | None]:
    keyed: dict[str, str] = {}
    loose: list[str] = []
    for token in args:
        key, sep, value = token.partition(":")
        if sep and key.lower() in KEYS:
            keyed[key.lower()] = value.strip()
        else:
            loose.append(token)
    question = (keyed.get("question") or " ".join(loose)).strip()
    wanted = " ".join(keyed.get("want", "").split())
    if not question:
        raise FieldError("A consultation needs a question: describe the case or dilemma. "
                         "Nothing was posted.", "question")
    if len(question) > MAX_QUESTION:
        raise FieldError(f"That is {len(question)} characters; keep it to {MAX_QUESTION}. "
                         "Nothing was posted.", "question")
    if len(wanted) > MAX_WANTED:
        raise FieldError(f"Keep the input wanted to {MAX_WANTED} characters. Nothing was "
                         "posted.", "want")
    how = keyed.get("as", "").lower()
    anonymous = {"anonymous": True, "anonymously": True, "anon": True, "named": False,
                 "name": False}.get(how)
    if how and anonymous is None:
        raise FieldError(f"Post `as:named` or `as:anonymous` (not “{how[:20]}”). "
                         "Nothing was posted.", "as")
    return question, wanted, anonymous


def _group(request: Request) -> Group:
    group = request.group()
    if not group.channel_id:
        raise UserError(f"*{group.name}* has no channel to post consultations in yet; a "
                        "facilitator can set one (`channel` in its `[[groups]]` config). "
                        "Nothing was posted.")
    return group


def consult(request: Request) -> Reply:
    if not request.args:
        return reply(Section(f"Ask your group for input on a case: `{request.ctx.slash(USAGE)}`"
                             f"\n{ANONYMITY}"))
    question, wanted, anonymous = _parse(request.args)
    if anonymous is None:
        raise UsageError("Choose how to post: add `as:named` or `as:anonymous`. "
                         f"{ANONYMITY} Nothing was posted.")
    group = _group(request)
    consultations = service(request)
    consultations.check_rate(request.workspace_id, group.id)
    _check_person(request)
    draft = consultations.save_draft(request.workspace_id, request.user_id, group.id, question,
                                     wanted, anonymous)
    country = request.ctx.members.local_country(request.member)
    findings = check(f"{question}\n{wanted}", country)
    if findings:
        return warning(findings, draft.id)
    return _post(request, draft, group)


def _check_person(request: Request) -> None:
    try:
        service(request).check_person(request.workspace_id, request.user_id)
    except PersonLimit as limit:
        raise UserError(f"{limit} You can post again from {request.local_time(limit.resets)}. "
                        "Nothing was posted.") from None


def _post(request: Request, draft: Draft, group: Group) -> Reply:
    asker = None if draft.anonymous else draft.user_id
    _check_person(request)
    number, code = service(request).post(
        draft, group, request.ctx.outbox,
        lambda n: post_message(n, draft.question, draft.wanted, asker))
    return receipt(number, code, bool(draft.anonymous), f"*{group.name}*'s channel",
                   request.ctx.slash("consult resolve"))


def _draft(request: Request) -> Draft:
    try:
        draft_id = int(request.action_args[0])
    except (IndexError, ValueError):
        raise UserError(GONE) from None
    consultations = service(request)
    consultations.expire_drafts()
    draft = consultations.draft(request.workspace_id, request.user_id, draft_id)
    if draft is None:
        raise UserError(GONE)
    return draft


def post_anyway(request: Request) -> Reply:
    draft = _draft(request)
    group = request.ctx.members.group(request.workspace_id, draft.group_id)
    if group is None or not group.channel_id:
        raise UserError(GONE)
    return _post(request, draft, group)


def edit(request: Request) -> Reply:
    """After the warning: the draft, pre-filled, to change and check again."""
    draft = _draft(request)
    return edit_reply(draft.question, draft.wanted, bool(draft.anonymous),
                      request.ctx.slash("consult"))


def discard(request: Request) -> Reply:
    service(request).discard(_draft(request))
    return reply(Section("Discarded. Nothing was posted, and the draft is gone."))


def resolve_button(request: Request) -> Reply:
    if len(request.action_args) != 2 or not request.action_args[0].isdigit():
        raise UserError("That button is no longer valid. Nothing was changed.")
    return _resolve(request, int(request.action_args[0]), request.action_args[1], "")


def resolve_command(request: Request) -> Reply:
    if len(request.args) < 2 or not request.args[0].isdigit():
        raise UsageError("Give the consultation's number and your private code.")
    return _resolve(request, int(request.args[0]), request.args[1],
                    " ".join(request.args[2:]).strip())


def _resolve(request: Request, number: int, code: str, takeaway: str) -> Reply:
    consultations = service(request)
    found = consultations.get(request.workspace_id, number)
    if found is None or found.code_hash != code_hash(code):
        raise UserError(f"That code does not match consultation {number}. Nothing was changed.")
    if found.resolved_at is not None:
        raise UserError(f"Consultation {number} is already resolved. Nothing was changed.")
    resource_id = None
    if takeaway:
        resource_id = _takeaway(request, found.group_id, number, takeaway)
    consultations.resolve(found, resource_id)
    _note_in_thread(request, found.group_id, number, resource_id)
    added = (f" Your takeaway is in the resource library as [{resource_id}]."
             if resource_id else "")
    return reply(Section(f"Consultation {number} is resolved. Thank you.{added}"))


def _note_in_thread(request: Request, group_id: int, number: int,
                    resource_id: int | None) -> None:
    """A short note in the consultation's thread (or its channel, if the post's reference
    is gone): resolved, with thanks, and where the takeaway is; never who asked."""
    group = request.ctx.members.group(request.workspace_id, group_id)
    if group is None or not group.channel_id:
        return
    ref = request.ctx.outbox.sent_ref(request.workspace_id, f"{KIND}:{number}") or ""
    request.ctx.outbox.enqueue(request.workspace_id, f"{KIND}.resolved:{number}",
                               Target(channel_id=group.channel_id, reply_to=ref),
                               resolved_note(number, resource_id), kind=f"{KIND}.resolved")


def _takeaway(request: Request, group_id: int, number: int, takeaway: str) -> int:
    if len(takeaway) > 500:
        raise UserError("Keep the takeaway to 500 characters. Nothing was changed.")
    findings = check(takeaway, request.ctx.members.local_country(request.member))
    if findings:
        shown = "; ".join(f"{f.kind} “{f.text}”" for f in findings)
        raise UserError(f"The takeaway goes to the library for the whole group and looks "
                        f"identifying ({shown}). Rephrase it. Nothing was changed.")
    added = Library(request.ctx.db, request.ctx.clock).add(
        request.workspace_id, group_id=group_id, url="",
        title=f"Takeaway from consultation {number}", note=takeaway, tags=["consultation"],
        shared_by=None, source="consultation")
    return added.resource.id
