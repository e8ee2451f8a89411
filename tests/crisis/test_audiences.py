"""Lines for one group of people: the filter, the colleague card's sections, the hint."""

from __future__ import annotations

import pytest

from bot.crisis.audiences import Audience, split_audience
from bot.crisis.service import CrisisService

SERVICE = CrisisService.load()


@pytest.mark.parametrize(
    ("words", "rest", "audience"),
    [
        (["au", "youth"], ["au"], Audience.YOUTH),
        (["youth", "nz"], ["nz"], Audience.YOUTH),
        (["ca", "first", "nations"], ["ca"], Audience.INDIGENOUS),
        (["young", "people"], [], Audience.YOUTH),
        (["us", "LGBTQ+"], ["us"], Audience.LGBTQ),
        (["new", "zealand"], ["new", "zealand"], None),
        (["gb"], ["gb"], None),
        ([], [], None),
    ],
)
def test_split_audience(words, rest, audience):
    assert split_audience(words) == (rest, audience)


def test_youth_filter_shows_only_youth_lines_after_the_emergency_number():
    text = SERVICE.card("au", audience="youth").text()
    assert text.index("call 000 now") < text.index("Kids Helpline")
    assert "1800 55 1800" in text and "13 11 14" not in text  # Lifeline is for anyone


def test_a_country_without_lines_for_the_group_says_so_and_keeps_every_line():
    text = SERVICE.card("de", audience="youth").text()
    assert "I don't have a line specifically for young people in Germany" in text
    assert "0800 111 0 111" in text and "call 112 now" in text


def test_member_card_leaves_youth_only_lines_to_the_filter_and_says_how():
    text = SERVICE.card("au").text()
    assert "Kids Helpline" not in text
    assert "`/peer crisis AU youth`" in text
    assert "*For Indigenous peoples*" in text and "13 92 76" in text
    assert "*For men*" in text and "1300 78 99 78" in text


def test_colleague_card_lists_every_group_under_its_heading():
    text = SERVICE.colleague_card("us").text()
    assert "*For LGBTQ+ people*" in text and "1-866-488-7386" in text
    assert "*For veterans and service members*" in text
    ca = SERVICE.colleague_card("ca").text()
    assert "*For young people*" in ca and "1-800-668-6868" in ca
    assert "*For Indigenous peoples*" in ca


def test_each_line_appears_once_on_the_colleague_card():
    text = SERVICE.colleague_card("us").text()
    assert text.count("1-866-488-7386") == 1


async def test_filter_through_the_core_command(assembly, actor):
    from bot.core.model import Invocation, Visibility

    replies = await assembly.core.handle_invocation(
        Invocation(actor=actor("wren"), command="peer", text="crisis nz youth", channel_id="C1")
    )
    assert replies[0].visibility == Visibility.PRIVATE
    text = replies[0].message.text()
    assert "Youthline" in text and "call 111 now" in text and "0800 543 354" not in text


async def test_filter_without_country_uses_your_own(assembly, actor):
    from bot.core.model import Invocation

    replies = await assembly.core.handle_invocation(
        Invocation(actor=actor("wren"), command="crisis", text="lgbtq", channel_id="C1")
    )
    text = replies[0].message.text()  # wren's country is the workspace default, US
    assert "The Trevor Project" in text and "call 911 now" in text


def test_filter_in_the_console(run_console):
    out = run_console("as wren\n/peer crisis au youth\nquit\n")
    assert "Kids Helpline" in out and "1800 55 1800" in out
