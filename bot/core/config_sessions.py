"""``[groups.sessions]``: group sessions with rotating roles (bot/sessions, docs/community.md).

A module of its own so that bot/core/config.py stays short; config.py adds one field.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

DEFAULT_ROLES = ("discussion lead", "case presenter", "research share", "timekeeper")
MAX_ROLES = 8
MAX_ROLE_NAME = 40


def check_roles(roles: list[str]) -> list[str]:
    """Role names: 1 to 8, each 1-40 characters, no commas, all different (any case)."""
    cleaned = [" ".join(r.split()).lower() for r in roles]
    if not 1 <= len(cleaned) <= MAX_ROLES:
        raise ValueError(f"between 1 and {MAX_ROLES} roles")
    for role in cleaned:
        if not role or len(role) > MAX_ROLE_NAME or "," in role:
            raise ValueError(f"role names of 1 to {MAX_ROLE_NAME} characters, without commas")
    if len(set(cleaned)) != len(cleaned):
        raise ValueError("each role once")
    return cleaned


class SessionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    roles: Annotated[list[str], AfterValidator(check_roles)] = list(DEFAULT_ROLES)
    minutes: Annotated[int, Field(ge=15, le=480)] = 60
    reminder_hours: Annotated[int, Field(ge=0, le=168)] = 24
    role_reminder_days: Annotated[int, Field(ge=0, le=21)] = 3
    roster_sessions: Annotated[int, Field(ge=1, le=12)] = 4
