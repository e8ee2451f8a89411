"""The resource library: members share links with notes and tags, search them (SQLite
FTS5 with porter stemming), mark them helpful; facilitators pin, retag and remove; a
weekly digest goes to each group's channel. See docs/community.md.
"""

from __future__ import annotations

from bot.core.model import Role
from bot.core.router import Router
from bot.resources import commands, digest, manage
from bot.resources.adding import FORM, USAGE
from bot.resources.data import erase_resources, export_resources
from bot.resources.messages import HELPFUL, MORE


def register(router: Router) -> None:
    router.command("resources", commands.search,
                   summary="search the resource library (newest and most helpful first)",
                   usage="resources [words] [#tag]")
    router.command("resources add", commands.add, summary="share a link with your peers",
                   usage=USAGE, form=FORM)
    router.command("resources remove", manage.remove,
                   summary="remove a resource (yours, or as a facilitator)",
                   usage="resources remove <number> [reason]")
    router.command("resources pin", manage.pin, role=Role.FACILITATOR,
                   summary="pin a resource to the top of the library",
                   usage="resources pin <number>")
    router.command("resources unpin", manage.unpin, role=Role.FACILITATOR,
                   summary="unpin a resource", usage="resources unpin <number>")
    router.command("resources tags", manage.retag, role=Role.FACILITATOR,
                   summary="replace a resource's tags", usage="resources tags <number> #tag ...")
    router.action(HELPFUL, commands.helpful)
    router.action(MORE, commands.more)
    router.owns_data("resources", export_resources, erase_resources)
    router.jobs(digest.jobs)
