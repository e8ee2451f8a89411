"""The library in the console: share (named and anonymous), search, mark helpful, page, pin,
remove, and the digest in the group's channel."""

from __future__ import annotations

SCRIPT = """
as alice
/peer resources add
/peer resources add https://example.org/sleep "Sleep hygiene" #sleep note:"short" as:named
as bob
/peer resources add https://www.example.org/sleep/ #shift-work as:anonymous
/peer resources add https://b.org/burnout "Burnout inventory" #burnout as:anonymous
/peer resources add ftp://b.org/x Nope as:named
/peer resources sleeping
press 1
as fran
/peer resources pin 2
/peer resources remove 2 duplicate of a better one
/peer resources
as carol
/peer resources #sleep
wait 8d --verbose
quit
"""


def test_the_library_in_the_console(run_console):
    out = run_console(SCRIPT)
    bare = out.split("alice> /peer resources add\n", 1)[1]
    assert bare.index("Share a link with `/peer resources add <link>") < bare.index("alice> ")
    assert "Shared with your group, as alice." in out
    assert "Good find: that link is already in the library. I added your tags #shift-work" \
        in out
    assert "“ftp://b.org/x” is not a web link" in out
    search = out.split("bob> /peer resources sleeping", 1)[1].split("bob> press 1", 1)[0]
    assert "Resources for “sleeping”" in search and "[1] Sleep hygiene" in search
    assert "Marked *Sleep hygiene* as helpful" in out
    assert "Pinned *[2] Burnout inventory*" in out
    assert "Removed *[2] Burnout inventory*" in out
    listing = out.split("fran> /peer resources\n", 1)[1].split("carol> ", 1)[0]
    assert "Burnout" not in listing and "Sleep hygiene" in listing
    assert "#sleep #shift-work · shared by alice" in out
    digest = out.split("carol> wait 8d --verbose", 1)[1]
    assert "New in the resource library this week (Circle)" in digest
