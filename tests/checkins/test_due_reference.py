"""Who is due, found per distinct schedule by SQL (bot/checkins/due.py), against the
brute-force per-member computation it replaced (kept here as the reference).

Hypothesis drives one workspace through sequences of minutes and days across DST
transitions (New York, London, Sydney, a half-hour and a 45-minute zone, an unknown
zone), with zone changes, own times and days, group schedule edits, pauses, one prompt
for several groups or one each, joins and leaves, consent withdrawn, ticks that open the
prompts and restarts (a new context on the same file). After every step, for every
group: the same members due, with the same dates and instants, the same prompts joined,
and the same next event; and after a tick nobody is left due (none missed) while the
unique prompt row admits no double.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.checkins import fanout
from bot.checkins.coverage import Mode
from bot.checkins.jobs import tick
from bot.checkins.prompts import SCHEDULED, Due
from bot.checkins.schedule import (
    Schedule,
    ScheduleStore,
    due_dates,
    effective,
    is_paused,
    next_prompt,
)
from bot.core.clock import ManualClock
from bot.core.config import parse_config
from bot.core.timeparse import parse_time, zone
from bot.runtime import build_context
from bot.store.db import open_database

WS = "W1"
USERS = [f"U{i}" for i in range(7)]
ZONES = [None, "UTC", "America/New_York", "Europe/London", "Australia/Sydney",
         "Asia/Kolkata", "Pacific/Chatham", "Mars/Olympus"]
TIMES = [None, "00:00", "01:30", "02:30", "09:00", "23:59"]
DAYS = [None, "mon,tue,wed,thu,fri", "sat,sun", "sun", "mon,wed,fri,sun"]
STARTS = [  # around DST changes: US and EU spring and autumn, Sydney's April change
    datetime(2026, 3, 7, 12, 0, tzinfo=UTC), datetime(2026, 3, 28, 20, 0, tzinfo=UTC),
    datetime(2026, 10, 24, 20, 0, tzinfo=UTC), datetime(2026, 10, 31, 22, 0, tzinfo=UTC),
    datetime(2026, 4, 4, 10, 0, tzinfo=UTC), datetime(2026, 1, 5, 8, 0, tzinfo=UTC),
]
CONFIG = {"groups": [
    {"name": "A", "checkins": {"days": ["mon", "tue", "wed", "thu", "fri"], "time": "09:00",
                               "window_hours": 12, "reminder_after_hours": 2}},
    {"name": "B", "checkins": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                               "time": "02:30", "window_hours": 30,
                               "slow_after_unanswered": 2}},
]}


# ---- the reference: the per-member computation the tick used before --------------------


def reference_due(ctx, group, now, joins):
    cfg = ctx.settings.group(group.name).checkins
    if not cfg.enabled:
        return []
    store = ScheduleStore(ctx.db, ctx.clock)
    group_schedule = store.group_schedule(group.workspace_id, group.id, cfg)
    window = timedelta(hours=cfg.window_hours)
    since = (now - timedelta(days=3)).date().isoformat()
    rows = ctx.db.execute(
        "SELECT v.id, v.group_id, v.user_id, v.local_date, v.closed_at IS NULL"
        " FROM checkin_prompts_by_group v WHERE v.workspace_id = ? AND v.slot = ?"
        " AND v.local_date >= ? ORDER BY v.id",
        [group.workspace_id, SCHEDULED, since]).fetchall()
    covered = {(user, day) for _, gid, user, day, _ in rows if gid == group.id}
    todays = {}
    for prompt_id, _, user, day, is_open in rows:
        if not todays.get((user, day), (0, False))[1]:
            todays[(user, day)] = (prompt_id, bool(is_open))
    due = []
    for member in fanout._candidates(ctx, group.workspace_id, group.id):
        prefs = member.prefs
        for day, at in due_dates(effective(group_schedule, prefs), zone(member.tz_name), now,
                                 window):
            key = (member.user_id, day.isoformat())
            if key in covered or is_paused(prefs, at):
                continue
            if member.groups_mode != Mode.SEPARATE and key in todays:
                prompt_id, is_open = todays[key]
                if is_open:
                    joins.append(prompt_id)
                continue
            if datetime.fromisoformat(member.joined_at) > at:
                continue
            if not fanout.quiet.allows(ctx.db, group.workspace_id, member.user_id, day,
                                       cfg.slow_after_unanswered):
                continue
            due.append(Due(member.user_id, day, at, member.tz_name))
    return sorted(due, key=lambda d: (d.user_id, d.local_date))


def reference_next(ctx, now):
    found = []
    store = ScheduleStore(ctx.db, ctx.clock)
    for group in fanout.all_groups(ctx):
        cfg = ctx.settings.group(group.name).checkins
        group_schedule = store.group_schedule(group.workspace_id, group.id, cfg)
        for member in fanout._candidates(ctx, group.workspace_id, group.id):
            prefs = member.prefs
            at = next_prompt(effective(group_schedule, prefs), prefs, zone(member.tz_name), now)
            if at is not None:
                found.append(at)
    row = ctx.db.execute(
        "SELECT min(closes_at), min(CASE WHEN reminded_at IS NULL AND NOT EXISTS (SELECT 1"
        " FROM checkin_answers a WHERE a.prompt_id = p.id) THEN remind_at END)"
        " FROM checkin_prompts p WHERE closed_at IS NULL").fetchone()
    found.extend(datetime.fromisoformat(v) for v in row if v)
    return min(found) if found else None


# ---- the world the steps act on ---------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A migrated database with the workspace and its two groups, copied per example."""
    path = tmp_path_factory.mktemp("due") / "template.sqlite"
    db = open_database(path)
    ctx = build_context(parse_config({"bot": {"database": str(path)}, **CONFIG}), db,
                        ManualClock(STARTS[0]))
    ctx.members.ensure_workspace(WS, "console", timezone="Europe/London")
    for name in ("A", "B"):
        ctx.members.ensure_group(WS, name)
    db.commit()
    db.close()
    return path


