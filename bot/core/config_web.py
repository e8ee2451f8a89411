"""``[web]``: the facilitators' dashboard (bot/dashboard, adapters/web), off by default.

It listens on ``host:port`` (loopback by default) behind the operator's TLS proxy, and
builds its sign-in links from ``base_url``, the address people open in a browser. Cookies
are marked ``Secure`` when that address is https.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator


class WebSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    enabled: bool = False
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8470
    base_url: str = ""

    @model_validator(mode="after")
    def _check_base_url(self) -> WebSettings:
        if not self.enabled and not self.base_url:
            return self
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
                or parts.fragment:
            raise ValueError(
                "a 'base_url' that is the dashboard's public address, such as "
                "'https://peerbot.example.org' (http or https, no query), when enabled")
        return self

    @property
    def root(self) -> str:
        """The base URL without a trailing slash: links are ``root + path``."""
        return self.base_url.rstrip("/")

    @property
    def secure(self) -> bool:
        """Cookies get ``Secure`` when people reach the dashboard over https."""
        return self.base_url.lower().startswith("https://")
