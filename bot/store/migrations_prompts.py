"""Migrations of issue 19 (1911-1919): editing and replying to messages already sent."""

from __future__ import annotations

import sqlite_utils


def m1911_outbox_edits(db: sqlite_utils.Database) -> None:
    """An outbox row may edit or reply to another row's delivered message.

    ``op`` is '' (a new message), 'edit' (replace the message of row ``ref_id`` in
    place: Slack chat.update, a Discord message edit, the console's reprint) or 'reply'
    (a new message pointing at row ``ref_id``'s: a Slack thread reply, a Discord reply).
    The referenced row's ``platform_ref`` (recorded when it was delivered) says where.
    """
    for sql in (
        "ALTER TABLE outbox ADD COLUMN op TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE outbox ADD COLUMN ref_id INTEGER",
        "CREATE INDEX outbox_by_ref ON outbox(ref_id) WHERE ref_id IS NOT NULL",
    ):
        db.execute(sql)
