"""Migrations of issues 12 and 18's leftovers (1211-1219, 1811-1819), registered in order
by bot.store.migrations. Never edit one that has shipped."""

from __future__ import annotations

import sqlite_utils

from bot.store.migrations_later import run_script


def m1211_privacy_erasures(db: sqlite_utils.Database) -> None:
    """The ids of the re-erasure ledger lines this database has seen (bot/privacy/ledger.py).

    A random id and a time only: whom an erasure concerned is in the ledger file beside
    the key, as a keyed pseudonym, never here.
    """
    run_script(db, """
        CREATE TABLE privacy_erasures (
            workspace_id TEXT NOT NULL,
            entry TEXT PRIMARY KEY,
            applied_at TEXT NOT NULL
        )
    """)


def m1212_prompts_counted(db: sqlite_utils.Database) -> None:
    """``checkin_prompts_counted``: the prompts whose answers a group's pulse counts.

    One member, one group per week (docs/privacy.md, rule A, overlapping groups): a
    member's answers in a week count only in the group of their first prompt that week
    (the group that opened it, ``checkin_prompts.group_id``), and only from prompts of
    that group. A facilitator of two overlapping groups can then never subtract one
    pulse from the other to find one member's answer: no answer is in both.
    """
    run_script(db, """
        CREATE VIEW checkin_prompts_counted AS
            SELECT p.id, p.workspace_id, p.group_id, p.user_id, p.local_date, p.opened_at,
                   p.closed_at
            FROM checkin_prompts p
            WHERE p.group_id = (
                SELECT f.group_id FROM checkin_prompts f
                WHERE f.workspace_id = p.workspace_id AND f.user_id = p.user_id
                  AND f.local_date >= date(p.local_date, '-6 days', 'weekday 1')
                  AND f.local_date <= date(p.local_date, '-6 days', 'weekday 1', '+6 days')
                ORDER BY f.opened_at, f.id LIMIT 1)
    """)


def m1811_mentoring_matches(db: sqlite_utils.Database) -> None:
    """One row per scheduled mentoring match that ran (group and scheduled time), claimed
    in the same unit of work as its pairs, so no slot runs twice (bot/mentoring/rounds.py).
    """
    run_script(db, """
        CREATE TABLE mentoring_matches (
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            slot TEXT NOT NULL,
            ran_at TEXT NOT NULL,
            pairs INTEGER,
            PRIMARY KEY (workspace_id, group_id, slot)
        )
    """)
