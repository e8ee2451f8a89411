"""The weekly digest: new resources a group can see, posted to the group's channel.

Each configured group with a channel gets a job at its ``[groups.resources] digest``
times (default every Monday at 09:00 in the group's zone); groups made in chat rather
than in the config file follow the default, in the bot's default zone. It posts what
was added in the seven days before, and nothing at all when nothing is new. The outbox key names the
group and the date, so a re-run after a crash posts once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.core.config import ResourceSettings
from bot.core.context import AppContext
from bot.core.jobs import JobSpec, step
from bot.core.members import Group
from bot.core.model import Target
from bot.core.schedules import occurrence_at, parse_schedule
from bot.resources.library import Library
from bot.resources.messages import digest_message
from bot.store.rows import columns, fetch_all

KIND = "resources.digest"


def send_digest(ctx: AppContext, group: Group, when_iso: str, since_iso: str) -> bool:
    """Queue the group's digest; False when there is nothing new or nowhere to post."""
    if not group.channel_id:
        return False
    fresh = Library(ctx.db, ctx.clock).new_for_group(group.workspace_id, group.id, since_iso)
    if not fresh:
        return False
    msg = digest_message(group.name, fresh, ctx.command_name)
    return ctx.outbox.enqueue(group.workspace_id, f"{KIND}:{group.id}:{when_iso[:10]}",
                              Target(channel_id=group.channel_id), msg, kind=KIND)


def _unconfigured(ctx: AppContext) -> list[Group]:
    """Groups of enabled workspaces that the config file does not name."""
    named = {cfg.name.lower() for cfg in ctx.settings.groups}
    groups = fetch_all(
        ctx.db, Group, f"SELECT {columns(Group, prefix='g.')} FROM peer_groups g"
        " JOIN workspaces w ON w.id = g.workspace_id WHERE w.disabled_reason IS NULL"
        " ORDER BY g.id")
    return [g for g in groups if g.name.lower() not in named]


def _job(trigger, groups) -> Callable[[AppContext], None]:
    def run(ctx: AppContext) -> None:
        when = occurrence_at(trigger, ctx.clock.now()) or ctx.clock.now()
        since = (when - timedelta(days=7)).isoformat()
        for group in groups(ctx):
            step(ctx.db, "resources digest",
                 lambda group=group: send_digest(ctx, group, when.isoformat(), since))

    return run


def jobs(ctx: AppContext) -> list[JobSpec]:
    default = parse_schedule(ResourceSettings().digest, ctx.settings.bot.default_timezone)
    specs = [JobSpec("resources.digest", default, _job(default, _unconfigured))]
    for cfg in ctx.settings.groups:
        digest = cfg.resources
        zone = digest.timezone or cfg.pairing.timezone or ctx.settings.bot.default_timezone
        trigger = parse_schedule(digest.digest, zone)
        if trigger is None:
            continue
        specs.append(JobSpec(f"resources.digest:{cfg.name}", trigger, _job(
            trigger, lambda ctx, name=cfg.name: ctx.members.groups_named(name))))
    return specs
