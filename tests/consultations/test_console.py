"""A consultation in the console: a warning, an edit, posting anonymously, resolving."""

from __future__ import annotations

SCRIPT = """
as alice
/peer consult
/peer consult question:"My client Sarah (DOB 3 March 1961) keeps cancelling." as:anonymous
press 1
press 3
/peer consult question:"A client in her fifties keeps cancelling. Ideas?" want:ideas as:anonymous
quit
"""


def test_a_consultation_in_the_console(run_console):
    out = run_console(SCRIPT)
    assert "Ask your group for input on a case: `/peer consult question:" in out
    warned = out.split("press 1", 1)[0]
    assert "Before you post: this may identify your client" in warned
    assert "name: “Sarah”" in warned and "exact date: “DOB”" in warned
    edit = out.split("press 1", 1)[1].split("press 3", 1)[0]
    assert "Edit and send it again" in edit
    assert "question:My client Sarah (DOB 3 March 1961) keeps cancelling." in edit
    assert "Discarded. Nothing was posted" in out
    assert "Posted consultation 1 to *Circle*'s channel, anonymously" in out
    assert "[#circle, thread “Consultation 1”]" in out
    post = out.split("[#circle, thread “Consultation 1”]", 1)[1]
    assert "Asked anonymously" in post and "alice" not in post.split("alice>", 1)[0]
    code = out.split("Your private code is *", 1)[1].split("*", 1)[0]
    resolved = run_console(f"as alice\n/peer consult resolve 1 {code} \"Ask early.\"\n"
                           "/peer resources consultation\nquit\n")
    assert "Consultation 1 is resolved" in resolved
    assert "Takeaway from consultation 1" in resolved
