"""`/peer crisis` (and the top-level `/crisis`): crisis-line numbers, privately.

Thin on purpose: pick the country (an argument, else the member's profile, else the
workspace default), ask the crisis service for the card, and reply. Nothing about the
request is stored or logged here; the only trace is the service's counter. None of
these commands waits for consent, and a broken operator addition falls back to the
bundled directory rather than leaving someone without the numbers.
"""

from __future__ import annotations

from bot.core.model import Divider, Reply, Role, Visibility
from bot.core.router import Request, Router
from bot.crisis.audiences import Audience, split_audience

AUDIENCE_USAGE = "|".join(a.value for a in Audience)


def _own_country(request: Request) -> str:
    members = request.ctx.members
    return members.local_country(request.member)


def _workspace_country(request: Request) -> str:
    return request.ctx.members.workspace_defaults(request.workspace_id)[1]


def show(request: Request) -> Reply:
    """`/peer crisis [country] [youth|lgbtq|...]`: the card, only for the person who asked."""
    words, audience = split_audience(request.args)
    country = " ".join(words) or _own_country(request)
    card = request.ctx.crisis.card(
        country, command=request.ctx.command_name, audience=audience
    )
    return Reply(message=card, visibility=Visibility.PRIVATE)


def colleague(request: Request) -> Reply:
    """`/peer crisis colleague [country]`: peer guidance plus the crisis card, privately."""
    country = " ".join(request.args) or _own_country(request)
    card = request.ctx.crisis.colleague_card(country, command=request.ctx.command_name)
    return Reply(message=card, visibility=Visibility.PRIVATE)


def post(request: Request) -> Reply:
    """`/peer crisis post [country]`: a facilitator shares the card with the channel."""
    country = " ".join(request.args) or _workspace_country(request)
    card = request.ctx.crisis.card(country, command=request.ctx.command_name)
    return Reply(message=card, visibility=Visibility.CHANNEL)


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
    router.command(
        "crisis post",
        post,
        role=Role.FACILITATOR,
        summary="post the crisis-lines card in this channel",
        usage="crisis post [country code]",
        needs_consent=False,
    )
