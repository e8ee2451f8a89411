"""Migrations from phase 2 on (issue-numbered), registered in order by bot.store.migrations.

They live here so that the registry module stays short; each function is applied in
its own transaction with its record (1802, the full-text index, outside one: see its
docstring). Never edit one that has shipped.
"""

from __future__ import annotations

import sqlite_utils


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run statements one by one: ``executescript`` would COMMIT the migration's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def m1201_pulse_bands(db: sqlite_utils.Database) -> None:
    """The pulse as it is shown, frozen per week and question: verdict, then band counts.

    ``checkin_pulse_questions`` holds each question's verdict (shown, too few, or one band
    holding all but one answer) and, from k respondents up, how many answered it;
    ``checkin_pulse_bands`` holds band counts only for questions that are shown. Weeks
    frozen before this migration keep their raw ``checkin_pulse_counts`` until the pulse
    first reads them, which turns them into these rows and deletes the raw counts.
    ``pairing_pulse_months`` freezes the "Did you meet?" figures per settled month.
    """
    run_script(db,
        """
        CREATE TABLE checkin_pulse_questions (
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL,
            period TEXT NOT NULL,
            question_key TEXT NOT NULL,
            position INTEGER NOT NULL,
            respondents INTEGER NOT NULL,
            verdict TEXT NOT NULL,
            PRIMARY KEY (workspace_id, group_id, period, question_key)
        );
        CREATE TABLE checkin_pulse_bands (
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL,
            period TEXT NOT NULL,
            question_key TEXT NOT NULL,
            band INTEGER NOT NULL,
            label TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (workspace_id, group_id, period, question_key, band)
        );
        CREATE TABLE pairing_pulse_months (
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL,
            month TEXT NOT NULL,
            rounds INTEGER NOT NULL,
            paired INTEGER NOT NULL,
            respondents INTEGER NOT NULL,
            verdict TEXT NOT NULL,
            met INTEGER NOT NULL,
            not_yet INTEGER NOT NULL,
            couldnt INTEGER NOT NULL,
            frozen_at TEXT NOT NULL,
            PRIMARY KEY (workspace_id, group_id, month)
        )
        """
    )



def m1202_prompt_groups(db: sqlite_utils.Database) -> None:
    """One prompt may count for several groups (a member of two groups prompted the same
    day); ``checkin_prompts_by_group`` lists each prompt once per group it counts for.
    ``checkin_prefs.groups_mode``: ``separate`` for one prompt per group (NULL: together).
    """
    run_script(db, """
        CREATE TABLE checkin_prompt_groups (
            workspace_id TEXT NOT NULL,
            prompt_id INTEGER NOT NULL REFERENCES checkin_prompts(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            PRIMARY KEY (prompt_id, group_id));
        CREATE INDEX checkin_prompt_groups_by_group
            ON checkin_prompt_groups(workspace_id, group_id);
        ALTER TABLE checkin_prefs ADD COLUMN groups_mode TEXT;
        CREATE VIEW checkin_prompts_by_group AS
            SELECT id, workspace_id, group_id, user_id, local_date, slot, opened_at, closes_at,
                   closed_at FROM checkin_prompts
            UNION ALL SELECT p.id, p.workspace_id, c.group_id, p.user_id, p.local_date, p.slot,
                   p.opened_at, p.closes_at, p.closed_at
            FROM checkin_prompt_groups c JOIN checkin_prompts p ON p.id = c.prompt_id""")

def m1301_receipts(db: sqlite_utils.Database) -> None:
    """Replays and floods (issue 13).

    ``receipts``: a key that may be claimed once until it expires: a platform request
    (a replayed Slack request or Discord interaction runs once) or a limit such as "one
    buddy invitation from A to B an hour". Keys are SHA-256 digests, never ids or text,
    and every row expires within hours. ``members.card_nonce``: a random value printed
    on the member's consent card, new with every member row, so an "Agree" issued
    before an erasure no longer matches and does nothing.
    """
    run_script(db,
        """
        CREATE TABLE receipts (
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            PRIMARY KEY (workspace_id, key)
        );
        CREATE INDEX receipts_by_expiry ON receipts(expires_at);
        ALTER TABLE members ADD COLUMN card_nonce TEXT NOT NULL DEFAULT ''
        """
    )


def m1501_outbox_request_id(db: sqlite_utils.Database) -> None:
    """Which event or job run queued each message, for the log lines of its sends."""
    db.execute("ALTER TABLE outbox ADD COLUMN request_id TEXT")


