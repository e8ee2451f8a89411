"""The rotation rule (bot/sessions/rotation.py), pure: fair, predictable, respectful."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.sessions.rotation import Record, Slot, history_from, next_in_line, plan

ROLES = ["lead", "case", "research", "time"]


def run(roles, members, slots, optouts=None, history=None):
    return plan(roles, members, history or {}, slots, optouts or {})


def test_nobody_twice_before_everyone_once():
    members = ["a", "b", "c", "d", "e", "f"]
    rows = run(["lead", "case"], members, [Slot(i) for i in range(3)])
    served = [m for row in rows for m in row.values()]
    assert sorted(served) == members  # six roles over three sessions: everyone exactly once


def test_least_recently_served_first_and_the_same_inputs_give_the_same_roster():
    history = history_from([(0, "lead", "a"), (1, "lead", "b"), (2, "lead", "c")])
    first = run(["lead"], ["a", "b", "c"], [Slot(0)], history=history)
    assert first == [{"lead": "a"}]  # all served once: a served longest ago
    assert run(["lead"], ["a", "b", "c"], [Slot(0)], history=history) == first


def test_unavailable_opted_out_and_fixed_are_respected():
    rows = run(["lead", "case"], ["a", "b", "c"],
               [Slot(0, unavailable=frozenset({"a"}), fixed={"case": "c"})],
               optouts={"b": frozenset({"case"})})
    assert rows == [{"lead": "b", "case": "c"}]


def test_a_fixed_holder_who_became_unavailable_is_replaced_by_the_next_in_line():
    rows = run(["lead"], ["a", "b"], [Slot(0, unavailable=frozenset({"a"}), fixed={"lead": "a"})])
    assert rows == [{"lead": "b"}]
    assert next_in_line(["lead"], ["a", "b"], {}, Slot(0, frozenset({"a"})), "lead") == "b"


def test_a_role_nobody_can_take_stays_open_and_nobody_takes_two():
    assert run(ROLES, ["a", "b"], [Slot(0)]) == [
        {"lead": "a", "case": "b", "research": None, "time": None}]
    assert run(["lead"], ["a"], [Slot(0, unavailable=frozenset({"a"}))]) == [{"lead": None}]


def test_someone_back_from_a_pause_goes_first_but_once_per_session():
    history = {"a": Record(3, 5), "b": Record(3, 4), "c": Record(0)}
    rows = run(["lead", "case"], ["a", "b", "c"], [Slot(0)], history=history)
    assert rows == [{"lead": "c", "case": "b"}]  # c first; b served less recently than a


@st.composite
def scenarios(draw):
    steady = [f"s{i}" for i in range(draw(st.integers(2, 6)))]
    pausing = [f"p{i}" for i in range(draw(st.integers(0, 3)))]
    roles = ROLES[: draw(st.integers(1, 4))]
    away = [frozenset(p for p in pausing if draw(st.booleans())) for _ in range(20)]
    swaps = [draw(st.tuples(st.integers(0, 9), st.integers(0, 9), st.booleans()))
             if draw(st.integers(0, 2)) == 0 else None for _ in range(20)]
    return steady, pausing, roles, away, swaps


# Found by hypothesis: s1 traded session 17 for s2's turn in 19 and, with that later turn
# counted as served already, was passed over in 18 and ended two roles behind.
_AWAY = [frozenset({"p0"}) if i in (0, 7, 8, 9, 10, 11, 12, 16, 18, 19) else frozenset()
         for i in range(20)]
_SWAPS = [{3: (0, 0, False), 6: (0, 0, False), 13: (0, 1, False), 17: (1, 2, True)}.get(i)
          for i in range(20)]


@settings(max_examples=150, deadline=None)
@given(scenarios())
@example((["s0", "s1", "s2", "s3"], ["p0"], ["lead", "case", "research"], _AWAY, _SWAPS))
def test_over_20_sessions_with_pauses_and_swaps_the_always_available_stay_within_one(case):
    """The issue's promise: max - min roles served <= 1 among always-available members.

    Each session is planned with the next three ahead (as the bot does); a swap either
    trades roles inside the session or trades this session's role for the other
    member's next turn (both fixed, as an accepted swap is); members in ``pausing`` are
    away at random sessions."""
    steady, pausing, roles, away, swaps = case
    members = sorted(steady + pausing)
    served: list[tuple[int, str, str]] = []
    fixed: dict[int, dict[str, str]] = {}
    for index in range(20):
        ahead = [i for i in range(index, min(index + 3, 20))]
        slots = [Slot(i, away[i], fixed.get(i, {})) for i in ahead]
        rows = plan(roles, members, history_from(served), slots, {}, index)
        swap = swaps[index]
        if swap is not None:
            row = rows[0]
            holders = [(r, m) for r, m in row.items() if m in steady]
            if holders:
                role, giver = holders[swap[0] % len(holders)]
                taker = steady[swap[1] % len(steady)]
                theirs = next((r for r, m in row.items() if m == taker), None)
                if taker != giver and theirs is not None:
                    fixed.setdefault(index, {}).update({role: taker, theirs: giver})
                elif taker != giver and swap[2]:
                    later = next(((i, r) for i, later_row in zip(ahead[1:], rows[1:], strict=True)
                                  for r, m in later_row.items() if m == taker
                                  and giver not in later_row.values()), None)
                    if later is not None:
                        fixed.setdefault(index, {})[role] = taker
                        fixed.setdefault(later[0], {})[later[1]] = giver
            rows = plan(roles, members, history_from(served),
                        [Slot(i, away[i], fixed.get(i, {})) for i in ahead], {}, index)
        for role, member in rows[0].items():
            if member is not None:
                served.append((index, role, member))
    counts = {m: sum(1 for _, _, who in served if who == m) for m in steady}
    assert max(counts.values()) - min(counts.values()) <= 1, (counts, served)
