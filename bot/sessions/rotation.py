"""Who takes which role in each upcoming session: a pure function, no store, no clock.

The rule, in the order it decides:

1. A *fixed* assignment (its holder was told, or swapped into it) stays, as long as the
   holder is still available for that session and has not opted out of the role.
2. Every other role goes to the available member with the **fewest roles served**, then
   the one who **served least recently**, then the one who has done **this role**
   least often, then the member list's order (so the plan is predictable: the same
   inputs give the same roster).
3. Nobody takes two roles in one session; a role nobody can take stays open (None).

"Fewest served first" is what makes "nobody twice before everyone once" true among the
members available; each planned session counts towards the next, so the roster for
the next N sessions is this function run forward. Among members who are always
available, the counts therefore never differ by more than one (tests/sessions/
test_rotation.py checks it over 20 sessions with pauses, declines and swaps).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

NEVER = -1


@dataclass(frozen=True)
class Slot:
    """One upcoming session to plan."""

    key: int
    unavailable: frozenset[str] = frozenset()  # declined, stepped down or not going
    fixed: Mapping[str, str] = field(default_factory=dict)  # role -> member, kept


@dataclass
class Record:
    """What a member has served so far: how often, when last (a session position), per role."""

    count: int = 0
    last: int = NEVER
    roles: dict[str, int] = field(default_factory=dict)

    def serve(self, role: str, position: int) -> None:
        self.count += 1
        self.last = max(self.last, position)
        self.roles[role] = self.roles.get(role, 0) + 1


def history_from(served: Sequence[tuple[int, str, str]]) -> dict[str, Record]:
    """(position, role, member) rows of sessions that took place -> each member's record."""
    records: dict[str, Record] = {}
    for position, role, member in served:
        records.setdefault(member, Record()).serve(role, position)
    return records


def plan(roles: Sequence[str], members: Sequence[str], history: Mapping[str, Record],
         slots: Sequence[Slot], optouts: Mapping[str, frozenset[str]] | None = None,
         start: int = 0) -> list[dict[str, str | None]]:
    """The assignment of ``roles`` for each slot in order; ``start`` is the position of
    the first slot (after every position in ``history``).

    A fixed assignment in a *later* slot only breaks ties when an earlier slot is
    planned: someone who traded this session for a later one goes after others with as
    few roles served, but is not passed over for someone who served more (counting the
    later turn as served already let a swap cost its giver a turn: a hypothesis case).
    """
    optouts = optouts or {}
    records = {m: Record(r.count, r.last, dict(r.roles)) for m, r in history.items()}
    order = {m: i for i, m in enumerate(members)}

    def keeps(slot: Slot, member: str, role: str) -> bool:
        return (member in order and member not in slot.unavailable
                and role not in optouts.get(member, frozenset()))

    ahead = [(start + i, role, member) for i, slot in enumerate(slots)
             for role, member in slot.fixed.items() if keeps(slot, member, role)]
    result: list[dict[str, str | None]] = []
    for offset, slot in enumerate(slots):
        position = start + offset
        taken: set[str] = set()
        chosen: dict[str, str | None] = {}
        later = history_from([row for row in ahead if row[0] > position])

        def can(member: str, role: str, slot: Slot = slot, taken: set[str] = taken) -> bool:
            return keeps(slot, member, role) and member not in taken

        for role in roles:  # fixed ones first, so they are never taken by someone else
            holder = slot.fixed.get(role)
            if holder is not None and can(holder, role):
                chosen[role] = holder
                taken.add(holder)
        for role in roles:
            if role in chosen:
                continue
            eligible = [m for m in members if can(m, role)]
            if not eligible:
                chosen[role] = None
                continue
            pick = min(eligible, key=lambda m, r=role: _key(
                records.get(m), m in later, r, order[m]))
            chosen[role] = pick
            taken.add(pick)
        for role in roles:
            holder = chosen[role]
            if holder is not None:
                records.setdefault(holder, Record()).serve(role, position)
        result.append({role: chosen[role] for role in roles})
    return result


def _key(record: Record | None, owed_later: bool, role: str,
         index: int) -> tuple[int, bool, int, int, int]:
    if record is None:
        return (0, owed_later, NEVER, 0, index)
    return (record.count, owed_later, record.last, record.roles.get(role, 0), index)


def next_in_line(roles: Sequence[str], members: Sequence[str], history: Mapping[str, Record],
                 slot: Slot, role: str, optouts: Mapping[str, frozenset[str]] | None = None,
                 start: int = 0) -> str | None:
    """Who the rule picks for ``role`` in ``slot`` when everyone else keeps theirs."""
    kept = {r: m for r, m in slot.fixed.items() if r != role}
    planned = plan(roles, members, history, [Slot(slot.key, slot.unavailable, kept)],
                   optouts, start)
    return planned[0][role]
