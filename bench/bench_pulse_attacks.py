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
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.checkins.questions import DEFAULT_SET
from bot.core.config import Question, QuestionOption
from tests.support.pulse_attack import attack, current_view, old_view


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


def main() -> None:
    for name, view in (("today's pulse", current_view), ("pulse before issue 12", old_view)):
        tried, revealed, example = run(view)
        print(f"{name}: {tried} cases tried, {revealed} revealed"
              + (f" (e.g. {example[0]}, k={example[1]}, viewer {example[2]}, others "
                 f"{list(example[3])})" if example else ""))


if __name__ == "__main__":
    main()
