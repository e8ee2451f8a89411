"""`/peer pulse` and `/peer admin checkins ...`: what facilitators see and may change.

Facilitators see whole closed weeks, banded, under k and dominance (pulse.py); they
may set the group's schedule and send an extra check-in. Every reply is private.
"""

from __future__ import annotations

from bot.audit.log import record
from bot.checkins.chart_data import pulse_alt_text, pulse_chart
from bot.checkins.chart_send import ON_ITS_WAY, send_chart
from bot.checkins.charts import render_pulse
from bot.checkins.fanout import round_now
from bot.checkins.history import sparkline
from bot.checkins.pulse import PulseService, QuestionFigure
from bot.checkins.questions import all_questions, harder_end, scale_legend
from bot.checkins.schedule import Schedule, ScheduleStore
from bot.core.disclosure import Verdict
from bot.core.errors import UsageError, UserError
from bot.core.model import Context, Fields, Header, Reply, Section, reply
from bot.core.receipts import TARGET_TTL
from bot.core.router import Request
from bot.core.timeparse import parse_days, parse_time
from bot.pairing.participation import participation_summary

WITHHELD = {
    Verdict.FEW: "withheld: fewer than {k} members answered it",
    Verdict.DOMINANT: "withheld: nearly everyone gave a similar answer, so any figure could "
                      "reveal each person's",
}


def _question_line(figure: QuestionFigure, k: int, legend: str) -> tuple[str, str]:
    if figure.verdict is not Verdict.SHOWN:
        return figure.name, WITHHELD[figure.verdict].format(k=k)
    cells = " · ".join(f"{b.label}: {b.count}" for b in figure.bands)
    return f"{figure.name} ({figure.respondents} answered)", cells + (
        f"  _({legend})_" if legend else "")


def pulse(request: Request) -> Reply:
    group = request.facilitated_group()
    service = PulseService(request.ctx.db, request.ctx.clock, request.ctx.settings)
    weeks = service.closed_weeks(group)
    k = service.k
    title = Header(f"{group.name}: group pulse")
    # Pairing participation, frozen per settled month under the same rules.
    pairing = participation_summary(request.ctx, request.workspace_id, group.id) or []
    if not weeks:
        return reply(title, Section("No week has closed yet. The pulse shows whole weeks only, "
                                    "once every check-in of the week has closed."), *pairing)
    last = weeks[-1]
    week = f"week of {last.monday.strftime('%d %b %Y')}"
    if last.respondents < k or not last.questions:
        return reply(title, Section(
            f"Fewer than {k} members answered in the {week}, so there is nothing to show. "
            "This keeps every individual answer private."), *pairing)
    questions = all_questions(request.ctx.settings)
    pairs = [("Week", week),
             ("Response rate", f"{last.respondents} of {last.prompted} "
                               f"({round(100 * last.respondents / max(last.prompted, 1))}%)")]
    trend_lines = []
    for figure in last.questions:
        question = questions.get(figure.key)
        legend = scale_legend(question) if question else ""
        pairs.append(_question_line(figure, k, legend))
        means = []
        for w in weeks:
            shown = w.figure(figure.key)
            means.append(shown.band_mean() if shown else None)
        harder = f" ({harder_end(question)})" if question and harder_end(question) else ""
        trend_lines.append(f"{figure.name}: `{sparkline(means, 0, 1)}`{harder}")
    blocks = (
        title, Fields(tuple(pairs)),
        Section(f"*Trend over the last {len(weeks)} closed week(s)*\n" + "\n".join(trend_lines)),
        Context(f"Whole closed weeks only, counted in bands; a question is left out (·) when "
                f"fewer than {k} members answered it or when one band holds all but one of its "
                "answers. A week's figures never change once shown. No individual answer is "
                "ever shown."), *pairing)
    chart = pulse_chart(group.name, weeks, k, questions)
    if chart is not None and send_chart(
            request, "pulse", render_pulse, chart, filename=f"pulse-{last.period}.png",
            alt_text=pulse_alt_text(chart), blocks=blocks,
            fallback=f"{group.name}: group pulse, {week}"):
        return reply(*blocks, Context(ON_ITS_WAY))
    return reply(*blocks)


def admin_checkins(request: Request) -> Reply:
    group = request.facilitated_group()
    store = ScheduleStore(request.ctx.db, request.ctx.clock)
    cfg = request.ctx.settings.group(group.name).checkins
    current = store.group_schedule(request.workspace_id, group.id, cfg)
    words = [w.lower() for w in request.args]
    if not words:
        return reply(Section(f"*{group.name}* check-ins: {current.describe()} in each member's "
                             f"own time zone; open for {cfg.window_hours} h."))
    if words[0] != "every":
        raise UsageError("Say when, e.g. `every mon,thu at 09:00`.")
    rest = words[1:]
    at = current.at
    if "at" in rest:
        i = rest.index("at")
        if i + 1 >= len(rest):
            raise UsageError("Give a time after `at`, e.g. 09:00.")
        at = parse_time(rest[i + 1])
        rest = rest[:i] + rest[i + 2:]
    days = parse_days(" ".join(rest)) if rest else current.days
    schedule = Schedule(days, at)
    store.set_group_schedule(request.workspace_id, group.id, schedule, request.user_id)
    record(request.ctx, request, "checkins.schedule", f"{group.name}: {schedule.describe()}")
    return reply(Section(
        f"*{group.name}* check-ins now go out {schedule.describe()}, in each member's own "
        "time zone. Members who chose their own time or days keep them."))


def admin_checkins_now(request: Request) -> Reply:
    group = request.facilitated_group()
    words = [w.lower() for w in request.args]
    if words not in ([], ["force"]):
        raise UsageError("`admin checkins now` takes only the word `force`.")
    # Once an hour per group: each one messages every member. `force` sends another.
    if not request.ctx.receipts.claim(request.workspace_id, "checkins-now", str(group.id),
                                      ttl=TARGET_TTL) and not words:
        raise UserError(
            f"*{group.name}* was sent a check-in less than an hour ago, so I didn't send "
            f"another. `{request.ctx.slash('admin checkins now force')}` sends one anyway.")
    opened, skipped = round_now(request.ctx, group)
    record(request.ctx, request, "checkins.now", group.name)
    paused = f" {skipped} paused member(s) were skipped." if skipped else ""
    return reply(Section(f"Sent a check-in to {opened} member(s) of *{group.name}* now.{paused} "
                         "You'll see the result in the pulse once the week closes."))
