"""The de-identification check against a table of examples, identifying and not."""

from __future__ import annotations

import pytest

from bot.consultations.deid import check

IDENTIFYING = [
    ("My client Sarah has been struggling", "name", "Sarah"),
    ("Mr Okonkwo came back after a year", "name", "Mr Okonkwo"),
    ("Dr. Patel referred her to me", "name", "Dr. Patel"),
    ("Emily and her partner argue", "name", "Emily"),
    ("She was born 3 March 1961", "exact date", "3 March 1961"),
    ("We last met on March 3rd, 2021", "exact date", "March 3rd, 2021"),
    ("Session on 12/03/2021 went badly", "exact date", "12/03/2021"),
    ("Admitted 2021-03-04 overnight", "exact date", "2021-03-04"),
    ("His DOB is in the notes", "exact date", "DOB"),
    ("A 93-year-old widower", "age over 89", "93-year-old"),
    ("She is aged 91 and lives alone", "age over 89", "aged 91"),
    ("a 95 yo man", "age over 89", "95 yo"),
    ("now 102 years old", "age over 89", "102 years old"),
    ("Call him on 555-201-3344", "phone number", "555-201-3344"),
    ("His number is +44 20 7946 0958", "phone number", "+44 20 7946 0958"),
    ("Wrote from jo.bloggs@example.com", "email address", "jo.bloggs@example.com"),
    ("lives at 12 Oak Street with her mum", "address", "12 Oak Street"),
    ("near 221 Baker St in town", "address", "221 Baker St"),
    ("postcode SW1A 1AA", "address", "SW1A 1AA"),
    ("Boston, MA 02115", "address", "MA 02115"),
    ("MRN 4839201 in the file", "record number", "MRN 4839201"),
    ("case number 12-3456 pending", "record number", "case number 12-3456"),
    ("reference 83920174 on the letter", "record number", "83920174"),
]

NOT_IDENTIFYING = [
    "A client in her forties is struggling after a bereavement in 2019.",
    "How do I raise my fees without losing clients?",
    "We met 3 times a week for 12 weeks; session 14 was hard.",
    "She has two children, aged 4 and 7, and works nights.",
    "A man in his 80s with early dementia; his daughter is the carer.",
    "I charge 120 per session and see 25 clients a week.",
    "May I ask how others handle gifts from clients?",
    "Grace and hope are themes in our work, and I will keep going.",
    "Supervision on Monday left me unsure about boundaries.",
    "The client moved to a new city last spring.",
    "An 89-year-old man",
]


@pytest.mark.parametrize(("text", "kind", "excerpt"), IDENTIFYING)
def test_identifying_detail_is_found(text, kind, excerpt):
    found = [(f.kind, f.text) for f in check(text, "US")]
    assert any(k == kind and excerpt in t for k, t in found), found


@pytest.mark.parametrize("text", NOT_IDENTIFYING)
def test_ordinary_case_talk_is_not_flagged(text):
    assert check(text, "GB") == []


def test_findings_come_in_reading_order_each_once():
    found = check("Sarah (DOB 3 March 1961) saw Sarah again; call 555-201-3344.", "US")
    assert [f.kind for f in found] == ["name", "exact date", "exact date", "phone number"]


def test_the_check_sends_nothing_anywhere(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the check tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert check("Sarah on 555-201-3344", "US")
