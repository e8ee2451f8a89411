"""Migrations for group sessions with rotating roles (issue 17 B), registered in order by
bot.store.migrations. Never edit one that has shipped."""

from __future__ import annotations

import sqlite_utils

from bot.store.migrations_later import run_script


def m1711_sessions(db: sqlite_utils.Database) -> None:
    """Sessions: series (a recurring schedule), meetings (each occurrence or a one-off),
    role assignments, RSVPs, step-downs (declines), role opt-outs, swap requests, agenda
    items, the group's roles, and which reminders were handled.

    ``session_meetings`` is UNIQUE per (series, local date), so materialising an occurrence twice
    (a repeated job run, a restart) inserts nothing. ``sequence`` is the calendar entry's
    SEQUENCE: moving or cancelling a session bumps it. ``session_assignments.fixed`` marks
    an assignment its holder was told about (or swapped into): re-planning keeps those
    and recomputes the others (see bot/sessions/rotation.py). ``served`` counts only for
    sessions that took place.
    """
    run_script(db,
        """
        CREATE TABLE session_series (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            every_weeks INTEGER NOT NULL,
            days TEXT NOT NULL,
            at TEXT NOT NULL,
            timezone TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            anchor TEXT NOT NULL,
            created_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            ended_at TEXT
        );
        CREATE TABLE session_meetings (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            series_id INTEGER REFERENCES session_series(id) ON DELETE CASCADE,
            local_date TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            minutes INTEGER NOT NULL DEFAULT 60,
            timezone TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'scheduled',
            sequence INTEGER NOT NULL DEFAULT 0,
            uid TEXT NOT NULL,
            created_at TEXT NOT NULL,
            note_resource_id INTEGER,
            UNIQUE (series_id, local_date)
        );
        CREATE INDEX session_meetings_group ON session_meetings (workspace_id, group_id,
                                                                 starts_at);
        CREATE TABLE session_assignments (
            meeting_id INTEGER NOT NULL REFERENCES session_meetings(id) ON DELETE CASCADE,
            workspace_id TEXT NOT NULL,
            role TEXT NOT NULL,
            position INTEGER NOT NULL,
            user_id TEXT,
            fixed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (meeting_id, role)
        );
        CREATE TABLE session_rsvps (
            meeting_id INTEGER NOT NULL REFERENCES session_meetings(id) ON DELETE CASCADE,
            workspace_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            answer TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (meeting_id, user_id)
        );
        CREATE TABLE session_declines (
            meeting_id INTEGER NOT NULL REFERENCES session_meetings(id) ON DELETE CASCADE,
            workspace_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            declined_at TEXT NOT NULL,
            PRIMARY KEY (meeting_id, user_id)
        );
        CREATE TABLE session_optouts (
            workspace_id TEXT NOT NULL,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            role TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (workspace_id, group_id, user_id, role)
        );
        CREATE TABLE session_swaps (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES session_meetings(id) ON DELETE CASCADE,
            workspace_id TEXT NOT NULL,
            role TEXT NOT NULL,
            from_user TEXT NOT NULL,
            to_user TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'asked',
            created_at TEXT NOT NULL,
            settled_at TEXT
        );
        CREATE TABLE session_agenda (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL REFERENCES session_meetings(id) ON DELETE CASCADE,
            workspace_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            text TEXT NOT NULL,
            position INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE session_group_roles (
            workspace_id TEXT NOT NULL,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            roles TEXT NOT NULL,
            set_by TEXT NOT NULL DEFAULT '',
            set_at TEXT NOT NULL,
            PRIMARY KEY (workspace_id, group_id)
        );
        CREATE TABLE session_sent (
            meeting_id INTEGER NOT NULL REFERENCES session_meetings(id) ON DELETE CASCADE,
            workspace_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            at TEXT NOT NULL,
            outcome TEXT NOT NULL,
            PRIMARY KEY (meeting_id, kind, sequence)
        )
        """)
