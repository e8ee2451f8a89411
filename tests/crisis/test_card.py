"""The crisis card: emergency first, not-a-crisis-service said plainly, numbers as published."""

from __future__ import annotations

import re

import pytest

from adapters.console.render import render
from bot.core.model import Header, Section
from bot.crisis.service import NOT_A_CRISIS_SERVICE, CrisisService

SERVICE = CrisisService.load()
CODES = list(SERVICE.supported)
STIGMA = [
    "commit suicide",
    "committed suicide",
    "successful suicide",
    "failed attempt",
    "crazy",
    "psycho",
    "lunatic",
    "insane",
    "mental case",
    "selfish",
    "cry for help",
]
METHODS = [
    "overdose",
    "hang",
    "gun",
    "firearm",
    "jump",
    "pills",
    "poison",
    "lethal",
    "rope",
    "bridge",
    "cut ",
    "cutting",
]


def first_section(card) -> str:
    assert isinstance(card.blocks[0], Header)
    assert isinstance(card.blocks[1], Section)
    return card.blocks[1].text


@pytest.mark.parametrize("code", CODES)
def test_emergency_number_comes_first(code):
    card = SERVICE.card(code)
    line = first_section(card)
    assert "immediate danger" in line
    for number in SERVICE.emergency_numbers(code):
        assert number in line
    assert card.text().index("immediate danger") < card.text().index(NOT_A_CRISIS_SERVICE)


@pytest.mark.parametrize("code", [*CODES, "zz"])
def test_card_says_it_is_not_a_crisis_service_and_not_monitored(code):
    text = SERVICE.card(code).text()
    assert NOT_A_CRISIS_SERVICE in text
    assert NOT_A_CRISIS_SERVICE == "This bot is not a crisis service and is not monitored."


@pytest.mark.parametrize("code", CODES)
def test_every_number_appears_exactly_as_published(code):
    """Lines only for young people sit behind the youth filter; every other line is on
    the member's own card, and the colleague card shows them all."""
    text = SERVICE.card(code).text()
    youth = SERVICE.card(code, audience="youth").text()
    colleague = SERVICE.colleague_card(code).text()
    for entry in SERVICE.directory.for_country(code):
        own = youth if "youth" in entry.audiences else text
        for contact in entry.contacts:
            assert contact.value in own, (entry.id, contact.value)
            assert contact.value in colleague, (entry.id, contact.value)


@pytest.mark.parametrize("code", [*CODES, "zz"])
def test_safe_messaging_no_method_talk_or_stigmatising_words(code):
    for card in (SERVICE.card(code), SERVICE.colleague_card(code)):
        text = card.text().lower()
        for word in STIGMA:
            assert not re.search(rf"\b{re.escape(word)}\b", text), word
        for word in METHODS:  # prefixes too: "hang" also catches "hanging"
            assert not re.search(rf"\b{re.escape(word.strip())}", text), word


@pytest.mark.parametrize("code", CODES)
def test_card_is_brief(code):
    assert len(SERVICE.card(code).blocks) <= 15
    assert len(SERVICE.card(code).text()) < 3000


def test_professional_lines_are_labelled_as_such():
    text = SERVICE.card("us").text()
    assert "*For health professionals*" in text
    assert text.index("For health professionals") < text.index("Physician Support Line")


@pytest.mark.parametrize("code", [*CODES, "zz"])
def test_card_renders_on_the_console(code):
    out = render(SERVICE.card(code))
    assert NOT_A_CRISIS_SERVICE in out and "immediate danger" in out


def test_colleague_card_has_published_guidance_sources_and_the_crisis_card():
    card = SERVICE.colleague_card("gb")
    text = card.text()
    assert text.index("call 999") < text.index("Ask directly")
    assert "Listen" in text and "Follow up" in text
    assert "nimh.nih.gov" in text and "samaritans.org" in text
    assert "116 123" in text and NOT_A_CRISIS_SERVICE in text


def test_colleague_card_without_a_country_points_to_local_emergency_number():
    text = SERVICE.colleague_card("zz").text()
    assert "call your local emergency number" in text
    assert "findahelpline.com" in text


def test_command_name_in_hints_is_configurable():
    assert "/care crisis colleague" in SERVICE.card("us", command="care").text()
