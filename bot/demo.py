"""The demo peer group the console starts with, so a newcomer can try everything at once.

It lives with the composition root, not in the console adapter, because it writes
members, groups and consent: the runtime seeds it when the console asks its host to.
"""

from __future__ import annotations

import sqlite_utils

from bot.agreements.service import AgreementService
from bot.core.dispatch import Core
from bot.core.model import Actor, Role

DEMO_GROUP = "Circle"
DEMO_CHANNEL = "circle"
# name, time zone, country, specialty: spread over time zones on purpose.
DEMO_MEMBERS = [
    ("alice", "Europe/London", "GB", "trauma"),
    ("bob", "America/New_York", "US", "addiction"),
    ("carol", "Australia/Sydney", "AU", "child and family"),
    ("dan", "Europe/Dublin", "IE", "trauma"),
    ("erin", "Pacific/Auckland", "NZ", "grief"),
]
DEMO_FACILITATOR = ("fran", "America/Toronto", "CA", "supervision")


def has_platform_workspace(db: sqlite_utils.Database) -> bool:
    """Whether a Slack or Discord workspace lives in this database (never seed there)."""
    row = db.execute("SELECT 1 FROM workspaces WHERE platform != 'console' LIMIT 1").fetchone()
    return row is not None


def seed_demo(core: Core, workspace_id: str) -> None:
    """Create the demo group and members once; re-running changes nothing.

    It opens no transaction: the caller decides (the runtime seeds in one).
    """
    members = core.ctx.members
    core.prepare_workspace(workspace_id)
    configured = [g.name for g in core.ctx.settings.groups]
    group_name = configured[0] if configured else DEMO_GROUP
    if members.group_by_name(workspace_id, group_name) is None:
        members.ensure_group(workspace_id, group_name, DEMO_CHANNEL)
    group = members.group_by_name(workspace_id, group_name)
    assert group is not None
    if members.get(workspace_id, DEMO_FACILITATOR[0]) is not None:
        return
    agreements = AgreementService(core.ctx)
    for name, tz, country, specialty in [*DEMO_MEMBERS, DEMO_FACILITATOR]:
        demo_actor = Actor(workspace_id, name, name)
        members.ensure_member(demo_actor)
        # The demo members count as having agreed to the consent card, so the demo's
        # check-ins and pairing reach them; a name you invent with `as <name>` is asked.
        members.record_consent(demo_actor)
        members.update_profile(workspace_id, name, timezone=tz, country=country,
                               specialty=specialty)
        members.join_group(workspace_id, group.id, name, facilitator=name == DEMO_FACILITATOR[0])
        # ... and to the group's agreement, so they take part from the start.
        agreements.agree(group, name, agreements.current(group).version)
    members.set_role(workspace_id, DEMO_FACILITATOR[0], Role.ADMIN)
