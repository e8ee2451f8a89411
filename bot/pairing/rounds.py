"""Pairing rounds: plan (preview), announce (heads-up), start (match and introduce).

A round is one row in ``pairing_rounds``; its life is ``pending`` (heads-up sent,
skips collected) -> ``active`` (matched, introductions queued) -> ``closed`` (follow-up
sent), or ``cancelled``. The partial unique index ``pairing_one_open_round`` lets at
most one round per group be pending or active, so two rounds of a group never run at
once, whichever process or button starts them. Starting writes the round, its members
and every introduction to the outbox in the caller's one unit of work (the command's,
or the job step's): a crash before its commit leaves no round and no message; after
it, the drainer sends each intro once. Nothing here commits.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from sys import intern

from bot.core.context import AppContext
from bot.core.members import Group, Member
from bot.core.model import Target
from bot.core.timeparse import WEEKDAYS
from bot.pairing import messages as texts
from bot.pairing.engine import MatchInputs, Proposal, propose, unmet, unmet_summary
from bot.pairing.inputs import Facts, fingerprint, past_fairness
from bot.pairing.matching.solver import Candidate, MatchConfig
from bot.pairing.model import ROUND_COLUMNS, NotPaired, Round, RoundKind, RoundStatus, SlotState
from bot.pairing.participants import DEFAULT_HOURS, PairingMembers
from bot.pairing.writing import RoundWriter
from bot.store.rows import fetch_all, fetch_one

log = logging.getLogger("peerbot.pairing")


def _hours(at: time) -> float:
    return at.hour + at.minute / 60


class RoundBusy(Exception):
    """Another round of this group is pending or running: ``current`` (None if just closed).

    It carries the round, not a sentence, so each reader is told its times in their
    own zone (see :func:`bot.pairing.views.busy_text`).
    """

    def __init__(self, current: Round | None) -> None:
        super().__init__("another round of this group is open")
        self.current = current


class TooFew(Exception):
    """Fewer than two members can take part, or no two of them can be paired; ``plan``
    says how many (views.too_few_text)."""

    def __init__(self, plan: Plan) -> None:
        super().__init__("fewer than two members can take part")
        self.plan = plan


@dataclass
class Plan:
    group: Group
    participants: list[Member]
    skipped: list[str]
    inputs: MatchInputs
    proposal: Proposal
    labels: dict[str, str]
    facts: Facts | None = None  # what it was built from (bot.pairing.inputs)


def scheduled_key(group: Group, when: datetime) -> str:
    """The round key of a group's scheduled occurrence: one round per occurrence, ever."""
    return f"sched:{group.id}:{when.isoformat()}"


