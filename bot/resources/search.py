"""What a search says, and the FTS5 expression it becomes.

Members type plain words and ``#tags``; neither reaches SQLite as syntax. Words are
reduced to letters and digits and each becomes a quoted FTS5 phrase, so ``AND``, ``*``,
quotes or ``NEAR(`` typed into a search are just words. A word of three letters or more
also matches as a prefix (``burn`` finds *burnout*); the index's porter stemmer makes
*sleeping* find *sleep*. Tags are matched exactly, as a filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.errors import UserError

WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 8


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def encode(self, budget: int) -> str:
        """The query in a button (``burnout+#sleep``), dropping words that do not fit."""
        parts = [*self.words, *(f"#{t}" for t in self.tags)]
        while parts and len("+".join(parts)) > budget:
            parts.pop()
        return "+".join(parts)

    @classmethod
    def decode(cls, text: str) -> Query:
        return parse_query(text.split("+") if text else [])

    def describe(self) -> str:
        return " ".join([*self.words, *(f"#{t}" for t in self.tags)])


def parse_query(tokens: list[str]) -> Query:
    words: list[str] = []
    tags: list[str] = []
    for token in tokens:
        if token.startswith("#"):
            tag = clean_tag(token)
            if tag and tag not in tags:
                tags.append(tag)
            continue
        words += [w for w in WORD.findall(token.lower()) if w not in words]
    if len(words) > MAX_WORDS:
        raise UserError(f"Search with at most {MAX_WORDS} words, please.")
    return Query(tuple(words), tuple(tags))


def clean_tag(token: str) -> str:
    return token.lstrip("#").strip().lower()


def match_expression(words: tuple[str, ...], *, any_word: bool = False) -> str:
    """``"sleep"* "burnout"*``: every word (or, ``any_word``, at least one)."""
    terms = [f'"{w}"*' if len(w) >= 3 else f'"{w}"' for w in words]
    return (" OR " if any_word else " ").join(terms)
