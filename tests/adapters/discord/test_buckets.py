"""discord.py's rate-limit buckets: one per DM channel, swept in amortised constant time
(adapters/discord/buckets.py). Counted checks, not timings."""

from __future__ import annotations

import asyncio

import discord.http
import pytest

from adapters.discord.buckets import amortise_bucket_sweep
from adapters.discord.client import PeerClient


@pytest.fixture
def counted(monkeypatch):
    """Every ``Ratelimit.is_inactive`` call counted."""
    calls = {"n": 0}
    original = discord.http.Ratelimit.is_inactive

    def is_inactive(self):
        calls["n"] += 1
        return original(self)

    monkeypatch.setattr(discord.http.Ratelimit, "is_inactive", is_inactive)
    return calls


def _client() -> discord.http.HTTPClient:
    return discord.http.HTTPClient(asyncio.get_running_loop(), max_ratelimit_timeout=30.0)


async def test_discord_py_still_has_what_the_sweep_replaces():
    """A discord.py release that renames these must fail here, not silently go n²."""
    http = _client()
    assert isinstance(http._buckets, dict)
    assert callable(http._try_clear_expired_ratelimits)
    assert amortise_bucket_sweep(http)


async def test_stock_sweep_is_quadratic_and_ours_is_linear(counted):
    """5,000 new DM channels: discord.py's sweep checks millions of buckets, ours a few
    thousand (each new bucket costs O(1) checks on average)."""
    stock = _client()
    for n in range(3000):
        stock.get_ratelimit(f"channel:{n}")
    quadratic = counted["n"]
    counted["n"] = 0
    http = _client()
    amortise_bucket_sweep(http)
    for n in range(5000):
        http.get_ratelimit(f"channel:{n}")
    assert quadratic > 3000 * 1000  # the problem exists (about n²/2)
    assert counted["n"] < 3 * 5000
    assert len(http._buckets) == 5000  # all active: none dropped


async def test_idle_buckets_are_still_dropped_and_active_ones_kept(counted):
    """Buckets idle for discord.py's five minutes go; never more than twice the buckets
    kept at the last sweep; a bucket in use is never dropped."""
    http = _client()
    amortise_bucket_sweep(http)
    for n in range(1000):
        http.get_ratelimit(f"old:{n}")
    for bucket in http._buckets.values():
        bucket._last_request -= 301  # idle for over five minutes
    busy = http._buckets["old:7"]
    busy.outgoing = 1  # a request in flight: never inactive
    for n in range(2000):
        http.get_ratelimit(f"new:{n}")
        assert len(http._buckets) <= 2 * 1024  # twice the 1,0xx kept at a sweep
    assert len(http._buckets) < 2000 + 20
    assert http._buckets["old:7"] is busy
    assert not any(k.startswith("old:") and k != "old:7" for k in http._buckets)


async def test_the_peerbot_client_uses_the_amortised_sweep(counted):
    client = PeerClient(adapter=None)  # type: ignore[arg-type]
    for n in range(3000):
        client.http.get_ratelimit(f"channel:{n}")
    assert counted["n"] < 3 * 3000
    await client.close()