def m1701_agreements(db: sqlite_utils.Database) -> None:
    """Group agreements: versions, who agreed to which, who was asked; the membership hold.

    ``memberships.hold`` is the core's gate (bot.core.members): NULL means the member
    takes part in the group's prompts, rounds and sessions; any other value says why
    not yet (``'agreement'``: has not agreed; ``'lapsed'``: did not re-agree in time).
    Memberships that exist before this migration stay active: the agreements job asks
    those members, with the same grace period as a new version.
    """
    run_script(db,
        """
        ALTER TABLE memberships ADD COLUMN hold TEXT;
        CREATE TABLE agreement_versions (
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            body TEXT NOT NULL,
            source TEXT NOT NULL,
            set_by TEXT NOT NULL DEFAULT '',
            set_at TEXT NOT NULL,
            PRIMARY KEY (workspace_id, group_id, version)
        );
        CREATE TABLE agreement_acceptances (
            workspace_id TEXT NOT NULL,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            agreed_at TEXT NOT NULL,
            PRIMARY KEY (workspace_id, group_id, user_id, version),
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        CREATE TABLE agreement_asks (
            workspace_id TEXT NOT NULL,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            asked_at TEXT NOT NULL,
            respond_by TEXT,
            lapsed_at TEXT,
            PRIMARY KEY (workspace_id, group_id, user_id, version),
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        CREATE INDEX agreement_asks_due ON agreement_asks(respond_by)
            WHERE lapsed_at IS NULL AND respond_by IS NOT NULL;
        """
    )


def m1801_resources(db: sqlite_utils.Database) -> None:
    """The resource library and its "helpful" votes (one per member and resource).

    ``group_id`` NULL means the whole workspace is the audience. ``shared_by`` is NULL
    when the resource was shared anonymously (or is a consultation's takeaway): nobody,
    the database included, knows who shared it. ``url_key`` is the normalised link that
    duplicates are found by ('' for a takeaway, which has no link).
    """
    run_script(db,
        """
        CREATE TABLE resources (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER REFERENCES peer_groups(id) ON DELETE CASCADE,
            url TEXT NOT NULL DEFAULT '',
            url_key TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '',
            shared_by TEXT,
            source TEXT NOT NULL DEFAULT 'member',
            pinned INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT
        );
        CREATE UNIQUE INDEX resources_one_link
            ON resources(workspace_id, ifnull(group_id, 0), url_key) WHERE url_key <> '';
        CREATE INDEX resources_by_time ON resources(workspace_id, created_at);
        CREATE TABLE resource_votes (
            workspace_id TEXT NOT NULL,
            resource_id INTEGER NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
            user_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (resource_id, user_id),
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        """
    )


def m1802_resources_search(db: sqlite_utils.Database) -> None:
    """Full-text search over titles, notes and tags (FTS5, porter stemming), kept in step
    by triggers. sqlite-utils runs this as a script outside a transaction; it is
    idempotent (an index that already matches is left alone), so a crash here is
    repaired by the next start."""
    db["resources"].enable_fts(["title", "note", "tags"], fts_version="FTS5",
                               tokenize="porter", create_triggers=True)


def m1601_pair_now(db: sqlite_utils.Database) -> None:
    """`/peer pair now` done right: a declined offer is kept (with when), so the same
    requester does not ask that colleague again within an hour; a request may be
    anonymous ("a colleague in your group would like to talk")."""
    run_script(db, """
        ALTER TABLE pairing_offers ADD COLUMN declined_at TEXT;
        ALTER TABLE pairing_requests ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0
    """)


def m1803_consultations(db: sqlite_utils.Database) -> None:
    """Case consultations: only that one was posted, and a draft until it is.

    ``consultations`` has no question text and, for an anonymous one, no asker: after
    posting peerbot knows a consultation went to a group at a time (for the group's
    rate limit) and a hash of the asker's private resolve code, nothing else.
    ``consultation_drafts`` holds a question while its asker reads the
    de-identification warning; posting or discarding deletes it, and it expires.
    """
    run_script(db,
        """
        CREATE TABLE consultations (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            asker_id TEXT,
            code_hash TEXT NOT NULL,
            posted_at TEXT NOT NULL,
            resolved_at TEXT,
            resource_id INTEGER
        );
        CREATE INDEX consultations_by_group ON consultations(workspace_id, group_id, posted_at);
        CREATE TABLE consultation_drafts (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            question TEXT NOT NULL,
            wanted TEXT NOT NULL DEFAULT '',
            anonymous INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        """
    )


def m1804_mentoring(db: sqlite_utils.Database) -> None:
    """Mentoring: each member's stage, offer or request, and the pairs with their term."""
    run_script(db,
        """
        CREATE TABLE mentoring_profiles (
            workspace_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            stage TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT '',
            topics TEXT NOT NULL DEFAULT '',
            capacity INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (workspace_id, user_id),
            FOREIGN KEY (workspace_id, user_id)
                REFERENCES members(workspace_id, user_id) ON DELETE CASCADE
        );
        CREATE TABLE mentoring_pairs (
            id INTEGER PRIMARY KEY,
            workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
            group_id INTEGER NOT NULL REFERENCES peer_groups(id) ON DELETE CASCADE,
            mentor_id TEXT NOT NULL,
            mentee_id TEXT NOT NULL,
            topics TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            checkin_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            checked_in INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'active',
            ended_at TEXT
        );
        CREATE INDEX mentoring_pairs_active ON mentoring_pairs(status, checkin_at, ends_at);
        """
    )
