"""The dashboard's routes: sign in by link, the group pages, the CSV, print, sign out.

- ``GET /signin/{token}``: a page with one "Sign in" button. Opening the link spends
  nothing, so a chat client's link preview cannot use it up. A used, expired or forged
  link gets the one "this link can't be used" page and nothing else.
- ``POST /signin/{token}``: spends the link, sets the session cookie, goes to ``/``.
- ``GET /``: the groups this person may see (or how to sign in).
- ``GET /groups/{id}``: the group's page; ``/print`` the same laid out for paper;
  ``/figures.csv`` its figures.
- ``GET /audit``: admins only, the audit log.
- ``POST /signout``: ends the session.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from typing import Any, Literal

import jinja2
from aiohttp import web

from adapters.web.security import (
    add_headers,
    clear_cookie,
    cookie_name,
    from_elsewhere,
    set_cookie,
)
from bot.core.ports_web import DashboardHost

HERE = Path(__file__).parent
SESSION = "peerbot_session"
SIGNIN = "peerbot_signin"
SESSION_SECONDS = 8 * 3600
SIGNIN_SECONDS = 600
HOST = web.AppKey("host", object)
TEMPLATES = web.AppKey("templates", jinja2.Environment)


def templates() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                              autoescape=jinja2.select_autoescape(["html"]),
                              undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True)


def _host(request: web.Request) -> DashboardHost:
    return request.app[HOST]  # type: ignore[return-value]


def page(request: web.Request, name: str, status: int = 200, **values: Any) -> web.Response:
    html = request.app[TEMPLATES].get_template(name).render(**values)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def refused(request: web.Request) -> web.Response:
    """The one page for a link that is used, expired, forged or not for this person."""
    return page(request, "refused.html", status=403, viewer=None)


def _session_id(request: web.Request) -> str:
    return request.cookies.get(cookie_name(_host(request).web, SESSION), "")


async def _viewer(request: web.Request) -> Any | None:
    session_id = _session_id(request)
    return await _host(request).viewer(session_id) if session_id else None


def _signed_out(request: web.Request) -> web.Response:
    return page(request, "signed_out.html", status=401, viewer=None)


def _not_found(request: web.Request, viewer: Any) -> web.Response:
    return page(request, "not_found.html", status=404, viewer=viewer)


# ---- signing in and out -----------------------------------------------------------------


async def signin_form(request: web.Request) -> web.Response:
    host = _host(request)
    token = request.match_info["token"]
    if not await host.link_usable(token):
        return refused(request)
    pre = secrets.token_urlsafe(32)
    response = page(request, "signin.html", viewer=None, csrf=pre, token=token)
    set_cookie(response, host.web, SIGNIN, pre, SIGNIN_SECONDS)
    return response


async def signin(request: web.Request) -> web.Response:
    host = _host(request)
    token = request.match_info["token"]
    form = await request.post()
    if not await host.link_usable(token):
        return refused(request)
    pre = request.cookies.get(cookie_name(host.web, SIGNIN), "")
    if from_elsewhere(request, host.web) or not _same(str(form.get("csrf", "")), pre):
        return page(request, "forbidden.html", status=403, viewer=None)
    session_id = await host.redeem(token)
    if session_id is None:
        return refused(request)
    response = web.Response(status=303, headers={"Location": "/"})
    set_cookie(response, host.web, SESSION, session_id, SESSION_SECONDS)
    clear_cookie(response, host.web, SIGNIN)
    return response


async def signout(request: web.Request) -> web.Response:
    host = _host(request)
    if from_elsewhere(request, host.web):
        return page(request, "forbidden.html", status=403, viewer=None)
    viewer = await _viewer(request)
    form = await request.post()
    if viewer is None:
        return _signed_out(request)
    if not _same(str(form.get("csrf", "")), viewer.csrf):
        return page(request, "forbidden.html", status=403, viewer=None)
    await host.end(_session_id(request))
    response = page(request, "signed_out.html", viewer=None, just_left=True)
    clear_cookie(response, host.web, SESSION)
    return response


def _same(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


# ---- pages ----------------------------------------------------------------------------


async def home(request: web.Request) -> web.Response:
    viewer = await _viewer(request)
    if viewer is None:
        return _signed_out(request)
    return page(request, "home.html", viewer=viewer)


def _group_id(request: web.Request) -> int | None:
    text = request.match_info["group_id"]
    return int(text) if text.isdigit() and len(text) < 12 else None


async def _for_group(request: web.Request, fetch: Literal["group_page", "group_csv"]
                     ) -> tuple[Any, Any] | web.Response:
    """The signed-in viewer and the group's ``fetch`` (``group_page``/``group_csv``), or
    the page that answers instead: signed out, or a group this session may not see."""
    viewer = await _viewer(request)
    if viewer is None:
        return _signed_out(request)
    group_id = _group_id(request)
    found = None if group_id is None else await getattr(_host(request), fetch)(
        _session_id(request), group_id)
    if found is None:
        return _not_found(request, viewer)
    return viewer, found


async def group(request: web.Request) -> web.Response:
    got = await _for_group(request, "group_page")
    if isinstance(got, web.Response):
        return got
    viewer, found = got
    return page(request, "group.html", viewer=viewer, page=found,
                printable=request.path.endswith("/print"))


async def group_csv(request: web.Request) -> web.Response:
    got = await _for_group(request, "group_csv")
    if isinstance(got, web.Response):
        return got
    name, text = got[1]
    return web.Response(body=text.encode("utf-8"), headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{name}"'})


async def audit(request: web.Request) -> web.Response:
    viewer = await _viewer(request)
    if viewer is None:
        return _signed_out(request)
    found = await _host(request).audit_page(_session_id(request))
    if found is None:
        return _not_found(request, viewer)
    return page(request, "audit.html", viewer=viewer, page=found)


async def stylesheet(request: web.Request) -> web.FileResponse:
    return web.FileResponse(HERE / "static" / "dashboard.css",
                            headers={"Content-Type": "text/css; charset=utf-8"})


def build_app(host: DashboardHost) -> web.Application:
    app = web.Application(client_max_size=16 * 1024)  # forms here are a token or two
    app[HOST] = host
    app[TEMPLATES] = templates()
    app.on_response_prepare.append(add_headers)
    app.router.add_get("/", home)
    app.router.add_get("/signin/{token}", signin_form)
    app.router.add_post("/signin/{token}", signin)
    app.router.add_post("/signout", signout)
    app.router.add_get("/groups/{group_id}", group)
    app.router.add_get("/groups/{group_id}/print", group)
    app.router.add_get("/groups/{group_id}/figures.csv", group_csv)
    app.router.add_get("/audit", audit)
    app.router.add_get("/static/dashboard.css", stylesheet)
    return app
