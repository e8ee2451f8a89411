"""Writing a started round: its members at once, its introductions in steps.

A round of 20,000 members is 20,000 member rows and 10,000 introductions (outbox rows,
each rendered and encoded). Written in one unit of work that held the write lock for
over a second (several under load), and every other member's command waited for it.
So a round is written in two parts:

1. With the match, in the round's own unit (:meth:`RoundWriter.begin`): the round turns
   ``active``, every member's place (slot and state) is written in one statement, the
   few "not paired this time" notes are queued, and ``intro_next`` / ``intro_end`` mark
   the slots whose introductions are still to be queued. From its commit on, the round
   is what every other command sees (a member can step out of it at once).
2. The introductions, :data:`SLOTS_PER_STEP` slots per unit of work
   (:meth:`RoundWriter.finish`), each committing the intros it queued together with the
   new ``intro_next``. Between steps the writer pauses as long as the step took, so a
   waiting command gets the lock (and the interpreter) in between.

Crash-safe: a restart resumes at ``intro_next`` (the pairing tick calls
:meth:`RoundWriter.finish_all`), a step that fails is rolled back whole, the outbox
queues a message once per (round, target), and a step that finds ``intro_next`` moved
by another writer rolls back: no introduction is lost or doubled.

Each step introduces a slot as it stands *then*, not as matched: a member who stepped
out, erased their data or whose partner left before their slot's turn is not named
(bot.pairing.midround told the others already); a slot with fewer than two members
left is skipped (the pairing tick offers the one left a new partner).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

from bot.core.context import AppContext
from bot.core.jobs import step
from bot.core.model import Target, mention
from bot.pairing import messages as texts
from bot.pairing.engine import Proposal
from bot.pairing.model import Round, SlotState

# Slots (pairs or trios) introduced per unit of work: about 10 ms of work on a quiet
# machine, so another command waits that long at most for the write lock.
SLOTS_PER_STEP = 250
MAX_PAUSE = 0.05  # seconds between steps, at most
log = logging.getLogger("peerbot.pairing")


def between_steps(seconds: float) -> None:
    """Yield the lock and the interpreter as long as the last step held them (a test
    replaces it to hold a round between two steps)."""
    time.sleep(seconds)


class Moved(Exception):
    """Another writer advanced this round's introductions meanwhile: roll this step back."""


