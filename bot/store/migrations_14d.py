"""Migrations of the check-in tick's cheap idle path (issue 14, helper 14d: 2151-2159),
registered by bot.store.migrations. Never edit one that has shipped.
"""

from __future__ import annotations

import sqlite_utils

from bot.store.migrations_later import run_script


def m2151_prompts_by_member_day(db: sqlite_utils.Database) -> None:
    """A member's prompts of one local date, found by index (bot.checkins.due).

    The minute tick asks, for each member whose prompt time has passed, whether a prompt
    already counts for the group that day: its own (the unique key) or another group's
    prompt counted for this one (``checkin_prompt_groups``), found from the member and
    the date. Without this index that second lookup read every prompt the member ever had.
    """
    run_script(db, """
        CREATE INDEX checkin_prompts_member_day
            ON checkin_prompts(workspace_id, user_id, local_date);""")
