"""Per-member flood control for commands and clicks: a token bucket per person.

Each person may send ``burst`` requests at once, then ``rate`` a second (defaults: 10,
then 1 a second). Past that the request is answered with a calm "slow down" before any
unit of work opens, so a flood costs no database write and delays nobody else. Buckets
live in the running process (one per database, by the instance lock) and are keyed by
workspace and platform id; a bucket that has refilled is forgotten, so memory stays
bounded by the people active in the last ``burst / rate`` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.ports import Clock

SLOW_DOWN = ("You're sending requests faster than I can take them, so I skipped that one "
             "and nothing was changed. Please wait a few seconds and try again.")
PRUNE_AT = 10_000


@dataclass
class CommandLimiter:
    clock: Clock
    burst: int = 10
    rate: float = 1.0
    _buckets: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)

    def allow(self, workspace_id: str, user_id: str) -> bool:
        """Take one token from this person's bucket; False when it is empty."""
        now = self.clock.now().timestamp()
        key = (workspace_id, user_id)
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + max(0.0, now - last) * self.rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > PRUNE_AT:
            self._prune(now)
        return True

    def _prune(self, now: float) -> None:
        full = [k for k, (tokens, last) in self._buckets.items()
                if tokens + (now - last) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]
