"""The CSV download: exactly the anonymous figures the group's page shows, one per row.

Built from the same :class:`GroupFigures` as the page; a withheld figure is a row with
an empty value and the page's words ("not enough answers"), never a 0. No row is about
a person. Text cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return: a group or resource name chosen in chat)
get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import re

from bot.dashboard.figures import GroupFigures

HEADER = ("group", "section", "period", "measure", "value", "note")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def file_name(figures: GroupFigures) -> str:
    return "peerbot-" + (re.sub(r"[^A-Za-z0-9]+", "-", figures.name).strip("-") or "group") \
        + ".csv"


def group_csv(figures: GroupFigures) -> str:
    rows: list[tuple[object, ...]] = []
    for week in figures.weeks:
        base = ("check-ins", week.period)
        rows += [(*base, "prompted", week.prompted, week.note),
                 (*base, "answered", week.respondents, week.note),
                 (*base, "answered share %", week.rate, week.note)]
    for series in figures.questions:
        for week in series.weeks:
            base = (f"pulse: {series.name}", week.period)
            if week.counts is None:
                rows.append((*base, "answers in bands", None, week.note))
                continue
            rows.append((*base, "answered", week.respondents, ""))
            rows += [(*base, band, count, "") for band, count in zip(series.bands, week.counts,
                                                                     strict=True)]
    for month in figures.months:
        base = ("pairing", month.month)
        rows += [(*base, "rounds", month.rounds, ""),
                 (*base, "people introduced", month.paired, "")]
        if month.met is None:
            rows.append((*base, "answered the follow-up", month.respondents, month.note))
        else:
            rows += [(*base, "answered the follow-up", month.respondents, ""),
                     (*base, "met", month.met, ""), (*base, "not yet", month.not_yet, ""),
                     (*base, "couldn't", month.couldnt, "")]
    if figures.sessions is not None:  # counts only: the roster's names stay on the page
        rows.append(("sessions", "", "held (all time)", figures.sessions.held_total, ""))
        for held in figures.sessions.held:
            base = ("sessions", held.local_date)
            rows += [(*base, "said going", held.going, ""), (*base, "said maybe", held.maybe, ""),
                     (*base, "said not going", held.not_going, "")]
    for item in figures.helpful:
        rows.append(("resources: found helpful", "", item.title, item.helpful, item.url))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([_cell(figures.name), *(_cell(v) for v in row)])
    return out.getvalue()
