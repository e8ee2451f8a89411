"""Migrations of the pairing round written in steps (issue 14, helper 14p: 2141-2149),
registered by bot.store.migrations. Never edit one that has shipped.
"""

from __future__ import annotations

import sqlite_utils

from bot.store.migrations_later import run_script


def m2141_round_intro_progress(db: sqlite_utils.Database) -> None:
    """How far a started round's introductions are queued (bot.pairing.writing).

    A round is matched and its members written in one unit of work; its introductions
    are then queued in steps, each committing with ``intro_next`` (the next slot to
    introduce) so a restart resumes where the last step ended. ``intro_end`` is the
    first slot the matching did not make (a re-pair later gets a slot past it, with its
    own introduction). Both NULL: every introduction is queued (all earlier rounds).
    Each step reads its slots by ``pairing_round_members_by_slot``.
    """
    run_script(db,
        """
        ALTER TABLE pairing_rounds ADD COLUMN intro_next INTEGER;
        ALTER TABLE pairing_rounds ADD COLUMN intro_end INTEGER;
        CREATE INDEX pairing_rounds_introducing ON pairing_rounds(intro_next)
            WHERE intro_next IS NOT NULL;
        CREATE INDEX pairing_round_members_by_slot ON pairing_round_members(round_id, slot)
        """)
