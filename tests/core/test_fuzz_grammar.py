"""Fuzzing the command grammar and button payloads: every input gets a calm, specific reply.

Hypothesis feeds random text and near-miss phrases to ``core.handle_invocation``, and
random action ids to ``core.handle_action``, as a consented admin and a member. No
input may raise, none may produce the generic "something went wrong" reply (handlers
must validate and explain), and the database must stay valid after every example.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core.model import Action, Actor, Invocation
from bot.demo import seed_demo
from bot.privacy.pending import KEEP_FOR
from bot.runtime import assemble, build_router
from bot.store.db import open_database

GENERIC_FAILURE = "something went wrong"
ROUTER = build_router()
WORDS = [
    *sorted({w for spec in ROUTER.commands() for w in spec.path}),
    "group:Circle", "group:", "group:Nope", "@bob", "<@alice>", "<@U404|x>", "tz",
    "Europe/London", "Mars/Olympus", "country", "gb", "uk", "specialty", "none", "0", "-1",
    "999999999999999999999", "'", '"', "\u201c", "\u2019", "|", ":", "pause", "2w", "09:00",
    "25:99", "now", "history", "join", "leave", "round", "preview", "confirm",
]
ACTION_NAMES = [*sorted(ROUTER._actions), "nope.nothing", "privacy", ".", "a.b"]
SAFE_ARG = st.text(alphabet=st.characters(blacklist_characters="|:", codec="utf-8"), max_size=12)
FUZZ_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

command_text = st.one_of(
    st.text(max_size=120),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=16)), max_size=7).map(" ".join),
)
action_value = st.one_of(
    st.text(max_size=120),
    st.builds(
        lambda name, args: name + ("|" + ":".join(args) if args else ""),
        st.sampled_from(ACTION_NAMES),
        st.lists(st.one_of(SAFE_ARG, st.sampled_from(["confirm", "cancel", "1", "-1", "c", "a"])),
                 max_size=4),
    ),
)


def fresh(make_settings, clock):
    cfg = make_settings({"groups": [{"name": "Circle"}, {"name": "Night shift"}]})
    asm = assemble(cfg, open_database(cfg.bot.database), clock, "console")
    seed_demo(asm.core, "console")
    return asm


def consent_all(asm) -> None:
    consent = asm.ctx.members
    for name in ("fran", "alice"):
        asm.ctx.members.ensure_member(Actor("console", name, name))
        consent.record_consent(Actor("console", name, name))


def check_database(db) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for tz, country, specialty, role in db.execute(
        "SELECT timezone, country, specialty, role FROM members"
    ).fetchall():
        if tz is not None:
            ZoneInfo(tz)
        assert country is None or (len(country) == 2 and country.isupper())
        assert specialty is None or 0 < len(specialty) <= 40
        assert role in (0, 1, 2)
    assert db.conn.in_transaction is False  # no handler left a transaction open


def assert_calm(replies) -> None:
    assert replies, "every input deserves a reply"
    for item in replies:
        assert GENERIC_FAILURE not in item.message.text().lower(), item.message.text()


@FUZZ_SETTINGS
@given(text=command_text, who=st.sampled_from(["fran", "alice"]),
       command=st.sampled_from(["peer", "crisis"]))
def test_random_commands_get_specific_replies(make_settings, clock, text, who, command):
    asm = fuzz_assembly(make_settings, clock)
    consent_all(asm)
    inv = Invocation(actor=Actor("console", who, who), command=command, text=text,
                     channel_id="circle")
    assert_calm(asyncio.run(asm.core.handle_invocation(inv)))
    check_database(asm.ctx.db)


@FUZZ_SETTINGS
@given(value=action_value, who=st.sampled_from(["fran", "alice"]))
def test_random_button_payloads_get_specific_replies(make_settings, clock, value, who):
    asm = fuzz_assembly(make_settings, clock)
    consent_all(asm)
    action = Action(actor=Actor("console", who, who), value=value, channel_id="circle")
    replies = asyncio.run(asm.core.handle_action(action))
    for item in replies:
        assert GENERIC_FAILURE not in item.message.text().lower(), (value, item.message.text())
    check_database(asm.ctx.db)


_CACHE: dict[int, object] = {}


def fuzz_assembly(make_settings, clock):
    """One database per test function (examples share it, so state accumulates)."""
    key = id(make_settings)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = fresh(make_settings, clock)
    return _CACHE[key]


def stranger_traces(db, besides: str = "") -> list[tuple[str, str]]:
    """Rows anywhere that name the stranger, apart from their bare member row (and the
    table ``besides``, checked by the caller)."""
    found = []
    for table in db.table_names():
        columns = [c.name for c in db[table].columns]
        if "workspace_id" not in columns or table == besides:
            continue
        for row in db.execute(f"SELECT * FROM {table}"):
            if table == "members" and row[columns.index("user_id")] == "stranger":
                bare = {c: v for c, v in zip(columns, row, strict=True)
                        if c in ("display_name", "timezone", "country", "specialty",
                                 "consent_at")}
                if bare != {"display_name": "", "timezone": None, "country": None,
                            "specialty": None, "consent_at": None}:
                    found.append((table, repr(bare)))
                continue
            if any(isinstance(v, str) and "stranger" in v for v in row):
                found.append((table, repr(row)[:120]))
    return found


@FUZZ_SETTINGS
@given(text=command_text, value=action_value)
@example(text="pair leave", value="nope.nothing")  # a command that waits for consent
@example(text="profile tz Europe/London", value="privacy.later")
def test_nothing_about_a_stranger_is_stored_before_consent(make_settings, clock, text, value):
    """Nothing but the documented exception: the words a command typed to peerbot before
    consent, kept so that "Agree" can run them (bot/privacy/pending.py; the consent card
    says so), for 30 minutes at most, and not under the person's display name."""
    asm = fuzz_assembly(make_settings, clock)
    who = Actor("console", "stranger", "Stranger Display Name")
    asyncio.run(asm.core.handle_invocation(Invocation(actor=who, command="peer", text=text)))
    if not value.startswith("privacy.agree"):
        asyncio.run(asm.core.handle_action(Action(actor=who, value=value)))
    assert stranger_traces(asm.ctx.db, besides="consent_pending") == []
    for command, typed, created, expires in asm.ctx.db.execute(
            "SELECT command, text, created_at, expires_at FROM consent_pending"
            " WHERE user_id = 'stranger'"):
        assert command == "peer" and "Stranger Display Name" not in typed
        kept = datetime.fromisoformat(expires) - datetime.fromisoformat(created)
        assert kept <= KEEP_FOR == timedelta(minutes=30)
