"""The resource library's service: add (merging duplicates), find, vote, pin, tag, remove.

Who may see a resource: everyone in the workspace when its audience is the workspace
(``group_id`` NULL), else the members of its group. Every read here takes the reader's
groups, so a resource shared with one group never shows up, counted or not, anywhere
else. The service never commits; the dispatcher (or the digest job) owns the unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from bot.core.errors import UserError
from bot.core.ports import Clock
from bot.resources.model import SELECT, Resource
from bot.resources.search import Query, match_expression
from bot.resources.urls import normalise
from bot.store.rows import columns, fetch_all, fetch_one

PAGE = 5
NOT_FOUND = "I can't find resource {id} in the library you can see. Nothing was changed."


@dataclass(frozen=True)
class Added:
    resource: Resource
    merged: bool
    new_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    items: list[Resource]
    total: int
    offset: int
    relaxed: bool = False  # no resource had every word; these have some of them

    @property
    def more(self) -> bool:
        return self.offset + len(self.items) < self.total


def _audience(groups: list[int]) -> tuple[str, list[object]]:
    marks = ",".join("?" for _ in groups) or "NULL"
    return f"(r.group_id IS NULL OR r.group_id IN ({marks}))", list(groups)


class Library:
    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    # ---- adding ---------------------------------------------------------------------

    def add(self, workspace_id: str, *, group_id: int | None, url: str, title: str,
            note: str, tags: list[str], shared_by: str | None,
            source: str = "member") -> Added:
        """Save a resource; the same link for the same audience merges tags instead."""
        key = normalise(url) if url else ""
        if key:
            existing = fetch_one(
                self.db, Resource,
                f"{SELECT} WHERE r.workspace_id = ? AND ifnull(r.group_id, 0) = ?"
                " AND r.url_key = ?", [workspace_id, group_id or 0, key])
            if existing is not None:
                fresh = tuple(t for t in tags if t not in existing.tag_list)
                if fresh:
                    self._write_tags(existing, [*existing.tag_list, *fresh])
                return Added(self.get(workspace_id, existing.id) or existing, True, fresh)
        now = self.clock.now().isoformat()
        cursor = self.db.execute(
            "INSERT INTO resources (workspace_id, group_id, url, url_key, title, note, tags,"
            " shared_by, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [workspace_id, group_id, url, key, title, note, " ".join(tags), shared_by,
             source, now])
        resource = self.get(workspace_id, int(cursor.lastrowid or 0))
        assert resource is not None
        return Added(resource, False, tuple(tags))

    # ---- reading --------------------------------------------------------------------

    def get(self, workspace_id: str, resource_id: int) -> Resource | None:
        return fetch_one(self.db, Resource, f"{SELECT} WHERE r.workspace_id = ? AND r.id = ?",
                         [workspace_id, resource_id])

    def visible(self, workspace_id: str, groups: list[int], resource_id: int) -> Resource:
        """The resource when the reader may see it; otherwise the same "not found" as for
        an id that does not exist, so ids reveal nothing about other groups."""
        found = self.get(workspace_id, resource_id)
        if found is None or (found.group_id is not None and found.group_id not in groups):
            raise UserError(NOT_FOUND.format(id=resource_id))
        return found

    def find(self, workspace_id: str, groups: list[int], query: Query,
             offset: int = 0, limit: int = PAGE) -> Page:
        """One page of what the reader may see, best first.

        With words: full-text relevance (bm25; a title match weighs most, then tags,
        then the note), lifted a little by pinning and helpful votes. When no resource
        has every word, those with any of them. Without words: pinned first, then those
        most found helpful (from the shown threshold up), then the newest.
        """
        where, params = _audience(groups)
        for tag in query.tags:
            where += " AND instr(' ' || r.tags || ' ', ?) > 0"
            params.append(f" {tag} ")
        if not query.words:
            order = ("r.pinned DESC, CASE WHEN votes >= 3 THEN votes ELSE 0 END DESC,"
                     " r.created_at DESC, r.id DESC")
            return self._page(f"{SELECT} WHERE r.workspace_id = ? AND {where}",
                              [workspace_id, *params], order, offset, limit)
        for relaxed in (False, True):
            if relaxed and len(query.words) < 2:
                break
            sql = (f"SELECT * FROM ({SELECT} WHERE r.workspace_id = ? AND {where}) r"
                   " JOIN (SELECT rowid, bm25(resources_fts, 10.0, 2.0, 5.0) AS score"
                   " FROM resources_fts WHERE resources_fts MATCH ?) f ON f.rowid = r.id")
            page = self._page(sql, [workspace_id, *params,
                                    match_expression(query.words, any_word=relaxed)],
                              "f.score * (1 + 0.5 * r.pinned + 0.05 * min(r.votes, 10)),"
                              " r.created_at DESC", offset, limit, relaxed=relaxed)
            if page.total:
                return page
        return Page([], 0, offset)

    def _page(self, sql: str, params: list[object], order: str, offset: int, limit: int,
              *, relaxed: bool = False) -> Page:
        total = self.db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
        if sql.startswith("SELECT * FROM"):
            sql = sql.replace("SELECT * FROM", f"SELECT {_OUTER} FROM", 1)
        items = fetch_all(self.db, Resource, f"{sql} ORDER BY {order} LIMIT ? OFFSET ?",
                          [*params, limit, offset])
        return Page(items, int(total), offset, relaxed)

    def new_for_group(self, workspace_id: str, group_id: int, since: str) -> list[Resource]:
        """What the group's members can see that was added since ``since`` (the digest)."""
        return fetch_all(
            self.db, Resource,
            f"{SELECT} WHERE r.workspace_id = ? AND (r.group_id IS NULL OR r.group_id = ?)"
            " AND r.created_at >= ? ORDER BY r.created_at, r.id", [workspace_id, group_id, since])

    # ---- votes ----------------------------------------------------------------------

    def toggle_vote(self, resource: Resource, user_id: str) -> bool:
        """Mark helpful, or take the mark back; True when the member's vote now counts."""
        gone = self.db.execute(
            "DELETE FROM resource_votes WHERE resource_id = ? AND user_id = ?",
            [resource.id, user_id]).rowcount
        if gone:
            return False
        self.db.execute(
            "INSERT INTO resource_votes (workspace_id, resource_id, user_id, created_at)"
            " VALUES (?, ?, ?, ?)",
            [resource.workspace_id, resource.id, user_id, self.clock.now().isoformat()])
        return True

    def voted(self, user_id: str, ids: list[int]) -> set[int]:
        marks = ",".join("?" for _ in ids) or "NULL"
        rows = self.db.execute(
            f"SELECT resource_id FROM resource_votes WHERE user_id = ? AND resource_id IN"
            f" ({marks})", [user_id, *ids]).fetchall()
        return {r[0] for r in rows}

    # ---- facilitators ---------------------------------------------------------------

    def set_pinned(self, resource: Resource, pinned: bool) -> None:
        self.db.execute("UPDATE resources SET pinned = ?, updated_at = ? WHERE id = ?",
                        [int(pinned), self.clock.now().isoformat(), resource.id])

    def _write_tags(self, resource: Resource, tags: list[str]) -> None:
        self.db.execute("UPDATE resources SET tags = ?, updated_at = ? WHERE id = ?",
                        [" ".join(tags), self.clock.now().isoformat(), resource.id])

    def set_tags(self, resource: Resource, tags: list[str]) -> None:
        self._write_tags(resource, tags)

    def remove(self, resource: Resource) -> None:
        self.db.execute("DELETE FROM resources WHERE id = ?", [resource.id])


_OUTER = columns(Resource, prefix="r.")
