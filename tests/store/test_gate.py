"""The write gate: this process's units of work take the write lock in the order they asked.

SQLite's own busy handler polls (1 ms ... 100 ms apart), so a lane that writes all the
time re-takes the lock while a member's command sleeps between polls. These tests pin
the gate's promises: first come, first served; a waiter that gives up (its ``wait``
passed) is skipped, not waited for; a unit that raises still lets the next one in; a
member's command past its wait is told "busy" (StoreBusy) and nothing was written.
"""

from __future__ import annotations

import threading
import time

import pytest

from bot.store.db import StoreBusy, open_database, unit_of_work
from bot.store.gate import WriteGate


def test_waiters_are_served_in_the_order_they_asked():
    gate = WriteGate()
    assert gate.acquire()
    order: list[int] = []
    threads = []
    for n in range(5):
        thread = threading.Thread(target=lambda n=n: (gate.acquire(), order.append(n),
                                                      gate.release()))
        thread.start()
        threads.append(thread)
        time.sleep(0.05)  # each asks after the one before
    gate.release()
    for thread in threads:
        thread.join(5)
    assert order == [0, 1, 2, 3, 4]


def test_a_waiter_that_gives_up_is_skipped():
    gate = WriteGate()
    assert gate.acquire()
    assert gate.acquire(timeout=0.05) is False  # gave up: its turn must not block others
    later = threading.Event()
    thread = threading.Thread(target=lambda: (gate.acquire(), later.set(), gate.release()))
    thread.start()
    gate.release()
    assert later.wait(5)
    thread.join(5)
    assert gate.acquire(timeout=1)


def test_units_on_two_connections_queue_at_the_gate_and_a_failed_one_lets_the_next_in(
        tmp_path):
    path = tmp_path / "gate.sqlite"
    first, second = open_database(path), open_database(path, migrate=False)
    first.write_gate = second.write_gate = WriteGate()
    first.execute("CREATE TABLE t (x)")
    first.conn.commit()
    with pytest.raises(RuntimeError), unit_of_work(first):
        first.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("rolled back")
    with unit_of_work(second):  # the gate was released by the rollback
        second.execute("INSERT INTO t VALUES (2)")
    held = threading.Event()
    done = threading.Event()

    def hold() -> None:
        with unit_of_work(first):
            first.execute("INSERT INTO t VALUES (3)")
            held.set()
            done.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(5)
    started = time.monotonic()
    with pytest.raises(StoreBusy), unit_of_work(second, wait=0.2):
        second.execute("INSERT INTO t VALUES (4)")
    assert time.monotonic() - started < 2  # told busy at its wait, not SQLite's 30 s
    done.set()
    thread.join(5)
    assert [r[0] for r in second.execute("SELECT x FROM t ORDER BY x").fetchall()] == [2, 3]
    first.close()
    second.close()


def test_every_lane_of_the_runtime_shares_the_gate(tmp_path):
    from bot.core.lifecycle import lane_context
    from tests.support.world import World

    w = World(tmp_path)
    w.db.write_gate = gate = WriteGate()
    lane = lane_context(w.ctx)
    assert lane.db is not w.db and lane.db.write_gate is gate
    lane.db.close()
