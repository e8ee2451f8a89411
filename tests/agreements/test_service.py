"""Agreements through the real core: the gate on check-ins and pairing, bad input that
changes nothing, stale and forged buttons, the config file, the pause, export/erase."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.agreements.jobs import jobs as agreement_jobs
from bot.agreements.service import AgreementService
from bot.core import action_ids
from bot.core.model import Actor
from bot.pairing.participants import PairingMembers
from tests.support.agreeing import agree
from tests.support.world import WS, World, buttons, text


def versions(w: World) -> list[int]:
    return [r[0] for r in w.db.execute("SELECT version FROM agreement_versions ORDER BY 1")]


def world(tmp_path, **config) -> World:
    groups = [{"name": "Circle", "facilitators": ["fran"], **config}]
    w = World(tmp_path, config={"groups": groups}, jobs=agreement_jobs)
    w.add("fran", facilitator=True)
    return w


async def test_until_a_member_agrees_no_prompts_and_no_rounds_reach_them(tmp_path):
    w = world(tmp_path)
    w.add("alice", agreed=False)
    w.add("bob")
    await w.say("alice", "pair join")
    await w.say("bob", "pair join")
    people = PairingMembers(w.db, w.clock)
    assert [m.user_id for m in people.participants(WS, w.group.id)] == ["bob"]
    sent = await w.say("fran", "admin checkins now")
    assert "Sent a check-in to 2 member(s)" in sent  # fran and bob, not alice
    await agree(w.core, Actor(WS, "alice", "alice"))
    assert [m.user_id for m in people.participants(WS, w.group.id)] == ["alice", "bob"]
    assert w.ctx.members.holds(WS, w.group.id).get("alice") is None


async def test_a_member_sees_the_agreement_before_agreeing_and_when_they_agreed(tmp_path):
    w = world(tmp_path)
    w.add("alice", agreed=False)
    shown = await w.command("alice", "agreement")
    assert "until you do, the group's check-ins, rounds and sessions don't reach you" in \
        text(shown[0].message)
    await agree(w.core, Actor(WS, "alice", "alice"))
    again = await w.say("alice", "agreement")
    assert "You agreed to this version on Mon 05 Jan 08:00 UTC." in again


@pytest.mark.parametrize("text, says", [
    ("x" * 4001, "That agreement is 4001 characters; Console shows at most 4000"),
    (None, "That is *Circle*'s agreement as it is (version 1)"),
])
async def test_bad_agreement_text_gets_a_clear_reply_and_changes_nothing(tmp_path, text, says):
    w = world(tmp_path)
    current = AgreementService(w.ctx).current(w.group).body
    body = current.replace("\n", "\\n") if text is None else text
    answer = await w.say("fran", f"admin agreement set {body}")
    assert says in answer and "Nothing was changed." in answer
    assert versions(w) == [1]
    assert w.outbox() == []
    assert w.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


async def test_only_a_facilitator_of_this_group_may_change_it(tmp_path):
    w = World(tmp_path, config={"groups": [{"name": "Circle", "facilitators": ["fran"]},
                                           {"name": "Night", "facilitators": ["nina"]}]})
    w.add("fran", facilitator=True)
    w.add("alice")
    night = w.ctx.members.group_by_name(WS, "Night")
    w.ctx.members.ensure_member(Actor(WS, "nina", "nina"))
    w.ctx.members.record_consent(Actor(WS, "nina", "nina"))
    w.ctx.members.join_group(WS, night.id, "nina", facilitator=True)
    for who in ("alice", "nina"):
        answer = await w.say(who, "admin agreement set group:Circle - be kind")
        assert "Nothing was changed" in answer, answer
    assert versions(w) in ([], [1])  # version 1 is stored when first read
    ok = await w.say("fran", "admin agreement set group:Circle - be kind\\n- no names")
    assert "Saved version 2" in ok
    [entry] = w.db.execute("SELECT actor_id, action, detail FROM audit_log").fetchall()
    assert entry == ("fran", "agreement.set", "group Circle: version 1 -> 2, 20 characters")


async def test_a_stale_button_shows_the_current_version_and_records_nothing(tmp_path):
    w = world(tmp_path)
    w.add("alice", agreed=False)
    old = buttons((await w.command("alice", "agreement"))[0].message)["I agree"]
    await w.say("fran", "admin agreement set - be kind\\n- no names")
    answer = await w.tap("alice", old)
    assert "The agreement changed since this card was sent" in answer
    assert "+ - be kind" in answer
    assert w.ctx.members.holds(WS, w.group.id).get("alice") == "agreement"
    assert AgreementService(w.ctx).agreed_version(WS, w.group.id, "alice") is None


async def test_forged_or_foreign_buttons_change_nothing(tmp_path):
    w = world(tmp_path)
    w.add("alice", agreed=False)
    other = w.ctx.members.ensure_group(WS, "Elsewhere")
    for value in (action_ids.encode("agreement.agree", other.id, 1),
                  action_ids.encode("agreement.agree", 999, 1),
                  action_ids.encode("agreement.agree", "x", 1)):
        answer = await w.tap("alice", value)
        assert "Nothing was changed" in answer, answer
    assert w.db.execute("SELECT count(*) FROM agreement_acceptances").fetchone()[0] == 0


async def test_the_configured_file_is_version_one_and_a_changed_file_a_new_version(tmp_path):
    path = tmp_path / "agreement.md"
    path.write_text("- What is said here stays here.\n- Be kind.\n", encoding="utf-8")
    w = world(tmp_path, agreement={"file": str(path), "reagree_days": 3})
    w.add("alice")
    await w.wait(timedelta(minutes=2))
    assert "What is said here stays here" in await w.say("alice", "agreement")
    asked = [text(m) for m in w.messenger.to("alice")]
    assert len(asked) == 1 and "What changed" not in asked[0]  # version 1: nothing to compare
    path.write_text("- What is said here stays here.\n- Be kind.\n- Cameras on.\n",
                    encoding="utf-8")
    await w.wait(timedelta(minutes=2))
    assert versions(w) == [1, 2]
    changed = [text(m) for m in w.messenger.to("alice")][-1]
    assert "+ - Cameras on." in changed and "If you haven't agreed by Thu 08 Jan" in changed
    await w.wait(timedelta(minutes=2))
    assert versions(w) == [1, 2] and len(w.messenger.to("alice")) == 2  # asked once


async def test_the_pause_comes_once_and_a_newer_version_restarts_the_clock(tmp_path):
    w = world(tmp_path, agreement={"reagree_days": 2})
    w.add("alice")
    await agree(w.core, Actor(WS, "alice", "alice"))
    await w.say("fran", "admin agreement set - version two")
    await w.wait(timedelta(days=1))
    await w.say("fran", "admin agreement set - version three")
    await w.wait(timedelta(days=1, hours=1))  # version two's time is up: no pause
    assert w.ctx.members.holds(WS, w.group.id).get("alice") is None
    await w.wait(timedelta(days=1))  # version three's time is up
    assert w.ctx.members.holds(WS, w.group.id).get("alice") == "lapsed"
    await w.wait(timedelta(days=3))
    paused = [m for m in [text(m) for m in w.messenger.to("alice")] if "is paused for now" in m]
    assert len(paused) == 1
    await agree(w.core, Actor(WS, "alice", "alice"))
    assert w.ctx.members.holds(WS, w.group.id).get("alice") is None


async def test_nothing_is_sent_to_someone_who_has_not_consented(tmp_path):
    w = world(tmp_path)
    w.add("quiet", consent=False, agreed=False)
    await w.wait(timedelta(minutes=2))
    assert [text(m) for m in w.messenger.to("quiet")] == []


async def test_export_and_erasure(tmp_path):
    w = world(tmp_path)
    w.add("alice", agreed=False)
    await agree(w.core, Actor(WS, "alice", "alice"))
    await w.say("fran", "admin agreement set - be kind")
    replies = await w.command("alice", "export")
    data = json.loads(next(r.message.attachment.content for r in replies
                           if r.message.attachment))
    mine = data["agreements"] if "agreements" in data else data["topics"]["agreements"]
    assert [a["version"] for a in mine["agreed"]] == [1]
    assert [a["version"] for a in mine["asked"]] == [2]
    fran = await w.command("fran", "export")
    franc = json.loads(next(r.message.attachment.content for r in fran if r.message.attachment))
    written = (franc.get("agreements") or franc["topics"]["agreements"])["versions_written"]
    assert [v["version"] for v in written] == [2]
    from bot.agreements.data import erase_agreements

    assert erase_agreements(w.db, WS, "alice") == 2
    assert erase_agreements(w.db, WS, "fran") == 2  # her acceptance; authorship blanked
    assert w.db.execute("SELECT set_by FROM agreement_versions WHERE version = 2"
                        ).fetchone()[0] == ""


@pytest.mark.parametrize("content", [None, "  \n"])
def test_a_missing_or_empty_agreement_file_stops_start_up(tmp_path, content):
    from bot.core.config import ConfigError

    path = tmp_path / "agreement.md"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'groups\[0\]\.agreement\.file' = .*agreement\.md"):
        world(tmp_path, agreement={"file": str(path)})