class RoundService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.db = ctx.db
        self.clock = ctx.clock
        self.people = PairingMembers(ctx.db, ctx.clock)

    # ---- reading ------------------------------------------------------------------------

    def open_round(self, workspace_id: str, group_id: int) -> Round | None:
        return fetch_one(
            self.db, Round,
            f"SELECT {ROUND_COLUMNS} FROM pairing_rounds WHERE workspace_id = ? AND group_id = ?"
            " AND status IN ('pending', 'active')",
            [workspace_id, group_id],
        )

    def get(self, workspace_id: str, round_id: int) -> Round | None:
        return fetch_one(
            self.db, Round,
            f"SELECT {ROUND_COLUMNS} FROM pairing_rounds WHERE workspace_id = ? AND id = ?",
            [workspace_id, round_id],
        )

    def pending_due(self, now: datetime) -> list[Round]:
        """Announced rounds of every workspace whose time has come (say, after a restart)."""
        return fetch_all(
            self.db, Round,
            f"SELECT {ROUND_COLUMNS} FROM pairing_rounds WHERE status = 'pending'"
            " AND scheduled_for <= ? ORDER BY id",
            [now.isoformat()],
        )

    def has_round(self, workspace_id: str, round_key: str) -> bool:
        return self.db.execute(
            "SELECT 1 FROM pairing_rounds WHERE workspace_id = ? AND round_key = ?",
            [workspace_id, round_key],
        ).fetchone() is not None

    def past_rounds(self, workspace_id: str, group_id: int, limit: int | None) -> list[int]:
        rows = self.db.execute(
            "SELECT id FROM pairing_rounds WHERE workspace_id = ? AND group_id = ?"
            " AND status IN ('active', 'closed') ORDER BY matched_at DESC, id DESC"
            + (" LIMIT ?" if limit is not None else ""),
            [workspace_id, group_id, *([limit] if limit is not None else [])],
        ).fetchall()
        return [r[0] for r in rows]

    def slots(self, round_id: int, states: tuple[SlotState, ...] = (SlotState.PAIRED,)
              ) -> dict[int, list[str]]:
        marks = ",".join("?" for _ in states)
        rows = self.db.execute(
            f"SELECT slot, user_id FROM pairing_round_members WHERE round_id = ?"
            f" AND slot IS NOT NULL AND state IN ({marks}) ORDER BY slot, user_id",
            [round_id, *states],
        ).fetchall()
        found: dict[int, list[str]] = {}
        for slot, user in rows:
            found.setdefault(slot, []).append(intern(user))  # one str per member, not per round
        return found

    def slot_members(self, round_id: int, slot: int,
                     states: tuple[SlotState, ...] = (SlotState.PAIRED,)) -> list[str]:
        """Who is in one slot (a member's partners): an index lookup, not the whole round
        (:meth:`slots` reads 20,000 rows of a large round)."""
        marks = ",".join("?" for _ in states)
        rows = self.db.execute(
            f"SELECT user_id FROM pairing_round_members WHERE round_id = ? AND slot = ?"
            f" AND state IN ({marks}) ORDER BY user_id",
            [round_id, slot, *states],
        ).fetchall()
        return [r[0] for r in rows]

    def skipped(self, round_id: int) -> list[str]:
        rows = self.db.execute(
            "SELECT user_id FROM pairing_round_members WHERE round_id = ? AND state = 'skipped'"
            " ORDER BY user_id",
            [round_id],
        ).fetchall()
        return [r[0] for r in rows]

    # ---- planning -----------------------------------------------------------------------

    def plan(self, workspace_id: str, group: Group, round_: Round | None = None,
             prepared: Plan | None = None, *, match: bool = True, facts: bool = True) -> Plan:
        """What a round would do now: the same inputs and seed give the same pairs.
        A ``prepared`` plan (matched outside the write lock) is returned as it is if the
        stored facts it was built from are unchanged (bot.pairing.inputs: a few queries,
        no objects); if anything changed since, the round is matched again. Without
        ``match`` only the inputs are gathered (a re-pair scores a few candidates).
        Without ``facts`` the plan keeps none (it can never serve as ``prepared``): the
        preview's, whose 10,000 members' facts were 3 MB of its peak memory."""
        skipped, config = self._basis(workspace_id, group, round_)
        stored = (fingerprint(self.db, workspace_id, group.id, skipped, config)
                  if facts or prepared is not None else None)
        if prepared is not None and prepared.facts == stored:
            return prepared
        if prepared is not None:
            log.info("the round's inputs changed since it was matched ahead; matching again")
        everyone = self.people.participants(workspace_id, group.id)
        members = [m for m in everyone if m.user_id not in skipped]
        past = self.past_rounds(workspace_id, group.id, None)
        slots = {round_id: self.slots(round_id) for round_id in past}  # read once
        fairness = past_fairness(self.db, past, slots)
        hours = self.people.all_hours(workspace_id)
        zone = self.people.members.workspace_defaults(workspace_id)[0]
        candidates = []
        for m in members:
            window = hours.get(m.user_id, DEFAULT_HOURS)
            last, left_out, trios = fairness.get(m.user_id, (False, 0, 0))
            candidates.append(Candidate(
                member_id=m.user_id,
                tz=m.timezone or zone,
                work_start=_hours(window.start),
                work_end=_hours(window.end),
                workdays=tuple(WEEKDAYS.index(d) for d in window.days),
                specialty=m.specialty,
                left_out_or_trio_last=last,
                times_left_out=left_out,
                times_in_trio=trios,
            ))
        inputs = MatchInputs(
            candidates=tuple(candidates),
            conflicts=self.people.conflict_pairs(workspace_id, {m.user_id for m in members}),
            history=[[tuple(users) for users in slots[round_id].values()] for round_id in past],
            config=config,
        )
        del slots, fairness, hours  # the history holds what matching needs; free the rest
        proposal = propose(inputs, self.ctx.compute) if match else Proposal()
        ids = set(inputs.user_ids)
        for user, reason in proposal.unpaired.items():
            if reason is not NotPaired.ALONE and ids - {user} <= set(
                self.people.declared_by(workspace_id, user)
            ):
                proposal.unpaired[user] = NotPaired.OWN_CONFLICTS
        labels = {m.user_id: m.label for m in everyone}
        return Plan(group, members, list(skipped), inputs, proposal, labels,
                    stored if facts else None)

    def _basis(self, workspace_id: str, group: Group, round_: Round | None
               ) -> tuple[list[str], MatchConfig]:
        """Who sits this round out, and the matching's settings (seed, week)."""
        cfg = self.ctx.settings.group(group.name).pairing
        if round_ is not None:
            skipped = self.skipped(round_.id)
        else:
            skipped = self._skip_next(workspace_id, group.id)
        seed = round_.seed if round_ is not None else self._next_seed(workspace_id, group.id)
        return skipped, MatchConfig(
            recent_rounds=cfg.recent_rounds,
            specialty_preference=cfg.specialty_preference,
            seed=seed,
            week_of=self.clock.now().date(),
        )

    def skipping_next(self, workspace_id: str, group_id: int) -> list[str]:
        """Members who asked to sit out the next round (no round was open then)."""
        return self._skip_next(workspace_id, group_id)

    def _skip_next(self, workspace_id: str, group_id: int) -> list[str]:
        rows = self.db.execute(
            "SELECT user_id FROM pairing_optins WHERE workspace_id = ? AND group_id = ?"
            " AND skip_next ORDER BY user_id",
            [workspace_id, group_id],
        ).fetchall()
        return [r[0] for r in rows]

    def _next_seed(self, workspace_id: str, group_id: int) -> int:
        count = self.db.execute(
            "SELECT count(*) FROM pairing_rounds WHERE workspace_id = ? AND group_id = ?",
            [workspace_id, group_id],
        ).fetchone()[0]
        return group_id * 7919 + count

    # ---- writing ------------------------------------------------------------------------

    def _insert_round(
        self, workspace_id: str, group: Group, key: str, kind: RoundKind,
        scheduled_for: datetime | None, started_by: str | None,
    ) -> Round:
        """Insert a pending round (inside the caller's transaction); RoundBusy if one is open."""
        try:
            cursor = self.db.execute(
                "INSERT INTO pairing_rounds (workspace_id, group_id, round_key, kind, status,"
                " scheduled_for, started_by, seed, created_at) VALUES (?, ?, ?, ?, 'pending',"
                " ?, ?, ?, ?)",
                [workspace_id, group.id, key, kind,
                 scheduled_for.isoformat() if scheduled_for else None, started_by,
                 self._next_seed(workspace_id, group.id), self.clock.now().isoformat()],
            )
        except sqlite3.IntegrityError:
            raise RoundBusy(self.open_round(workspace_id, group.id)) from None
        for user in self._skip_next(workspace_id, group.id):
            self.db.execute(
                "INSERT OR IGNORE INTO pairing_round_members (workspace_id, round_id, user_id,"
                " state) VALUES (?, ?, ?, 'skipped')",
                [workspace_id, cursor.lastrowid, user],
            )
        self.db.execute(
            "UPDATE pairing_optins SET skip_next = 0 WHERE workspace_id = ? AND group_id = ?",
            [workspace_id, group.id],
        )
        created = self.get(workspace_id, int(cursor.lastrowid))
        assert created is not None
        return created

    def announce(
        self, workspace_id: str, group: Group, scheduled_for: datetime, *, notify: bool = True
    ) -> Round | None:
        """Create the pending round of a scheduled occurrence and queue its heads-ups.

        Returns None when this occurrence was already announced or another round is open.
        """
        key = scheduled_key(group, scheduled_for)
        with self.db.atomic():
            try:
                round_ = self._insert_round(workspace_id, group, key, RoundKind.SCHEDULED,
                                            scheduled_for, None)
            except RoundBusy:
                return None
            skipped = set(self.skipped(round_.id))
            outbox = self.ctx.outbox
            for member in self.people.participants(workspace_id, group.id):
                if member.user_id in skipped or not notify:
                    continue
                zone = self.people.members.local_timezone(member)
                starts = self.ctx.local_time(scheduled_for, zone)
                msg = texts.heads_up(group.name, round_.id, starts, self.ctx.command_name)
                outbox.enqueue(workspace_id, f"pair:{round_.id}:headsup",
                               Target(user_id=member.user_id), msg, kind="pairing.headsup")
        return round_

    def start(
        self, workspace_id: str, group: Group, *, started_by: str | None,
        scheduled_for: datetime | None = None, prepared: Plan | None = None,
        steps: bool = False,
    ) -> tuple[Round, Plan]:
        """Match and introduce, all or nothing; RoundBusy or TooFew change nothing.

        With ``steps`` the introductions are left for :meth:`RoundWriter.finish` to queue
        in units of their own once this one commits (bot.pairing.writing), so a large
        round holds the write lock briefly; without, they are queued here."""
        with self.db.atomic():
            round_ = self.open_round(workspace_id, group.id)
            if round_ is not None and round_.status is RoundStatus.ACTIVE:
                raise RoundBusy(round_)
            if round_ is None:
                when = scheduled_for or self.clock.now()
                kind = RoundKind.SCHEDULED if scheduled_for else RoundKind.MANUAL
                key = (scheduled_key(group, when) if scheduled_for else
                       f"manual:{group.id}:{self._next_seed(workspace_id, group.id)}")
                round_ = self._insert_round(workspace_id, group, key, kind, scheduled_for,
                                            started_by)
            plan = self.plan(workspace_id, group, round_, prepared)
            if len(plan.participants) < 2 or not plan.proposal.groups:
                raise TooFew(plan)  # a round with no possible pair is neither run nor kept
            now = self.clock.now()
            cfg = self.ctx.settings.group(group.name).pairing
            follow_up = now + timedelta(days=cfg.follow_up_days)
            cursor = self.db.execute(
                "UPDATE pairing_rounds SET status = 'active', matched_at = ?, follow_up_at = ?,"
                " started_by = coalesce(started_by, ?) WHERE id = ? AND status = 'pending'",
                [now.isoformat(), follow_up.isoformat(), started_by, round_.id],
            )
            if cursor.rowcount != 1:
                raise RoundBusy(self.open_round(workspace_id, group.id))
            RoundWriter(self.ctx).begin(round_, plan.proposal, group.name)
            if not steps:
                self._enqueue_intros(round_, plan)
        started = self.get(workspace_id, round_.id)
        assert started is not None
        return started, plan

    def _enqueue_intros(self, round_: Round, plan: Plan) -> None:
        """Every introduction, in the round's own unit (small rounds, tests, console)."""
        RoundWriter(self.ctx).queue_all(round_.id)

    def cancel(self, round_: Round, reason: NotPaired = NotPaired.ALONE,
               reasons: dict[str, NotPaired] | None = None) -> list[str]:
        """Cancel a pending round that cannot run; tell those who were waiting for it
        (each with their own reason from ``reasons`` when the matching gave one)."""
        with self.db.atomic():
            group = self.people.members.group(round_.workspace_id, round_.group_id)
            self.db.execute(
                "UPDATE pairing_rounds SET status = 'cancelled', closed_at = ? WHERE id = ?"
                " AND status = 'pending'",
                [self.clock.now().isoformat(), round_.id],
            )
            skipped = set(self.skipped(round_.id))
            told = [
                m.user_id for m in self.people.participants(round_.workspace_id, round_.group_id)
                if m.user_id not in skipped
            ]
            for user in told:
                self.ctx.outbox.enqueue(
                    round_.workspace_id, f"pair:{round_.id}", Target(user_id=user),
                    texts.not_paired(group.name if group else "",
                                     (reasons or {}).get(user, reason), self.ctx.command_name),
                    kind="pairing.unpaired",
                )
        return told

    def not_yet_met(self, plan: Plan) -> dict[str, tuple[str, ...]]:
        """For each participant, the others in this round's pool they have never met."""
        return unmet(plan.inputs)

    def not_yet_met_summary(
        self, plan: Plan, people: int, names: int
    ) -> tuple[list[tuple[str, list[str], int]], int]:
        """The preview's first ``people`` members (by name) with anyone never met."""
        order = sorted(plan.inputs.user_ids, key=lambda u: (plan.labels.get(u, u), u))
        return unmet_summary(plan.inputs, order, people, names)