def context(path: Path, clock: ManualClock):
    db = open_database(path, migrate=False)
    return build_context(parse_config({"bot": {"database": str(path)}, **CONFIG}), db, clock)


PAUSE = st.one_of(st.none(), st.integers(-3 * 24 * 60, 5 * 24 * 60))
STEP = st.one_of(
    st.tuples(st.just("advance"), st.integers(1, 36 * 60)),
    st.tuples(st.just("advance"), st.integers(1, 90)),
    st.tuples(st.just("tick")),
    st.tuples(st.just("tick")),
    st.tuples(st.just("restart")),
    st.tuples(st.just("zone"), st.sampled_from(USERS), st.sampled_from(ZONES)),
    st.tuples(st.just("time"), st.sampled_from(USERS), st.sampled_from(TIMES)),
    st.tuples(st.just("days"), st.sampled_from(USERS), st.sampled_from(DAYS)),
    st.tuples(st.just("pause"), st.sampled_from(USERS), PAUSE),
    st.tuples(st.just("mode"), st.sampled_from(USERS), st.sampled_from([None, "separate"])),
    st.tuples(st.just("schedule"), st.sampled_from(["A", "B"]),
              st.sampled_from(DAYS[1:]), st.sampled_from(TIMES[1:])),
    st.tuples(st.just("join"), st.sampled_from(USERS), st.sampled_from(["A", "B"])),
    st.tuples(st.just("leave"), st.sampled_from(USERS), st.sampled_from(["A", "B"])),
    st.tuples(st.just("consent"), st.sampled_from(USERS), st.booleans()),
)
MEMBER = st.tuples(st.sampled_from(ZONES[:5]), st.integers(-5 * 24 * 60, 24 * 60),
                   st.sets(st.sampled_from(["A", "B"])), st.sampled_from(TIMES[:3]),
                   st.sampled_from(DAYS[:3]), PAUSE, st.sampled_from([None, "separate"]))


def apply(ctx, clock, step) -> None:
    kind, *args = step
    now = clock.now().isoformat()
    db = ctx.db
    store = ScheduleStore(db, clock)
    if kind == "advance":
        clock.advance(timedelta(minutes=args[0]))
    elif kind == "zone":
        db.execute("UPDATE members SET timezone = ? WHERE user_id = ?", [args[1], args[0]])
    elif kind in ("time", "days", "mode"):
        column = "groups_mode" if kind == "mode" else kind
        db.execute("INSERT OR IGNORE INTO checkin_prefs (workspace_id, user_id, updated_at)"
                   " VALUES (?, ?, ?)", [WS, args[0], now])
        db.execute(f"UPDATE checkin_prefs SET {column} = ? WHERE user_id = ?", [args[1], args[0]])
    elif kind == "pause":
        until = None if args[1] is None else (clock.now() + timedelta(minutes=args[1])).isoformat()
        store.set_pref(WS, args[0], paused_until=until)
    elif kind == "schedule":
        group = next(g for g in ctx.members.groups(WS) if g.name == args[0])
        store.set_group_schedule(WS, group.id, Schedule(tuple(args[1].split(",")),
                                                        parse_time(args[2])), "fran")
    elif kind in ("join", "leave"):
        group = next(g for g in ctx.members.groups(WS) if g.name == args[1])
        if kind == "leave":
            db.execute("DELETE FROM memberships WHERE group_id = ? AND user_id = ?",
                       [group.id, args[0]])
        else:
            db.execute("INSERT OR IGNORE INTO memberships (workspace_id, group_id, user_id,"
                       " joined_at) VALUES (?, ?, ?, ?)", [WS, group.id, args[0], now])
    elif kind == "consent":
        db.execute("UPDATE members SET consent_at = ? WHERE user_id = ?",
                   [now if args[1] else None, args[0]])
    elif kind == "tick":
        tick(ctx)
        for group in fanout.all_groups(ctx):  # nobody left due: none missed
            assert fanout.due_in_group(ctx, group, clock.now(), []) == []
    db.commit()


