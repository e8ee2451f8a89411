"""`/peer crisis` (and the top-level `/crisis`): crisis-line numbers, privately.

Thin on purpose: pick the country (an argument, else the member's profile, else the
workspace default), ask the crisis service for the card, and reply. Nothing about the
request is stored or logged here; the only trace is the service's counter. None of
these commands waits for consent, and a broken operator addition falls back to the
bundled directory rather than leaving someone without the numbers.
"""

from __future__ import annotations

from bot.core.countries import hint_text, looks_like_a_code, parse_country
from bot.core.model import Divider, Message, Reply, Section, Visibility
from bot.core.router import Request, Router
from bot.crisis.audiences import Audience, split_audience

AUDIENCE_USAGE = "|".join(a.value for a in Audience)

# Shown under the member's own card when what they typed after the command was not a
# country. It never repeats their words: they may be a cry for help, not a code.
NOT_A_COUNTRY = (
    "I didn't read what you wrote as a country, so these are the lines for {country}, "
    "where your profile puts you. If things feel hard right now, please reach out to one "
    "of them; they are there to listen."
)
OTHER_COUNTRY = "For another country, add its two-letter code: `{example}`.{hint}"


def _own_country(request: Request) -> str:
    members = request.ctx.members
    return members.local_country(request.member)


def country_code(request: Request, text: str) -> str | None:
    """A code the crisis directory or ISO 3166 knows for ``text``, else None."""
    known = request.ctx.crisis.resolve(text)
    if known:
        return known
    country = parse_country(text)
    return country.code if country else None


def _for_member(request: Request, build, words: list[str] | None = None) -> Reply:
    """The card for the words after the command, or the member's own card with a gentle
    line when the words are not a country (only a real but uncovered country gets the
    international card, which names it)."""
    text = " ".join(request.args if words is None else words)
    own = _own_country(request)
    if not text:
        return Reply(message=build(own), visibility=Visibility.PRIVATE)
    code = country_code(request, text)
    if code is not None:
        return Reply(message=build(code), visibility=Visibility.PRIVATE)
    card = build(own)
    name = parse_country(own)
    hint = hint_text(text) if looks_like_a_code(text) else ""
    gentle = (
        Section(NOT_A_COUNTRY.format(country=name.name if name else own)),
        Section(OTHER_COUNTRY.format(example=request.ctx.slash(f"{request.path[0]} GB"),
                                     hint=hint)),
    )
    return Reply(message=Message(blocks=(*card.blocks, *gentle), fallback=card.fallback),
                 visibility=Visibility.PRIVATE)


def show(request: Request) -> Reply:
    """`/peer crisis [country] [youth|lgbtq|...]`: the card, only for the person who asked."""
    words, audience = split_audience(request.args)
    command = request.ctx.command_name
    return _for_member(
        request, lambda code: request.ctx.crisis.card(code, command=command, audience=audience),
        words)


def colleague(request: Request) -> Reply:
    """`/peer crisis colleague [country]`: peer guidance plus the crisis card, privately."""
    command = request.ctx.command_name
    return _for_member(
        request, lambda code: request.ctx.crisis.colleague_card(code, command=command))


def home(request: Request) -> list:
    """The crisis card on the member's home view (Slack App Home), always within reach."""
    card = request.ctx.crisis.home_card(
        _own_country(request), command=request.ctx.command_name
    )
    return [Divider(), *card.blocks]


def register(router: Router) -> None:
    router.command(
        "crisis",
        show,
        summary="crisis lines for your country, only you see them (also `/crisis`)",
        usage=f"crisis [country code] [{AUDIENCE_USAGE}]",
        needs_consent=False,
    )
    router.command(
        "crisis colleague",
        colleague,
        summary="what to do if you're worried about a colleague",
        usage="crisis colleague [country code]",
        needs_consent=False,
    )
