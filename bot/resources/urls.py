"""Checking and normalising the links members share, so one page is one resource.

Only ``http`` and ``https`` links with a host are accepted (no ``javascript:``, no
``file:``, no bare words). The normalised form is what duplicates are found by: the
scheme and host lower-cased, ``www.`` and default ports dropped, the fragment and
tracking parameters (``utm_*``, ``fbclid``, ``gclid``...) removed, the remaining query
parameters sorted and a trailing slash dropped. peerbot never fetches the link.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.core.errors import UserError

MAX_URL = 2000
TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "ref_src")


def check_url(text: str) -> str:
    """The link as it will be shown, or a UserError saying what a link must look like."""
    url = text.strip().strip("<>")
    if "|" in url:  # Slack's <url|label> form
        url = url.split("|", 1)[0]
    shown = url[:60]
    if len(url) > MAX_URL:
        raise UserError(f"That link is longer than {MAX_URL} characters. Nothing was changed.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UserError(f"“{shown}” is not a link I can read. Nothing was changed.") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UserError(
            f"“{shown}” is not a web link: share links that start with https:// (or "
            "http://). Nothing was changed."
        )
    if any(c.isspace() for c in url) or port == 0:
        raise UserError(f"“{shown}” is not a link I can read. Nothing was changed.")
    return url


def normalise(url: str) -> str:
    """The key two links share when they point at the same page."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port
    netloc = host if port in (None, 80 if scheme == "http" else 443) else f"{host}:{port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING)
    )
    path = parts.path.rstrip("/")
    return urlunsplit(("https" if scheme == "http" else scheme, netloc, path,
                       urlencode(query), ""))