def check(ctx, clock) -> None:
    now = clock.now()
    for group in fanout.all_groups(ctx):
        ours: list[int] = []
        theirs: list[int] = []
        assert fanout.due_in_group(ctx, group, now, ours) == reference_due(ctx, group, now,
                                                                           theirs)
        assert sorted(ours) == sorted(theirs)
    assert fanout.next_event(ctx, now) == reference_next(ctx, now)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(start=st.sampled_from(STARTS), members=st.lists(MEMBER, min_size=1, max_size=7),
       steps=st.lists(STEP, max_size=30))
def test_the_same_members_are_due_as_by_the_per_member_computation(
        template, tmp_path, start, members, steps):
    path = tmp_path / f"due-{abs(hash((start, str(members), str(steps))))}.sqlite"
    shutil.copy(template, path)
    clock = ManualClock(start)
    ctx = context(path, clock)
    groups = {g.name: g for g in ctx.members.groups(WS)}
    for user, (tz, joined, names, own, days, pause, mode) in zip(USERS, members, strict=False):
        when = (start - timedelta(minutes=joined)).isoformat()
        ctx.db.execute("INSERT INTO members (workspace_id, user_id, timezone, consent_at,"
                       " created_at) VALUES (?, ?, ?, ?, ?)", [WS, user, tz, when, when])
        until = None if pause is None else (start + timedelta(minutes=pause)).isoformat()
        ctx.db.execute("INSERT INTO checkin_prefs (workspace_id, user_id, time, days,"
                       " paused_until, groups_mode, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [WS, user, own, days, until, mode, when])
        for name in sorted(names):
            ctx.db.execute("INSERT INTO memberships (workspace_id, group_id, user_id,"
                           " joined_at) VALUES (?, ?, ?, ?)", [WS, groups[name].id, user, when])
    ctx.db.commit()
    try:
        check(ctx, clock)
        for step in steps:
            if step[0] == "restart":
                ctx.db.close()
                ctx = context(path, clock)
                continue
            if step[0] in ("zone", "time", "days", "pause", "mode", "join", "leave",
                           "consent") and step[1] not in USERS[:len(members)]:
                continue  # a member who does not exist in this example
            apply(ctx, clock, step)
            check(ctx, clock)
        doubles = ctx.db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM checkin_prompts_by_group WHERE slot = ?"
            " GROUP BY group_id, user_id, local_date HAVING count(*) > 1)",
            [SCHEDULED]).fetchone()[0]
        assert doubles == 0
    finally:
        ctx.db.close()
        path.unlink(missing_ok=True)


def test_a_member_who_joins_a_second_group_shares_today_s_open_prompt(template, tmp_path):
    """One prompt for all groups: a member who joins B while A's prompt of today is open
    is not due in B; that prompt is joined (counted for B) by the next tick, never sent
    twice, exactly as the per-member computation decided."""
    path = tmp_path / "joins.sqlite"
    shutil.copy(template, path)
    clock = ManualClock(datetime(2026, 1, 5, 8, 0, tzinfo=UTC))  # a Monday, 08:00 London
    ctx = context(path, clock)
    groups = {g.name: g for g in ctx.members.groups(WS)}
    joined = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    ctx.db.execute("INSERT INTO members (workspace_id, user_id, consent_at, created_at)"
                   " VALUES (?, 'U0', ?, ?)", [WS, joined, joined])
    ctx.db.execute("INSERT INTO checkin_prefs (workspace_id, user_id, time, updated_at)"
                   " VALUES (?, 'U0', '01:30', ?)", [WS, joined])
    ctx.db.execute("INSERT INTO memberships (workspace_id, group_id, user_id, joined_at)"
                   " VALUES (?, ?, 'U0', ?)", [WS, groups["A"].id, joined])
    ctx.db.commit()
    try:
        assert tick(ctx).opened == 1  # A's prompt, due at 01:30
        apply(ctx, clock, ("join", "U0", "B"))
        [(prompt_id,)] = ctx.db.execute("SELECT id FROM checkin_prompts").fetchall()
        joins: list[int] = []
        assert fanout.due_in_group(ctx, groups["B"], clock.now(), joins) == []
        assert joins == [prompt_id]
        check(ctx, clock)
        assert tick(ctx).opened == 0
        assert ctx.db.execute("SELECT group_id FROM checkin_prompt_groups").fetchall() == [
            (groups["B"].id,)]
        check(ctx, clock)
    finally:
        ctx.db.close()
