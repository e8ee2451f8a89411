"""`/peer checkin groups [together|separate]`: which groups prompt you, and how.

A member of several groups sees each group with its schedule (with their own time and
days applied), and chooses between one prompt a day that counts for every group
scheduled that day (``together``, the default) and one prompt per group (``separate``).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.checkins.coverage import Mode, checkin_groups, counted_group, mode_of, set_mode
from bot.checkins.pulse import monday_of
from bot.checkins.schedule import ScheduleStore, effective
from bot.core.errors import UsageError
from bot.core.model import Context, Reply, Section, reply
from bot.core.router import Request, Router

EXPLAIN = {
    Mode.TOGETHER: ("On a day more than one of your groups checks in, you get *one* check-in "
                    "naming them all."),
    Mode.SEPARATE: "Each group sends its own check-in.",
}
ONE_GROUP = ("Your answers count in *one* group's pulse a week, the group of your first "
             "check-in that week, from that group's check-ins only: never in two, so nobody "
             "who sees two groups' figures can compare them to find yours.")


def groups(request: Request) -> Reply:
    ctx = request.ctx
    if request.args:
        word = request.args[0].lower()
        if len(request.args) > 1 or word not in tuple(Mode):
            raise UsageError(
                f"Say `together` (one check-in for all your groups on the same day) or "
                f"`separate` (one per group), e.g. `{ctx.slash('checkin groups separate')}`. "
                "Nothing was changed."
            )
        set_mode(ctx.db, ctx.clock, request.workspace_id, request.user_id, Mode(word))
    mine = checkin_groups(ctx.db, ctx.clock, ctx.settings, request.workspace_id, request.user_id)
    if not mine:
        raise UsageError("You're not in a group that uses check-ins yet. "
                         f"`{ctx.slash('group list')}` shows the groups.")
    store = ScheduleStore(ctx.db, ctx.clock)
    prefs = store.prefs(request.workspace_id, request.user_id)
    lines = []
    for group in mine:
        cfg = ctx.settings.group(group.name).checkins
        schedule = effective(store.group_schedule(group.workspace_id, group.id, cfg), prefs)
        lines.append(f"• *{group.name}*: {schedule.describe()} (your time zone)")
    mode = mode_of(ctx.db, request.workspace_id, request.user_id)
    other = Mode.SEPARATE if mode is Mode.TOGETHER else Mode.TOGETHER
    done = "Saved. " if request.args else ""
    this_week = counted_group(ctx.db, request.workspace_id, request.user_id,
                              monday_of(ctx.clock.now().astimezone(ZoneInfo(request.zone)).date()))
    counted = f" This week: *{this_week}*." if this_week else ""
    return reply(
        Section("*Your check-ins*\n" + "\n".join(lines)),
        Section(done + EXPLAIN[mode] + " " + ONE_GROUP + counted),
        Context(f"Prefer the other way? `{ctx.slash(f'checkin groups {other.value}')}`"),
    )


def register(router: Router) -> None:
    router.command("checkin groups", groups,
                   summary="which groups check in with you; one check-in or one per group",
                   usage="checkin groups [together|separate]")
