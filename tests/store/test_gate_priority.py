"""Members' units before background units at the write gate (bot/store/gate.py), and the
background never starved. Deterministic: every waiter is queued (``waiting()``) before
the next one asks, and the order is read from what each did when its turn came."""

from __future__ import annotations

import threading
import time

from bot.store.db import open_database, unit_of_work
from bot.store.gate import URGENT_RUN, WriteGate


def _queued(gate: WriteGate, expected: tuple[int, int]) -> None:
    for _ in range(500):
        if gate.waiting() == expected:
            return
        time.sleep(0.01)
    raise AssertionError(f"waiting {gate.waiting()}, expected {expected}")


def _served(gate: WriteGate, arrivals: list[tuple[str, bool]]) -> list[str]:
    """Hold the gate, queue ``arrivals`` (name, urgent) in that order, release: the order
    in which they were served (each releases at once)."""
    assert gate.acquire()
    order: list[str] = []
    threads = []
    urgent = background = 0
    for name, is_urgent in arrivals:
        thread = threading.Thread(target=lambda n=name, u=is_urgent: (
            gate.acquire(urgent=u), order.append(n), gate.release()))
        thread.start()
        threads.append(thread)
        urgent, background = urgent + is_urgent, background + (not is_urgent)
        _queued(gate, (urgent, background))
    gate.release()
    for thread in threads:
        thread.join(5)
    return order


def test_members_units_go_before_queued_background_units():
    gate = WriteGate()
    order = _served(gate, [("step1", False), ("settle", False), ("help", True),
                           ("tap", True)])
    assert order == ["help", "tap", "step1", "settle"]


def test_each_queue_is_first_come_first_served():
    gate = WriteGate()
    arrivals = [(f"bg{n}", False) for n in range(3)] + [(f"m{n}", True) for n in range(3)]
    order = _served(gate, arrivals)
    assert [n for n in order if n.startswith("m")] == ["m0", "m1", "m2"]
    assert [n for n in order if n.startswith("bg")] == ["bg0", "bg1", "bg2"]


def test_the_background_is_not_starved_by_a_flood_of_members():
    """After URGENT_RUN members' units in a row while a background unit waits, it goes."""
    gate = WriteGate()
    members = [(f"m{n}", True) for n in range(2 * URGENT_RUN + 1)]
    order = _served(gate, [("bg0", False), ("bg1", False), *members])
    assert order[:URGENT_RUN] == [f"m{n}" for n in range(URGENT_RUN)]
    assert order[URGENT_RUN] == "bg0"
    assert order[2 * URGENT_RUN + 1] == "bg1"
    assert sorted(order) == sorted(["bg0", "bg1", *(m for m, _ in members)])


def test_no_background_waiting_no_limit_on_members():
    gate = WriteGate()
    members = [(f"m{n}", True) for n in range(3 * URGENT_RUN)]
    assert _served(gate, members) == [m for m, _ in members]


def test_a_member_who_gives_up_leaves_the_queue():
    gate = WriteGate()
    assert gate.acquire()
    assert gate.acquire(timeout=0.05, urgent=True) is False
    assert gate.waiting() == (0, 0)
    served = threading.Event()
    thread = threading.Thread(target=lambda: (gate.acquire(), served.set(), gate.release()))
    thread.start()
    _queued(gate, (0, 1))
    gate.release()
    assert served.wait(5)
    thread.join(5)
    assert gate.acquire(timeout=1) and gate.waiting() == (0, 0)


def test_an_urgent_unit_of_work_commits_before_the_queued_background_one(tmp_path):
    """Through unit_of_work on two connections: the member's command, queued after the
    background step, writes first."""
    path = tmp_path / "gate.sqlite"
    first, second = open_database(path), open_database(path, migrate=False)
    first.write_gate = second.write_gate = gate = WriteGate()
    first.execute("CREATE TABLE t (x TEXT)")
    first.conn.commit()
    assert gate.acquire()  # someone holds it: both queue
    background = threading.Thread(target=lambda: _write(first, "background", False))
    background.start()
    _queued(gate, (0, 1))
    member = threading.Thread(target=lambda: _write(second, "member", True))
    member.start()
    _queued(gate, (1, 1))
    gate.release()
    background.join(5)
    member.join(5)
    rows = [r[0] for r in first.execute("SELECT x FROM t ORDER BY rowid").fetchall()]
    assert rows == ["member", "background"]
    first.close()
    second.close()


def _write(db, value: str, urgent: bool) -> None:
    with unit_of_work(db, urgent=urgent):
        db.execute("INSERT INTO t VALUES (?)", [value])


async def test_members_commands_ask_as_members_and_job_steps_as_background(tmp_path):
    from bot.core.jobs import step
    from tests.support.world import World

    asked: list[bool] = []

    class Spy(WriteGate):
        def acquire(self, timeout: float | None = None, *, urgent: bool = False) -> bool:
            asked.append(urgent)
            return super().acquire(timeout, urgent=urgent)

    w = World(tmp_path)
    w.db.write_gate = Spy()
    await w.command("ann", "help")
    assert asked and all(asked)
    asked.clear()
    step(w.db, "a job's step", lambda: None)
    assert asked == [False]
