"""Mentoring: career stage and topics, offers and requests, a facilitator's match (the
pairing engine's weights, bipartite, with capacities), introductions with a guide, a
term with a halfway check-in and a quiet way out, and a close. See docs/community.md.
"""

from __future__ import annotations

from bot.core.model import Role
from bot.core.router import Router
from bot.mentoring import commands, jobs
from bot.mentoring.data import erase_mentoring, export_mentoring, farewell
from bot.mentoring.messages import END, FORM, JOIN_USAGE, WELL, end_confirm


def register(router: Router) -> None:
    router.command("mentor", commands.status, summary="your mentoring: stage, offer, pairs")
    router.command("mentor stage", commands.set_stage, summary="your career stage",
                   usage="mentor stage early|mid|senior|<years in practice>")
    router.command("mentor offer", commands.offer, summary="offer to mentor (1-3 mentees)",
                   usage="mentor offer [1-3] <topics, comma-separated>")
    router.command("mentor request", commands.ask, summary="ask for a mentor",
                   usage="mentor request <topics, comma-separated>")
    router.command("mentor join", commands.join, form=FORM,
                   summary="stage, mentor or mentee, and topics in one form",
                   usage=JOIN_USAGE)
    router.command("mentor stop", commands.stop, summary="stop offering or asking")
    router.command("mentor match", commands.run_match, role=Role.FACILITATOR,
                   summary="pair mentees with mentors and introduce them")
    router.action(WELL, commands.going_well)
    router.action(END, commands.end_here, confirm=end_confirm)
    router.owns_data("mentoring", export_mentoring, erase_mentoring, farewell=farewell)
    router.jobs(jobs.jobs)
    router.profile_extra(commands.STAGE_IN_PROFILE)