class RoundWriter:
    def __init__(self, ctx: AppContext, *, slots_per_step: int | None = None) -> None:
        self.ctx = ctx
        self.db = ctx.db
        self.slots_per_step = slots_per_step or SLOTS_PER_STEP

    # ---- inside the round's unit ---------------------------------------------------

    def begin(self, round_: Round, proposal: Proposal, group_name: str) -> None:
        """Every member's place and the not-paired notes; introductions marked to do."""
        rows = [[user, slot, SlotState.PAIRED, ""]
                for slot, group in enumerate(proposal.groups) for user in group]
        rows += [[user, None, SlotState.UNPAIRED, reason]
                 for user, reason in proposal.unpaired.items()]
        self.db.execute(
            "INSERT INTO pairing_round_members (workspace_id, round_id, user_id, slot, state,"
            " reason) SELECT ?, ?, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'),"
            " json_extract(j.value, '$[2]'), json_extract(j.value, '$[3]')"
            " FROM json_each(?) j WHERE true ON CONFLICT (round_id, user_id) DO UPDATE SET"
            " slot = excluded.slot, state = excluded.state, reason = excluded.reason",
            [round_.workspace_id, round_.id, json.dumps(rows)],
        )
        for user, reason in proposal.unpaired.items():
            self.ctx.outbox.enqueue(round_.workspace_id, f"pair:{round_.id}", Target(user_id=user),
                                    texts.not_paired(group_name, reason,
                                                     self.ctx.command_name),
                                    kind="pairing.unpaired")
        end = len(proposal.groups)
        self.db.execute(
            "UPDATE pairing_rounds SET intro_next = ?, intro_end = ? WHERE id = ?",
            [0 if end else None, end if end else None, round_.id],
        )

    def queue_step(self, round_id: int) -> bool:
        """Queue the next slots' introductions (inside the caller's unit of work);
        True while more remain."""
        found = self.db.execute(
            "SELECT r.workspace_id, r.intro_next, r.intro_end, g.name FROM pairing_rounds r"
            " LEFT JOIN peer_groups g ON g.id = r.group_id WHERE r.id = ?", [round_id],
        ).fetchone()
        if found is None or found[1] is None:
            return False
        ws, first, end, group_name = found
        last = min(first + self.slots_per_step, end)
        slots: dict[int, list[tuple[str, str]]] = {}
        for slot, user, state in self.db.execute(
            "SELECT slot, user_id, state FROM pairing_round_members WHERE round_id = ?"
            " AND slot >= ? AND slot < ? ORDER BY slot, user_id", [round_id, first, last],
        ).fetchall():
            slots.setdefault(slot, []).append((user, state))
        people = self._people(ws, round_id, first, last)
        for members in slots.values():
            users = [u for u, state in members if state == SlotState.PAIRED]
            if len(users) < 2 or len(users) != len(members):
                continue  # someone stepped out or left: midround told the others
            zones = [people.get(u, (None, ""))[0] for u in users]
            titles = [people.get(u, (None, ""))[1] or u for u in users]
            msg = texts.intro(group_name or "", [mention(u) for u in users], zones,
                              self.ctx.command_name, titles=titles)
            self.ctx.outbox.enqueue(ws, f"pair:{round_id}", Target(user_ids=tuple(users)), msg,
                                    kind="pairing.intro")
        moved = self.db.execute(
            "UPDATE pairing_rounds SET intro_next = ? WHERE id = ? AND intro_next = ?",
            [last if last < end else None, round_id, first],
        )
        if moved.rowcount != 1:
            raise Moved(f"round {round_id} moved on from slot {first}")
        return last < end

    def _people(self, workspace_id: str, round_id: int, first: int, last: int
                ) -> dict[str, tuple[str, str]]:
        """Zone and display name of the members in slots ``first`` to ``last``."""
        default = self.ctx.members.workspace_defaults(workspace_id)[0]
        rows = self.db.execute(
            "SELECT m.user_id, m.timezone, m.display_name FROM pairing_round_members p"
            " JOIN members m ON m.workspace_id = p.workspace_id AND m.user_id = p.user_id"
            " WHERE p.round_id = ? AND p.slot >= ? AND p.slot < ?", [round_id, first, last],
        ).fetchall()
        return {user: (zone or default, name or "") for user, zone, name in rows}

    def queue_all(self, round_id: int) -> None:
        """Every remaining introduction inside the caller's one unit of work."""
        while self.queue_step(round_id):
            pass

    # ---- each step its own unit -------------------------------------------------------

    def finish(self, round_id: int, *, pause: Callable[[float], None] | None = None) -> bool:
        """Queue the round's remaining introductions, one unit of work per step; True
        when all are queued (False: a step failed; the pairing tick resumes it).
        ``pause`` (default :func:`between_steps`) runs between two steps, no lock held."""
        pause = pause or between_steps
        more, steps, began = True, 0, time.monotonic()
        while more:
            started = time.monotonic()
            steps += 1
            committed, more = step(self.db, "pairing introductions",
                                   lambda: self.queue_step(round_id))
            if not committed:
                return self.introducing(round_id) is None
            if more:
                pause(min(time.monotonic() - started, MAX_PAUSE))
        log.info("round %s: introductions queued in %d step(s), %.2f s", round_id, steps,
                 time.monotonic() - began)
        return True

    def introducing(self, round_id: int) -> int | None:
        row = self.db.execute("SELECT intro_next FROM pairing_rounds WHERE id = ?",
                              [round_id]).fetchone()
        return row[0] if row else None

    def unfinished(self) -> list[int]:
        """Started rounds whose introductions are not all queued (a restart mid-way)."""
        rows = self.db.execute(
            "SELECT id FROM pairing_rounds WHERE intro_next IS NOT NULL ORDER BY id").fetchall()
        return [r[0] for r in rows]

    def finish_all(self, *, pause: Callable[[float], None] | None = None) -> int:
        """Finish every unfinished round; returns how many were finished."""
        return sum(self.finish(round_id, pause=pause) for round_id in self.unfinished())
