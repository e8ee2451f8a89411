"""Numbered schema migrations, applied at start-up and recorded in the database.

sqlite-utils' ``Migrations`` runs each one in a transaction together with its record,
so a failing migration leaves nothing half-written and re-running is a no-op. Add new
migrations at the end with the next number; never edit one that has shipped.
Every table carries ``workspace_id``: no query may cross workspaces.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from bot.store.migrations_14d import m2151_prompts_by_member_day
from bot.store.migrations_14p import m2141_round_intro_progress
from bot.store.migrations_dashboard import m2001_dashboard
from bot.store.migrations_later import (
    m1201_pulse_bands,
    m1202_prompt_groups,
    m1301_receipts,
    m1501_outbox_request_id,
    m1601_pair_now,
    m1701_agreements,
    m1801_resources,
    m1802_resources_search,
    m1803_consultations,
    m1804_mentoring,
    run_script,
)
from bot.store.migrations_leftovers import (
    m1211_privacy_erasures,
    m1212_prompts_counted,
    m1811_mentoring_matches,
)
from bot.store.migrations_onboarding import m1921_consent_pending
from bot.store.migrations_prompts import m1911_outbox_edits
from bot.store.migrations_runtime import m1411_outbox_fairness
from bot.store.migrations_sessions import m1711_sessions

MIGRATIONS = Migrations("peerbot")


@MIGRATIONS(name="0001_core")
def m0001_core(db: sqlite_utils.Database) -> None:
    run_script(db,
        """
        CREATE TABLE workspaces (
            id TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            default_timezone TEXT NOT NULL DEFAULT 'UTC',
            default_country TEXT NOT NULL DEFAULT 'US',
            disabled_reason TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE members (
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            display_name TEXT NOT NULL DEFAULT '',
            timezone TEXT,
            country TEXT,
            specialty TEXT,
            role INTEGER NOT NULL DEFAULT 0,
            consent_at TEXT,
            undeliverable_reason TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (workspace_id, user_id)
        );
        CREATE TABLE peer_groups (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            channel_id TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (workspace_id, name)
        );
        CREATE TABLE memberships (
            workspace_id TEXT NOT NULL,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            is_facilitator INTEGER NOT NULL DEFAULT 0,
            joined_at TEXT NOT NULL,
            PRIMARY KEY (group_id, user_id),
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        CREATE INDEX memberships_by_member ON memberships(workspace_id, user_id);
        """
    )


@MIGRATIONS(name="0002_outbox")
def m0002_outbox(db: sqlite_utils.Database) -> None:
    run_script(db,
        """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            round_key TEXT NOT NULL,
            target_key TEXT NOT NULL,
            user_id TEXT,
            target TEXT NOT NULL,
            payload TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            platform_ref TEXT,
            last_error TEXT,
            UNIQUE (workspace_id, round_key, target_key)
        );
        CREATE INDEX outbox_due ON outbox(status, not_before);
        CREATE INDEX outbox_by_member ON outbox(workspace_id, user_id);
        """
    )


@MIGRATIONS(name="0004_checkins")
def m0004_checkins(db: sqlite_utils.Database) -> None:
    """Check-in schedules, member preferences, prompts, answers, buddies, frozen pulse.

    ``UNIQUE (workspace_id, group_id, user_id, local_date, slot)`` on prompts is the
    promise "never prompted twice for the same schedule and local date": the scheduled
    slot is ``'scheduled'``; facilitator rounds and extra self check-ins use other slots.
    """
    run_script(db,
        """
        CREATE TABLE checkin_schedules (
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            days TEXT NOT NULL,
            time TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (workspace_id, group_id)
        );
        CREATE TABLE checkin_prefs (
            workspace_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            time TEXT,
            days TEXT,
            paused_until TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (workspace_id, user_id),
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        CREATE TABLE checkin_prompts (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL,
            user_id TEXT NOT NULL,
            local_date TEXT NOT NULL,
            slot TEXT NOT NULL DEFAULT 'scheduled',
            question_set TEXT NOT NULL,
            note_allowed INTEGER NOT NULL DEFAULT 0,
            opened_at TEXT NOT NULL,
            remind_at TEXT,
            closes_at TEXT NOT NULL,
            reminded_at TEXT,
            closed_at TEXT,
            note TEXT,
            UNIQUE (workspace_id, group_id, user_id, local_date, slot)
        );
        CREATE INDEX checkin_prompts_open ON checkin_prompts(closed_at, closes_at);
        CREATE INDEX checkin_prompts_member ON checkin_prompts(workspace_id, user_id, opened_at);
        CREATE INDEX checkin_prompts_group ON checkin_prompts(workspace_id, group_id, local_date);
        CREATE TABLE checkin_answers (
            workspace_id TEXT NOT NULL,
            prompt_id INTEGER NOT NULL REFERENCES checkin_prompts(id) ON DELETE CASCADE,
            question_key TEXT NOT NULL,
            value INTEGER NOT NULL,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (prompt_id, question_key)
        );
        CREATE TABLE checkin_buddies (
            workspace_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            buddy_id TEXT NOT NULL,
            trigger TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            created_at TEXT NOT NULL,
            answered_at TEXT,
            last_nudge_prompt_id INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (workspace_id, user_id)
        );
        CREATE INDEX checkin_buddies_by_buddy ON checkin_buddies(workspace_id, buddy_id);
        CREATE TABLE checkin_pulse_periods (
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL,
            period TEXT NOT NULL,
            prompted INTEGER NOT NULL,
            respondents INTEGER NOT NULL,
            frozen_at TEXT NOT NULL,
            PRIMARY KEY (workspace_id, group_id, period)
        );
        CREATE TABLE checkin_pulse_counts (
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL,
            period TEXT NOT NULL,
            question_key TEXT NOT NULL,
            value INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (workspace_id, group_id, period, question_key, value)
        )
        """
    )


@MIGRATIONS(name="0005_pairing")
def m0005_pairing(db: sqlite_utils.Database) -> None:
    """Debrief pairing: opt-ins, private conflicts, working hours, rounds, on-demand requests.

    ``pairing_one_open_round`` is the guard that two rounds of one group never run at
    once: at most one round per group may be ``pending`` (heads-up sent) or ``active``
    (introduced, follow-up not yet sent). ``pairing_one_open_request`` does the same for
    `/peer pair now`. A conflict row belongs to the member who declared it.
    """
    run_script(db,
        """
        CREATE TABLE pairing_optins (
            workspace_id TEXT NOT NULL,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            opted_in_at TEXT NOT NULL,
            skip_next INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (workspace_id, group_id, user_id),
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        CREATE TABLE pairing_hours (
            workspace_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            start_hhmm TEXT NOT NULL,
            end_hhmm TEXT NOT NULL,
            days TEXT NOT NULL,
            PRIMARY KEY (workspace_id, user_id),
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        CREATE TABLE pairing_conflicts (
            workspace_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            other_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (workspace_id, user_id, other_id),
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        CREATE TABLE pairing_rounds (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            round_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            scheduled_for TEXT,
            started_by TEXT,
            seed INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            matched_at TEXT,
            follow_up_at TEXT,
            closed_at TEXT,
            UNIQUE (workspace_id, round_key)
        );
        CREATE UNIQUE INDEX pairing_one_open_round ON pairing_rounds(workspace_id, group_id)
            WHERE status IN ('pending', 'active');
        CREATE TABLE pairing_round_members (
            workspace_id TEXT NOT NULL,
            round_id INTEGER NOT NULL REFERENCES pairing_rounds(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            slot INTEGER,
            state TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            met TEXT,
            answered_at TEXT,
            PRIMARY KEY (round_id, user_id),
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        CREATE INDEX pairing_round_members_by_member
            ON pairing_round_members(workspace_id, user_id);
        CREATE TABLE pairing_requests (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            requester_id TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            partner_id TEXT,
            settled_at TEXT,
            FOREIGN KEY (workspace_id, requester_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        CREATE UNIQUE INDEX pairing_one_open_request ON pairing_requests(workspace_id, requester_id)
            WHERE status = 'open';
        CREATE TABLE pairing_offers (
            workspace_id TEXT NOT NULL,
            request_id INTEGER NOT NULL REFERENCES pairing_requests(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            PRIMARY KEY (request_id, user_id),
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        """
    )


@MIGRATIONS(name="0006_privacy")
def m0006_privacy(db: sqlite_utils.Database) -> None:
    """The audit log of facilitator/admin actions, and the aggregates that outlive retention.

    ``pulse_aggregates`` rows are written only for buckets with at least
    ``pulse.min_group_size`` respondents, so no row describes fewer than k people.
    """
    run_script(db,
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            subject_id TEXT
        );
        CREATE INDEX audit_by_time ON audit_log(workspace_id, id);
        CREATE TABLE pulse_aggregates (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL,
            period TEXT NOT NULL,
            question_key TEXT NOT NULL,
            respondents INTEGER NOT NULL,
            answers INTEGER NOT NULL,
            mean REAL NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (workspace_id, group_id, period, question_key)
        );
        """
    )


def applied_migrations(db: sqlite_utils.Database) -> list[str]:
    return [m.name for m in MIGRATIONS.applied(db)]


def apply_migrations(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations; return the names applied now (empty when up to date)."""
    pending = [m.name for m in MIGRATIONS.pending(db)]
    MIGRATIONS.apply(db)
    return pending


# Later migrations, in order (their bodies are in bot.store.migrations_later).
MIGRATIONS(name="1201_pulse_bands")(m1201_pulse_bands)
MIGRATIONS(name="1202_prompt_groups")(m1202_prompt_groups)
MIGRATIONS(name="1211_privacy_erasures")(m1211_privacy_erasures)
MIGRATIONS(name="1212_prompts_counted")(m1212_prompts_counted)
MIGRATIONS(name="1301_receipts")(m1301_receipts)
MIGRATIONS(name="1411_outbox_fairness")(m1411_outbox_fairness)  # numeric order
MIGRATIONS(name="1501_outbox_request_id")(m1501_outbox_request_id)
MIGRATIONS(name="1601_pair_now")(m1601_pair_now)
MIGRATIONS(name="1701_agreements")(m1701_agreements)
MIGRATIONS(name="1711_sessions")(m1711_sessions)
MIGRATIONS(name="1801_resources")(m1801_resources)
MIGRATIONS(name="1802_resources_search", transactional=False)(m1802_resources_search)
MIGRATIONS(name="1803_consultations")(m1803_consultations)
MIGRATIONS(name="1804_mentoring")(m1804_mentoring)
MIGRATIONS(name="1811_mentoring_matches")(m1811_mentoring_matches)
MIGRATIONS(name="1911_outbox_edits")(m1911_outbox_edits)
MIGRATIONS(name="1921_consent_pending")(m1921_consent_pending)
MIGRATIONS(name="2001_dashboard")(m2001_dashboard)
MIGRATIONS(name="2141_round_intro_progress")(m2141_round_intro_progress)
MIGRATIONS(name="2151_prompts_by_member_day")(m2151_prompts_by_member_day)
