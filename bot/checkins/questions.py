"""Check-in question sets: the built-in default and the ones configured in `[[question_sets]]`.

The default asks two one-tap questions: mood (1-5) and the single-item burnout measure.

The burnout item is the single-item measure validated against the Maslach Burnout
Inventory by Rohland, Kruse and Rohrer, "Validation of a single-item measure of burnout
against the Maslach Burnout Inventory among physicians", Stress and Health 20(2):75-79
(2004), and later by Dolan et al., J Gen Intern Med 30(5):582-587 (2015). It is the
burnout item of the Mini-Z clinician worklife survey (Linzer et al.). The statements are
quoted in full in the prompt text; button labels are shortened to fit the platforms'
75-character limit. Answers 3 and above are the conventional "burnout" cut-off; the
bot's low-score support uses ``pulse.low_score_threshold`` (default 4).

Every question says which end is concerning (``Question.concerning``): mood at the low
end (1-2), burnout at the high end (from ``pulse.low_score_threshold``). The support
reply, the buddy trigger and the history legend read it through :func:`is_concerning`
and :func:`harder_end`; the pulse coarsens answers into :func:`bands` before it shows
any count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.config import Question, QuestionOption, QuestionSet, Settings

BURNOUT_KEY = "burnout"

BURNOUT_STATEMENTS = (
    "I enjoy my work. I have no symptoms of burnout.",
    "Occasionally I am under stress, and I don't always have as much energy as before, "
    "but I don't feel burned out.",
    "I am definitely burning out and have one or more symptoms of burnout, such as "
    "physical and emotional exhaustion.",
    "The symptoms of burnout that I'm experiencing won't go away. I think about "
    "frustration at work a lot.",
    "I feel completely burned out and often wonder if I can go on. I am at the point where "
    "I may need some changes or may need to seek some sort of help.",
)
BURNOUT_LABELS = (
    "1 · I enjoy my work; no symptoms of burnout",
    "2 · Occasionally stressed, but not burned out",
    "3 · Definitely burning out; some symptoms",
    "4 · Burnout symptoms won't go away",
    "5 · Completely burned out; may need help",
)

DEFAULT_SET = QuestionSet(
    name="default",
    questions=[
        Question(
            key="mood",
            text="How has your mood been today?",
            concerning="low",
            options=[
                QuestionOption(label=label, value=value)
                for value, label in enumerate(
                    ("1 · Very low", "2 · Low", "3 · Okay", "4 · Good", "5 · Very good"), start=1
                )
            ],
        ),
        Question(
            key=BURNOUT_KEY,
            text="Using your own definition of burnout, which fits best?",
            concerning="high",
            options=[
                QuestionOption(label=label, value=value)
                for value, label in enumerate(BURNOUT_LABELS, start=1)
            ],
        ),
    ],
)


_BUILTIN_BURNOUT = DEFAULT_SET.questions[1]

# Small print shown under a question's buttons: the burnout statements in full, since
# the validated item is the full wording, not the shortened button labels.
DETAILS = {
    BURNOUT_KEY: " ".join(f"{i}. {s}" for i, s in enumerate(BURNOUT_STATEMENTS, start=1)),
}
DETAIL_STATEMENTS = {BURNOUT_KEY: BURNOUT_STATEMENTS}
DETAIL_SOURCES = {BURNOUT_KEY: (
    "The single-item burnout measure, in its validated wording (Rohland, Kruse and "
    "Rohrer, Stress and Health, 2004; Dolan et al., J Gen Intern Med, 2015). The buttons "
    "are shortened to fit; your tap means the full statement of its number.")}


def question_set(settings: Settings, name: str) -> QuestionSet:
    """The named set; unknown names (a set removed from the config) fall back to default."""
    for qs in settings.question_sets:
        if qs.name == name:
            return qs
    return DEFAULT_SET


def find_question(qs: QuestionSet, key: str) -> Question | None:
    return next((q for q in qs.questions if q.key == key), None)


def option_label(question: Question, value: int) -> str:
    return next((o.label for o in question.options if o.value == value), str(value))


def value_range(question: Question) -> tuple[int, int]:
    values = [o.value for o in question.options]
    return min(values), max(values)


def all_questions(settings: Settings) -> dict[str, Question]:
    """Every question key known to this config, first definition wins (default first)."""
    found: dict[str, Question] = {}
    for qs in (DEFAULT_SET, *settings.question_sets):
        for q in qs.questions:
            found.setdefault(q.key, q)
    return found


def short_name(question: Question) -> str:
    """A one-word name for charts: the key, capitalised ("Mood", "Burnout")."""
    return question.key.replace("_", " ").capitalize()


# ---- which end is concerning ---------------------------------------------------------------


def _ordered(question: Question) -> list[int]:
    """Option values from the concerning end inwards (ascending for ``neither``)."""
    values = sorted(o.value for o in question.options)
    return values[::-1] if question.concerning == "high" else values


def concerning_values(question: Question, settings: Settings) -> frozenset[int]:
    """The option values that count as struggling; empty for ``concerning = neither``."""
    if question.concerning == "neither":
        return frozenset()
    start = question.concerning_from
    if start is None and question is _BUILTIN_BURNOUT:
        start = settings.pulse.low_score_threshold
    if start is None:
        ordered = _ordered(question)
        start = ordered[1 if len(ordered) >= 5 else 0]
    if question.concerning == "high":
        return frozenset(v for v in _ordered(question) if v >= start)
    return frozenset(v for v in _ordered(question) if v <= start)


def is_concerning(question: Question | None, value: int, settings: Settings) -> bool:
    return question is not None and value in concerning_values(question, settings)


def harder_end(question: Question) -> str:
    """For a legend: "higher is harder", "lower is harder", or "" when neither is."""
    return {"high": "higher is harder", "low": "lower is harder"}.get(question.concerning, "")


# ---- bands: how the pulse coarsens answers -------------------------------------------------

_NUMBERED = re.compile(r"^\s*\d+\s*[·.:)-]\s*")
NUMBERED = _NUMBERED  # "4 · Good" -> "Good" (bot.checkins.messages words answers)


@dataclass(frozen=True)
class Band:
    """A run of neighbouring option values the pulse counts as one."""

    index: int
    values: tuple[int, ...]
    label: str

    def holds(self, value: int) -> bool:
        return value in self.values


def bands(question: Question) -> list[Band]:
    """The question's options, ascending, in at most three bands.

    Two or three options stay as they are; four become two halves; five or more become
    an end, a middle and an end (five: 1-2, 3, 4-5). Labels are the value range when the
    option labels are numbered ("1–2"), else the first and last label ("None–Little").
    """
    options = sorted(question.options, key=lambda o: o.value)
    m = len(options)
    if m <= 3:
        sizes = [1] * m
    elif m == 4:
        sizes = [2, 2]
    else:
        edge = (2 * m) // 5
        sizes = [edge, m - 2 * edge, edge]
    numbered = all(_NUMBERED.match(o.label) for o in options)
    found: list[Band] = []
    start = 0
    for index, size in enumerate(sizes):
        run = options[start:start + size]
        start += size
        if numbered:
            ends = [str(run[0].value), str(run[-1].value)]
        else:
            ends = [run[0].label, run[-1].label]
        label = ends[0] if len(run) == 1 else "–".join(ends)
        found.append(Band(index, tuple(o.value for o in run), label))
    return found


def band_of(question: Question, value: int) -> int | None:
    return next((b.index for b in bands(question) if b.holds(value)), None)


def scale_legend(question: Question) -> str:
    """"1 = Very low … 5 = Very good" for numbered options; "" when the labels say it."""
    options = sorted(question.options, key=lambda o: o.value)
    if not all(_NUMBERED.match(o.label) for o in options):
        return ""
    low, high = options[0], options[-1]
    return (f"{low.value} = {_NUMBERED.sub('', low.label)} … "
            f"{high.value} = {_NUMBERED.sub('', high.label)}")
