"""Members' library commands and buttons: search and browse, share, mark helpful.

`/peer resources [words] [#tag]` searches what the member may see; `/peer resources add`
shares (a form on Slack and Discord). The "More" button carries the search and the next
offset, and "Helpful" the resource's id, so both keep working after a restart.
"""

from __future__ import annotations

from bot.core.errors import UserError
from bot.core.model import Reply, Section, mention, reply
from bot.core.router import Request
from bot.resources.adding import USAGE, Share, parse_share
from bot.resources.library import Library, Page
from bot.resources.messages import SHARING_RULE, line, page_message
from bot.resources.search import Query, parse_query


def library(request: Request) -> Library:
    return Library(request.ctx.db, request.ctx.clock)


def reader_groups(request: Request) -> list[int]:
    return [g.id for g in request.ctx.members.groups_of(request.workspace_id, request.user_id)]


def _show(request: Request, query: Query, offset: int = 0) -> Reply:
    page: Page = library(request).find(request.workspace_id, reader_groups(request), query,
                                       offset)
    voted = library(request).voted(request.user_id, [r.id for r in page.items])
    return Reply(page_message(page, query, voted))


def search(request: Request) -> Reply:
    return _show(request, parse_query(request.args))


def more(request: Request) -> Reply:
    try:
        offset = int(request.action_args[0])
        query = Query.decode(request.action_args[1] if len(request.action_args) > 1 else "")
    except (IndexError, ValueError, UserError):
        raise UserError("That button is no longer valid. Nothing was changed.") from None
    return _show(request, query, max(offset, 0))


def add(request: Request) -> Reply:
    if not request.args:
        return reply(Section(
            f"Share a link with `{request.ctx.slash(USAGE)}`.\n{SHARING_RULE}"))
    share = parse_share(request.args)
    if share.anonymous is None:
        raise UserError(
            "Before you share, choose how: add `as:named` or `as:anonymous`.\n"
            f"{SHARING_RULE}\nNothing was saved yet.")
    group_id = _audience(request, share)
    added = library(request).add(
        request.workspace_id, group_id=group_id, url=share.url, title=share.title,
        note=share.note, tags=share.tags,
        shared_by=None if share.anonymous else request.user_id)
    resource = added.resource
    if added.merged:
        tags = " ".join(f"#{t}" for t in added.new_tags)
        extra = f" I added your tags {tags} to it." if tags else ""
        return reply(Section(
            f"Good find: that link is already in the library.{extra}\n"
            f"{line(resource, with_sharer=False)}"))
    who = "anonymously (no name is stored)" if share.anonymous else f"as {mention(request.user_id)}"
    where = "the whole workspace" if group_id is None else "your group"
    return reply(Section(f"Shared with {where}, {who}. Thank you!\n"
                         f"{line(resource, with_sharer=False)}"))


def _audience(request: Request, share: Share) -> int | None:
    if share.audience == "workspace":
        return None
    if share.audience == "" and not reader_groups(request):
        return None
    return request.group().id


def helpful(request: Request) -> Reply:
    try:
        resource_id = int(request.action_args[0])
    except (IndexError, ValueError):
        raise UserError("That button is no longer valid. Nothing was changed.") from None
    lib = library(request)
    resource = lib.visible(request.workspace_id, reader_groups(request), resource_id)
    if lib.toggle_vote(resource, request.user_id):
        return reply(Section(f"Marked *{resource.title}* as helpful. Thank you."))
    return reply(Section(f"Took back your helpful mark on *{resource.title}*."))
