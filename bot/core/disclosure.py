"""The one rule for showing counts about people to a facilitator: k, then dominance.

Every figure about answers that a facilitator sees (the check-in pulse, the "Did you
meet?" participation in it) is a row of counts over cells (bands of a question, or
met / not yet / couldn't). :func:`verdict` decides whether that row may be shown:

* **k distinct respondents.** Fewer than ``k`` people behind the row: nothing but that
  fact is shown.
* **Dominance.** No cell may hold ``n - 1`` or more of the ``n`` answers. If it did, a
  viewer who answered too would subtract their own answer and know the answer of every
  other respondent (the viewer's own answer would be the key to the rest); and a cell
  holding all ``n`` reveals everyone to anyone who knows who answered. With at most
  ``n - 2`` in every cell, the others' answers always fall in at least two cells,
  whichever cell the viewer's own answer is in, so nobody's cell can be deduced.

Callers coarsen first (answers into bands) and freeze what they decided, so two views
of the same period can never be differenced. This module is pure: no store, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class Verdict(StrEnum):
    """What may be shown of one row of counts; the value is what is stored."""

    SHOWN = "shown"
    FEW = "few"  # fewer than k distinct respondents
    DOMINANT = "dominant"  # one cell holds all, or all but one, of the answers


def verdict(counts: Sequence[int], k: int) -> Verdict:
    """May these per-cell counts (one answer per distinct person) be shown?"""
    n = sum(counts)
    if n < max(k, 3):
        return Verdict.FEW
    if max(counts, default=0) >= n - 1:
        return Verdict.DOMINANT
    return Verdict.SHOWN

