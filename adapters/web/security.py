"""The dashboard's HTTP hardening: headers on every response, cookies, where forms come from.

* **Headers** on every response, errors and the stylesheet included: a CSP that allows
  no script at all and styles only from our own stylesheet (no inline style or script),
  ``frame-ancestors 'none'`` (and ``X-Frame-Options: DENY`` for old browsers),
  ``Referrer-Policy: no-referrer`` (a sign-in link never leaks in a Referer),
  ``nosniff``, and ``Cache-Control: no-store`` (a shared computer's cache keeps no page).
* **Cookies**: ``HttpOnly``, ``SameSite=Strict``, ``Path=/``; ``Secure`` and the
  ``__Host-`` prefix when the public base URL is https.
* **Forms**: every POST must carry the session's CSRF token (the sign-in form: the token
  of a short-lived pre-sign-in cookie, double-submit), and is refused when the browser
  says it came from another site (``Sec-Fetch-Site``) or names another ``Origin``
  (browsers send ``Origin: null`` under our no-referrer policy, so the token is the
  defence that always applies).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web

from bot.core.config_web import WebSettings

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cache-Control": "no-store",
}


async def add_headers(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: runs for every response, including errors."""
    for name, value in HEADERS.items():
        response.headers[name] = value


def cookie_name(web_settings: WebSettings, name: str) -> str:
    return f"__Host-{name}" if web_settings.secure else name


def set_cookie(response: web.StreamResponse, web_settings: WebSettings, name: str, value: str,
               max_age: int) -> None:
    response.set_cookie(cookie_name(web_settings, name), value, max_age=max_age, path="/",
                        httponly=True, secure=web_settings.secure, samesite="Strict")


def clear_cookie(response: web.StreamResponse, web_settings: WebSettings, name: str) -> None:
    response.set_cookie(cookie_name(web_settings, name), "", max_age=0, path="/",
                        httponly=True, secure=web_settings.secure, samesite="Strict")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def from_elsewhere(request: web.Request, web_settings: WebSettings) -> bool:
    """True when the browser says this request was sent by another site's page."""
    fetch_site = request.headers.get("Sec-Fetch-Site", "")
    if fetch_site and fetch_site not in ("same-origin", "none"):
        return True
    # Under Referrer-Policy: no-referrer browsers send "Origin: null" even from our own
    # pages, so null tells nothing; the CSRF token and SameSite=Strict decide then.
    origin = request.headers.get("Origin")
    return origin not in (None, "null") and origin.lower() != origin_of(web_settings.base_url)
