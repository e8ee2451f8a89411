"""Every pulse attack we can enumerate, tried: cases tried and answers revealed.

Run: ``.venv/bin/python bench/bench_pulse_attacks.py``

For each question shape (the built-in mood and burnout items, and configured questions
of 2, 3, 4, 6, 7 and 10 options), each k from 3 to 6, each number of *other*
respondents (0 to 8; 0 to 5 for ten options), and each position of the viewer (did not
answer, or answered any one value), every possible pattern of the others' answers is
one case. The brute-force viewer of tests/support/pulse_attack.py sees what the pulse
shows for that case, knows exactly who answered, tries every pattern that would show
the same, and counts the case as **revealed** when it can pin some other respondent to
one band. Run against today's rule (bands, k per question, dominance, see
bot/core/disclosure.py) and, for contrast, against the rule before issue 12 (exact
counts once k answered and not everyone gave the same answer). Goal: 0 revealed.
One view per week is all there is: a shown week is frozen, so later views repeat it
(tests/checkins/test_pulse_attacks.py checks that on the real service).

Overlapping groups: one facilitator sees two groups' pulses of the same week. Every
membership of 1 to 4 others (each in group 1, group 2 or both), every placement of the
members in both (which pulse counts them: one group per member per week, today's rule;
or both pulses, the rule before), the viewer not answering or answering any value in
either group, k from 3 to 5, the mood question: every pattern of the others' answers
(a person answers alike in both groups) is one case.
"""

from __future__ import annotations

import sys
from itertools import product
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.checkins.questions import DEFAULT_SET
from bot.core.config import Question, QuestionOption
from tests.support.pulse_attack import attack, current_view, each_group, old_view, overlap_attack


def shapes() -> list[Question]:
    found = list(DEFAULT_SET.questions)
    for size in (2, 3, 4, 6, 7, 10):
        found.append(Question(key=f"q{size}", text="?", concerning="low", options=[
            QuestionOption(label=f"option {v}", value=v) for v in range(1, size + 1)]))
    return found


def run(view) -> tuple[int, int, tuple | None]:
    tried = revealed = 0
    example = None
    for question in shapes():
        values = [o.value for o in question.options]
        most = 5 if len(values) >= 10 else 8
        for k in range(3, 7):
            for others in range(0, most + 1):
                for own in [None, *values]:
                    outcome = attack(question, others, own, k, view)
                    tried += outcome.tried
                    revealed += outcome.revealed
                    if outcome.example and example is None:
                        example = (question.key, k, own, outcome.example)
    return tried, revealed, example


def memberships(most: int):
    for size in range(1, most + 1):
        yield from product(["1", "2", "both"], repeat=size)


def run_overlap(rule: str) -> tuple[int, int]:
    tried = revealed = 0
    question = DEFAULT_SET.questions[0]
    values = [o.value for o in question.options]
    for members in memberships(4):
        both = [i for i, m in enumerate(members) if m == "both"]
        if rule == "each":
            placements_all = [[each_group(m) for m in members]]
        else:
            placements_all = []
            for choice in product(["1", "2"], repeat=len(both)):
                placed = list(members)
                for index, side in zip(both, choice, strict=True):
                    placed[index] = side
                placements_all.append(placed)
        for placements in placements_all:
            for k in range(3, 6):
                for own in [None, *values]:
                    for side in (["1"] if own is None else ["1", "2"]):
                        outcome = overlap_attack(question, list(members), placements, own,
                                                 side if rule == "one" else "both", k)
                        tried += outcome.tried
                        revealed += outcome.revealed
    return tried, revealed


def main() -> None:
    for name, view in (("today's pulse", current_view), ("pulse before issue 12", old_view)):
        tried, revealed, example = run(view)
        print(f"{name}: {tried} cases tried, {revealed} revealed"
              + (f" (e.g. {example[0]}, k={example[1]}, viewer {example[2]}, others "
                 f"{list(example[3])})" if example else ""))
    if "--no-overlap" in sys.argv:
        return
    for name, rule in (("overlapping groups, one group per member per week", "one"),
                       ("overlapping groups, each answer in each group (before)", "each")):
        tried, revealed = run_overlap(rule)
        print(f"{name}: {tried} cases tried, {revealed} revealed")


if __name__ == "__main__":
    main()
