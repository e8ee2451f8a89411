"""Apply again the erasures a restored database has not seen (see bot/privacy/ledger.py).

Run inside the caller's unit of work (``peerbot db restore``, and every start for a
database copied back by hand); the caller empties the WAL afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlite_utils

from bot.core.ports import Clock
from bot.core.router import DataOwner
from bot.privacy.erasure import PrivacyService
from bot.privacy.ledger import Entry, Reapplied, mark_seen, people, unseen
from bot.privacy.pseudonym import pseudonym


def reapply(db: sqlite_utils.Database, clock: Clock, owners: Sequence[DataOwner]) -> Reapplied:
    """Erase everyone a ledger line names that this database has not seen, then mark
    every such line seen (whether or not anyone was left to erase)."""
    todo = unseen(db)
    report = Reapplied(entries=len(todo))
    if not todo:
        return report
    wanted: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in todo:
        wanted[(entry.workspace_id, entry.who)].append(entry)
    service = PrivacyService(db, clock, owners)
    for workspace_id, user_id in sorted(people(db)):
        entries = wanted.get((workspace_id, pseudonym(db, workspace_id, user_id)))
        if entries:
            service.erase(workspace_id, user_id, entry=entries[0].id)
            report.members.append((workspace_id, user_id))
    for entry in todo:
        mark_seen(db, clock, entry)
    return report
