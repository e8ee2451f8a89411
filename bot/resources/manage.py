"""Looking after the library: facilitators pin, retag and remove; sharers remove their own.

Who may: for a group's resource, a facilitator of *that* group; for a workspace-wide
one, a facilitator of any group. The member who shared a resource with their name may
remove it too (an anonymous one has no owner on record, so only facilitators can).
Every change is written to the audit log: who, what, which resource, never a note.
"""

from __future__ import annotations

from bot.audit.log import record
from bot.core.errors import NotAllowed, UsageError
from bot.core.model import Reply, Role, Section, reply
from bot.core.router import Request, refusal_text
from bot.resources.adding import _tags
from bot.resources.commands import library, reader_groups
from bot.resources.model import Resource


def _target(request: Request, what: str) -> Resource:
    if not request.args or not request.args[0].strip("[]").isdigit():
        raise UsageError(f"Which resource? Give its number, e.g. `resources {what} 12`.")
    resource_id = int(request.args[0].strip("[]"))
    return library(request).visible(request.workspace_id, reader_groups(request), resource_id)


def _may_manage(request: Request, resource: Resource) -> bool:
    if resource.group_id is None:
        return request.role >= Role.FACILITATOR
    return request.ctx.members.facilitates(request.actor, resource.group_id)


def _check(request: Request, resource: Resource, what: str) -> None:
    if not _may_manage(request, resource):
        raise NotAllowed(refusal_text(Role.FACILITATOR, what, "the group it was shared with"))


def pin(request: Request) -> Reply:
    return _set_pin(request, True)


def unpin(request: Request) -> Reply:
    return _set_pin(request, False)


def _set_pin(request: Request, pinned: bool) -> Reply:
    verb = "pin" if pinned else "unpin"
    resource = _target(request, verb)
    _check(request, resource, f"`{request.ctx.slash('resources ' + verb)}`")
    library(request).set_pinned(resource, pinned)
    record(request.ctx, request, f"resources.{verb}", f"resource {resource.id}")
    done = "Pinned" if pinned else "Unpinned"
    return reply(Section(f"{done} *[{resource.id}] {resource.title}*."))


def retag(request: Request) -> Reply:
    resource = _target(request, "tags")
    _check(request, resource, f"`{request.ctx.slash('resources tags')}`")
    tags = _tags(request.args[1:])
    library(request).set_tags(resource, tags)
    shown = " ".join(f"#{t}" for t in tags) or "no tags"
    record(request.ctx, request, "resources.tags", f"resource {resource.id}: {shown}")
    return reply(Section(f"*[{resource.id}] {resource.title}* now has {shown}."))


def remove(request: Request) -> Reply:
    resource = _target(request, "remove")
    own = resource.shared_by == request.user_id
    if not own:
        _check(request, resource, f"`{request.ctx.slash('resources remove')}`")
    library(request).remove(resource)
    reason = " ".join(request.args[1:])[:200]
    detail = f"resource {resource.id} “{resource.title[:80]}”" + (
        f"; reason: {reason}" if reason else "") + ("; by the member who shared it" if own
                                                   else "")
    record(request.ctx, request, "resources.remove", detail)
    return reply(Section(f"Removed *[{resource.id}] {resource.title}* from the library."))
