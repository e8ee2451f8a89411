"""A time budget for one whole match, read on a clock the caller injects.

The engine is pure and reads no clock of its own: the caller (the worker process,
``bot.pairing.engine.match_within``) starts a :class:`Budget` on ``time.monotonic``
before it even decodes the inputs, and the engine asks it how much is left. The
budget covers the whole match, not one phase: indexing the inputs, the candidate
graph, the windows, and the finishing work after them (leftovers, the trio, the
score). Only the optional improvement (the seam windows) is cut to keep it; the
steps every round needs always run, so a machine too slow for the budget is late
rather than wrong.

How much the finishing work will take is not known in seconds beforehand, and this
machine's speed varies from minute to minute (the same round took 2.5 s and 3.6 s
on a quiet machine ten minutes apart). So the engine measures as it goes: the
finishing work is a share of what the set-up took on the same machine in the same
run (:data:`FINISH_SHARE`), and a further window is started only if the slowest
window so far still fits before that reserve.
"""

from __future__ import annotations

from collections.abc import Callable

# The finishing work (members left alone, the trio, the score) against the set-up
# (inputs, masks, the candidate graph) in the same run: about 0.1 at 20,000 members;
# kept at twice that, so a slow minute does not push a round past its budget.
FINISH_SHARE = 0.2


class Budget:
    """Seconds for one match, from when it was created, on ``clock``."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.start = clock()
        self.deadline = self.start + seconds

    def spent(self) -> float:
        """Seconds since the budget started."""
        return self.clock() - self.start

    def left(self) -> float:
        """Seconds until the deadline (negative once past it)."""
        return self.deadline - self.clock()

    def reserve(self) -> float:
        """Seconds to keep for the finishing work, judged from the set-up so far."""
        return FINISH_SHARE * self.spent()
