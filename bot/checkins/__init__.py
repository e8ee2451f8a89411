"""Check-ins: scheduled one-tap wellbeing prompts, the member's own history, the group's
anonymous pulse, the check-on-me buddy, and the minute job that opens and closes prompts.
"""

from __future__ import annotations

from bot.checkins import commands, groups_commands, jobs
from bot.checkins.data import erase_checkins, export_checkins
from bot.checkins.retention import expire
from bot.core.router import Router


def register(router: Router) -> None:
    commands.register(router)
    groups_commands.register(router)
    router.owns_data("checkins", export_checkins, erase_checkins, expire=expire)
    router.home_section(commands.home)
    router.welcome(commands.welcome_line, order=10)
    router.jobs(jobs.jobs)
