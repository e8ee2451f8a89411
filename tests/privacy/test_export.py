"""`/peer export`: a private JSON file with every data owner's rows about the member."""

from __future__ import annotations

import json

from bot.audit.log import record
from bot.core.model import Invocation, Visibility
from bot.demo import seed_demo


async def export(assembly, who):
    replies = await assembly.core.handle_invocation(
        Invocation(actor=who, command="peer", text="export")
    )
    assert len(replies) == 1 and replies[0].visibility == Visibility.PRIVATE
    attachment = replies[0].message.attachment
    assert attachment is not None and attachment.filename.endswith(".json")
    return json.loads(attachment.content)


async def test_export_holds_profile_memberships_and_every_owner(assembly, actor):
    seed_demo(assembly.core, "console")
    record(assembly.ctx, "fran", "role.set", "alice -> member", workspace_id="console",
           subject="alice")
    data = await export(assembly, actor("alice"))
    assert data["format"] == "peerbot-export/1"
    assert data["member"]["specialty"] == "trauma" and data["member"]["timezone"]
    assert data["memberships"] == [
        {"group": "Circle", "facilitator": False, "joined_at": data["memberships"][0]["joined_at"]}
    ]
    owners = {o.topic for o in assembly.core.router.data_owners}
    assert set(data["topics"]) == owners and "audit" in owners
    assert data["topics"]["audit"]["entries"][0]["action"] == "role.set"


async def test_export_holds_nothing_of_anyone_else(assembly, actor):
    seed_demo(assembly.core, "console")
    text = json.dumps(await export(assembly, actor("alice")))
    for other in ("bob", "carol", "addiction", "Australia/Sydney"):
        assert other not in text


async def test_export_before_consent_is_just_the_id(assembly, actor):
    data = await export(assembly, actor("wren", display_name="Wren Example"))
    assert data["member"]["display_name"] == "" and data["member"]["consent_at"] is None


async def test_export_keys_are_the_promised_format(assembly, actor):
    from bot.core.model import Message, Target

    seed_demo(assembly.core, "console")
    with assembly.ctx.db.atomic():
        assembly.ctx.outbox.enqueue("console", "r1", Target(user_id="alice"),
                                    Message(fallback="hi"))
    data = await export(assembly, actor("alice"))
    assert set(data["member"]) == {
        "workspace_id", "user_id", "display_name", "timezone", "country", "specialty", "role",
        "consent_at", "undeliverable_reason", "created_at"}
    assert data["memberships"][0]["facilitator"] is False
    assert set(data["messages_to_you"][0]) == {"kind", "round", "status", "created_at",
                                               "sent_at"}
    assert data["messages_to_you"][0]["round"] == "r1"


async def test_the_file_is_named_by_the_members_own_date(assembly, actor, clock):
    """20:00 UTC on Monday 5 January is already Tuesday 6 January in Sydney."""
    from datetime import timedelta

    seed_demo(assembly.core, "console")  # carol lives in Australia/Sydney
    clock.advance(timedelta(hours=12))
    replies = await assembly.core.handle_invocation(
        Invocation(actor=actor("carol"), command="peer", text="export"))
    assert replies[0].message.attachment.filename == "peerbot-export-2026-01-06.json"
