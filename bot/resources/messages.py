"""The library's words and buttons, as neutral messages (each platform renders them)."""

from __future__ import annotations

from bot.core import action_ids
from bot.core.model import (
    Button,
    Buttons,
    ButtonStyle,
    Context,
    Header,
    Message,
    Section,
    mention,
    message,
)
from bot.resources.library import Page
from bot.resources.model import Resource
from bot.resources.search import Query

HELPFUL = "resources.helpful"
MORE = "resources.more"
SHARING_RULE = (
    "*Named*: your name is shown with it; if you erase your data (`forget-me`), it is "
    "removed from the library too. *Anonymous*: no name is stored at all, not even for "
    "facilitators; it stays in the library after you erase your data, and only a "
    "facilitator can remove it."
)


def line(resource: Resource, *, voted: bool = False, with_sharer: bool = True) -> str:
    """One resource as members read it: title, link, note, tags and who shared it."""
    parts = [f"*[{resource.id}] {resource.title}*"]
    if resource.url:
        parts.append(resource.url)
    if resource.note:
        parts.append(resource.note)
    facts = [" ".join(f"#{t}" for t in resource.tag_list)] if resource.tags else []
    if with_sharer:
        if resource.source == "consultation":
            facts.append("a consultation's takeaway")
        elif resource.shared_by:
            facts.append(f"shared by {mention(resource.shared_by)}")
        else:
            facts.append("shared anonymously")
    if resource.pinned:
        facts.append("pinned")
    if resource.helpful_shown is not None:
        facts.append(f"{resource.helpful_shown} found it helpful")
    if voted:
        facts.append("you found it helpful")
    if any(facts):
        parts.append(" · ".join(f for f in facts if f))
    return "\n".join(parts)


def page_message(page: Page, query: Query, voted: set[int]) -> Message:
    described = query.describe()
    if not page.items:
        where = f" for “{described}”" if described else ""
        return message(Section(
            f"Nothing in the library{where} yet. Share something useful with "
            "`resources add <link> [title] [#tags]`."))
    first, last = page.offset + 1, page.offset + len(page.items)
    title = f"Resources for “{described}”" if described else "Resource library"
    blocks: list = [Header(title), Context(f"{first}-{last} of {page.total}" + (
        " · none had every word; these have some of them" if page.relaxed else ""))]
    blocks += [Section(line(r, voted=r.id in voted)) for r in page.items]
    buttons = [Button(f"Helpful [{r.id}]" if r.id not in voted else f"Undo helpful [{r.id}]",
                      action_ids.encode(HELPFUL, r.id)) for r in page.items]
    if page.more:
        offset = str(page.offset + len(page.items))
        budget = action_ids.MAX_LEN - len(MORE) - len(offset) - 2
        buttons.append(Button("More", action_ids.encode(MORE, offset, query.encode(budget)),
                              ButtonStyle.PRIMARY))
    blocks.append(Buttons(tuple(buttons)))
    return message(*blocks, fallback=f"{title}: {first}-{last} of {page.total}")


def digest_message(group_name: str, resources: list[Resource], command: str) -> Message:
    blocks: list = [Header(f"New in the resource library this week ({group_name})")]
    blocks += [Section(line(r)) for r in resources[:10]]
    more = len(resources) - 10
    tail = f"{more} more; " if more > 0 else ""
    blocks.append(Context(f"{tail}search them all with `/{command} resources`."))
    return message(*blocks, fallback=f"{len(resources)} new resource(s) for {group_name}")
