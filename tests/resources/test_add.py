"""Sharing a resource: what is stored, the sharing choice, duplicates, and bad input."""

from __future__ import annotations

import pytest

from bot.core.model import mention
from tests.resources.conftest import count

SLEEP = 'resources add https://example.org/sleep "Sleep hygiene" #sleep as:named'


async def test_a_named_share_is_saved_with_its_sharer_tags_and_note(world):
    said = await world.say("alice", 'resources add https://example.org/sleep "Sleep hygiene"'
                                    ' #Sleep #self-care note:"short and practical" as:named')
    assert f"Shared with your group, as {mention('alice')}" in said
    row = world.db.execute("SELECT url, title, note, tags, shared_by, group_id FROM resources"
                           ).fetchone()
    assert row == ("https://example.org/sleep", "Sleep hygiene", "short and practical",
                   "sleep self-care", "alice", world.group.id)


async def test_an_anonymous_share_stores_no_name_anywhere(world):
    said = await world.say("bob", "resources add https://b.org/x Burnout as:anonymous")
    assert "anonymously (no name is stored)" in said
    assert world.db.execute("SELECT shared_by FROM resources").fetchall() == [(None,)]
    for table in world.db.table_names():
        if table.startswith("resource"):
            for row in world.db.execute(f"SELECT * FROM [{table}]"):
                assert "bob" not in [str(v) for v in row], table


async def test_without_a_sharing_choice_the_rule_is_stated_and_nothing_saved(world):
    said = await world.say("alice", "resources add https://example.org/sleep Sleep")
    assert "choose how: add `as:named` or `as:anonymous`" in said
    assert "removed from the library too" in said and "stays in the library" in said
    assert count(world, "resources") == 0


async def test_the_same_page_is_merged_with_a_friendly_note(world):
    await world.say("alice", SLEEP)
    said = await world.say("bob", "resources add http://WWW.example.org/sleep/?utm_source=x"
                                  "#frag #shift #sleep Other as:anonymous")
    assert "already in the library. I added your tags #shift to it." in said
    assert world.db.execute("SELECT title, tags, shared_by FROM resources").fetchall() == [
        ("Sleep hygiene", "sleep shift", "alice")]


async def test_the_same_link_for_the_whole_workspace_is_a_separate_entry(world):
    await world.say("alice", SLEEP)
    await world.say("alice", SLEEP + " to:workspace")
    assert world.db.execute("SELECT group_id IS NULL FROM resources ORDER BY id").fetchall() \
        == [(0,), (1,)]


@pytest.mark.parametrize(("text", "reply"), [
    ("resources add ftp://x.org/a T as:named", "is not a web link"),
    ("resources add javascript:alert(1) T as:named", "is not a web link"),
    ("resources add example.org T as:named", "is not a web link"),
    ("resources add https:///nohost T as:named", "is not a web link"),
    ("resources add https://x.org:0/a T as:named", "not a link I can read"),
    ("resources add https://x.org " + "t" * 121 + " as:named", "keep it to 120"),
    ("resources add https://x.org T note:" + "n" * 501 + " as:named", "keep it to 500"),
    ("resources add https://x.org T #no_underscores as:named", "is not a tag I can keep"),
    ("resources add https://x.org T " + " ".join(f"#t{i}" for i in range(9)) + " as:named",
     "at most 8 tags"),
    ("resources add https://x.org T as:maybe", "`as:named` or `as:anonymous`"),
    ("resources add https://x.org T as:named to:everyone", "`to:group` or `to:workspace`"),
    ("resources add https://x.org T as:named group:Nowhere", "Nowhere"),
])
async def test_bad_input_gets_a_clear_reply_and_changes_nothing(world, text, reply):
    said = await world.say("alice", text)
    assert reply in said
    assert count(world, "resources") == 0


async def test_without_a_title_the_link_names_itself(world):
    await world.say("alice", "resources add https://example.org/guides/sleep/ as:named")
    assert world.db.execute("SELECT title FROM resources").fetchone() == (
        "example.org/guides/sleep",)


async def test_typed_alone_in_the_console_it_says_how_to_share(world):
    said = await world.say("alice", "resources add")
    assert "/peer resources add <link>" in said and "Anonymous" in said
    assert count(world, "resources") == 0


async def test_the_form_words_share_exactly_like_typing(world):
    said = await world.say("alice", "resources add 'url:https://e.org/a' 'title:A guide: part"
                                    " 1 group:x' 'tags:#a, #b' 'note:it helped' as:anonymous"
                                    " to:workspace")
    assert "Shared with the whole workspace, anonymously" in said
    assert world.db.execute("SELECT title, tags, note, group_id FROM resources").fetchone() == (
        "A guide: part 1 group:x", "a b", "it helped", None)
