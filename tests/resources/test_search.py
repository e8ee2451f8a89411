"""Searching the library: stemming, ranking, tags, paging, audiences and odd input."""

from __future__ import annotations

from bot.core import action_ids
from tests.support.world import buttons, text_of

LIBRARY = [
    ("https://a.org/1", "Sleep hygiene for shift workers", "#sleep", "practical sleep tips"),
    ("https://a.org/2", "Burnout and moral injury", "#burnout", "a long read on burnout"),
    ("https://a.org/3", "Supervision contracts", "#supervision", "templates we use"),
    ("https://a.org/4", "Compassion fatigue", "#burnout #self-care", "signs of sleeping badly"),
    ("https://a.org/5", "Private practice basics", "#practice", "fees, notes, insurance"),
    ("https://a.org/6", "Grief after a client's death", "#grief", "for when it happens"),
    ("https://a.org/7", "Writing good notes", "#practice", "notes that protect you"),
]


async def stock(world) -> None:
    for url, title, tags, note in LIBRARY:
        await world.say("alice", f'resources add {url} "{title}" {tags} note:"{note}" as:named')
        world.clock.advance(__import__("datetime").timedelta(minutes=1))


def titles(text: str) -> list[str]:
    return [line.split("] ", 1)[1].rstrip("*") for line in text.splitlines()
            if line.startswith("*[")]


async def test_a_title_match_outranks_a_match_in_the_note(world):
    await stock(world)
    found = titles(await world.say("bob", "resources sleep"))
    assert found == ["Sleep hygiene for shift workers", "Compassion fatigue"]


async def test_porter_stemming_finds_other_forms_of_a_word(world):
    await stock(world)
    assert titles(await world.say("bob", "resources sleeping")) == [
        "Sleep hygiene for shift workers", "Compassion fatigue"]
    assert "Writing good notes" in titles(await world.say("bob", "resources writes"))


async def test_a_word_start_finds_the_word(world):
    await stock(world)
    assert titles(await world.say("bob", "resources burn"))[0] == "Burnout and moral injury"


async def test_every_word_must_match_before_any_word_will_do(world):
    await stock(world)
    both = await world.say("bob", "resources notes practice")
    assert titles(both) == ["Writing good notes", "Private practice basics"] or \
        sorted(titles(both)) == ["Private practice basics", "Writing good notes"]
    assert "some of them" not in both
    some = await world.say("bob", "resources grief supervision")
    assert sorted(titles(some)) == ["Grief after a client's death", "Supervision contracts"]
    assert "none had every word; these have some of them" in some


async def test_a_tag_filters_exactly(world):
    await stock(world)
    assert sorted(titles(await world.say("bob", "resources #burnout"))) == [
        "Burnout and moral injury", "Compassion fatigue"]
    assert titles(await world.say("bob", "resources fatigue #burnout")) == [
        "Compassion fatigue"]
    assert titles(await world.say("bob", "resources #burn")) == []


async def test_helpful_votes_lift_a_resource_among_equals(world):
    for n in (1, 2):
        await world.say("alice", f"resources add https://a.org/{n} Notes{n} note:notes"
                                 " as:named")
    assert titles(await world.say("bob", "resources notes"))[0] == "Notes1"
    for who in ("bob", "carol", "fran"):
        await world.tap(who, action_ids.encode("resources.helpful", 2))
    assert titles(await world.say("bob", "resources notes"))[0] == "Notes2"


async def test_without_words_pinned_then_most_helpful_then_newest(world):
    await stock(world)
    assert titles(await world.say("bob", "resources"))[:2] == [
        "Writing good notes", "Grief after a client's death"]
    for who in ("bob", "carol", "fran"):
        await world.tap(who, action_ids.encode("resources.helpful", 2))
    await world.say("fran", "resources pin 5")
    assert titles(await world.say("bob", "resources"))[:3] == [
        "Private practice basics", "Burnout and moral injury", "Writing good notes"]


async def test_pages_of_five_with_a_more_button(world):
    await stock(world)
    first = await world.command("bob", "resources")
    assert "1-5 of 7" in text_of(first)
    more = buttons(first[0].message)["More"]
    second = await world.press("bob", more)
    assert "6-7 of 7" in text_of(second)
    assert "More" not in buttons(second[0].message)
    assert titles(text_of(first)) + titles(text_of(second)) == [
        t for _u, t, _g, _n in reversed(LIBRARY)]


async def test_the_more_button_keeps_the_search(world):
    for n in range(7):
        await world.say("alice", f"resources add https://a.org/{n} Sleep{n} as:named")
    await world.say("alice", "resources add https://a.org/x Other as:named")
    first = await world.command("bob", "resources sleep")
    second = await world.press("bob", buttons(first[0].message)["More"])
    assert "Resources for “sleep”" in text_of(second) and "6-7 of 7" in text_of(second)


async def test_search_syntax_typed_by_a_member_is_just_words(world):
    await stock(world)
    for odd in ('"sleep', "sleep*", "NEAR(sleep", "sleep AND OR", "title:sleep", "^sleep",
                "-", "''", "sleep)"):
        said = await world.say("bob", f"resources {odd}")
        assert "Something went wrong" not in said, odd


async def test_a_forged_more_button_is_refused_calmly(world):
    for value in ("resources.more|x:sleep", "resources.more"):
        assert "no longer valid" in await world.tap("bob", value)


async def test_another_groups_resources_are_invisible(world):
    await world.say("alice", "resources add https://a.org/circle Circle-only as:named")
    await world.say("alice", "resources add https://a.org/all Everyone as:named to:workspace")
    world.add("dan")
    members = world.ctx.members
    members.leave_group("W", world.group.id, "dan")
    members.join_group("W", members.ensure_group("W", "Other").id, "dan")
    world.db.commit()
    assert titles(await world.say("dan", "resources")) == ["Everyone"]
    assert titles(await world.say("dan", "resources circle")) == []
    said = await world.tap("dan", action_ids.encode("resources.helpful", 1))
    assert "can't find resource 1" in said
    assert world.db.execute("SELECT count(*) FROM resource_votes").fetchone() == (0,)


async def test_an_empty_library_says_how_to_share(world):
    said = await world.say("bob", "resources")
    assert "Nothing in the library yet" in said and "resources add" in said
