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
"""

from __future__ import annotations

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
            options=[
                QuestionOption(label=label, value=value)
                for value, label in enumerate(BURNOUT_LABELS, start=1)
            ],
        ),
    ],
)


# Small print shown under a question's buttons: the burnout statements in full, since
# the validated item is the full wording, not the shortened button labels.
DETAILS = {
    BURNOUT_KEY: " ".join(f"{i}. {s}" for i, s in enumerate(BURNOUT_STATEMENTS, start=1)),
}


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
