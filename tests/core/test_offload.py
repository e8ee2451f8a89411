"""Sync core work off the event loop: lanes run in order on their own thread; compute
runs in another process and refuses to block the loop."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest

from bot.core.offload import Compute, Lane


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


async def test_a_lane_runs_calls_in_order_on_one_thread_off_the_loop():
    lane = Lane("test")
    seen: list[tuple[int, str]] = []

    def work(n: int) -> int:
        seen.append((n, threading.current_thread().name))
        return n

    try:
        results = await asyncio.gather(*(lane.run(work, n) for n in range(20)))
    finally:
        lane.close()
    assert results == list(range(20))
    assert [n for n, _ in seen] == list(range(20))
    names = {name for _, name in seen}
    assert len(names) == 1 and names != {threading.current_thread().name}


async def test_the_loop_keeps_running_while_a_lane_blocks():
    lane = Lane("test")
    ticks = 0
    release = threading.Event()

    async def ticker():
        nonlocal ticks
        while not release.is_set():
            ticks += 1
            await asyncio.sleep(0.01)

    running = asyncio.get_running_loop().create_task(ticker())
    try:
        blocked = lane.run(release.wait, 0.5)  # a unit waiting out a lock
        assert await blocked is False
    finally:
        release.set()
        await running
        lane.close()
    assert ticks >= 10  # the loop was free the whole time


async def test_an_error_in_a_lane_reaches_the_caller_and_the_lane_goes_on():
    lane = Lane("test")

    def boom() -> None:
        raise ValueError("no")

    try:
        with pytest.raises(ValueError):
            await lane.run(boom)
        assert await lane.run(lambda: 7) == 7
    finally:
        lane.close()


async def test_compute_runs_in_another_process():
    compute = Compute()
    try:
        pid, value = await compute.run_async(_pid_and_square, 12)
        in_thread = await asyncio.to_thread(compute.run, _pid_and_square, 3)
    finally:
        compute.close()
    assert value == 144 and pid != os.getpid()
    assert in_thread[1] == 9 and in_thread[0] != os.getpid()


async def test_compute_refuses_to_block_the_event_loop():
    compute = Compute()
    try:
        with pytest.raises(RuntimeError, match="block the event loop"):
            compute.run(_pid_and_square, 2)
    finally:
        compute.close()


async def test_inline_compute_runs_in_the_caller():
    assert Compute.in_process().run(_pid_and_square, 4) == (os.getpid(), 16)
    assert await Compute.in_process().run_async(_pid_and_square, 5) == (os.getpid(), 25)


PARENT = """
import os, sys, time
from bot.core.offload import Compute
compute = Compute()
print(compute.run(os.getpid), flush=True)  # the worker's pid, once it is running
time.sleep(120)
"""


def test_a_worker_ends_when_the_bot_is_killed(tmp_path):
    """kill -9 gives the bot no chance to shut its pool down: the worker must notice."""
    import os
    import signal
    import subprocess
    import sys
    import time

    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE,
                              text=True, cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        worker = int(parent.stdout.readline())
        os.kill(worker, 0)  # alive while the bot is
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        for _ in range(300):  # a bounded wait for the behaviour, not a speed figure
            if not _running(worker):
                break
            time.sleep(0.1)
        else:
            os.kill(worker, signal.SIGKILL)
            raise AssertionError("the worker outlived the bot by 30 s")
    finally:
        if parent.poll() is None:
            parent.kill()


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for whoever adopted it to reap it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
