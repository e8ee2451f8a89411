"""discord.py's per-route rate-limit buckets, swept in amortised constant time.

discord.py keeps one ``Ratelimit`` per route and major parameter: a DM to each member
is its own channel, so a round to 5,000 members makes 5,000 buckets. Each time a new
bucket is made while 256 or more exist, ``HTTPClient._try_clear_expired_ratelimits``
walks *every* bucket to drop those idle for 5 minutes: a fan-out to n new channels
costs n²/2 checks (12.5 million for 5,000 members; measured about 1 ms of CPU per
message, a third of the bot's whole cost per Discord message).

:func:`amortise_bucket_sweep` keeps discord.py's rule (an idle bucket is dropped, an
active one never) but sweeps only once the number of buckets has doubled since the last
sweep: never more than twice the buckets kept at the last sweep, and each new bucket
costs O(1) checks on average. It replaces the method on one client's HTTPClient
instance; if a discord.py release renames what it relies on, it leaves the client as
it is (tests/adapters/discord/test_buckets.py fails loudly on such a release).
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("peerbot.discord.buckets")

FLOOR = 256  # discord.py's own threshold: below it, no sweep at all


def amortise_bucket_sweep(http: Any) -> bool:
    """Replace ``http``'s sweep with the amortised one; whether it could."""
    buckets = getattr(http, "_buckets", None)
    if not isinstance(buckets, dict) or not hasattr(http, "_try_clear_expired_ratelimits"):
        log.warning("discord.py's rate-limit buckets changed shape: sweep left as it is")
        return False
    threshold = FLOOR

    def sweep() -> None:
        nonlocal threshold
        if len(buckets) < threshold:
            return
        for key in [key for key, bucket in buckets.items() if bucket.is_inactive()]:
            del buckets[key]
        threshold = max(FLOOR, 2 * len(buckets))

    http._try_clear_expired_ratelimits = sweep
    return True
