"""The dashboard's web app on the aiohttp test client, cookies handled by hand.

Cookies are read from ``Set-Cookie`` and sent back explicitly, so the tests see every
attribute the server sets (a client cookie jar would silently drop a ``Secure`` cookie
over the test's plain http, and hide the flags under test).
"""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
from aiohttp.test_utils import TestClient

from tests.support.dashboard import dashboard_world, web_server

BASE = "https://dash.example.org"


class Browser:
    """A client that keeps the cookies it was given, as a browser would on this site."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.cookies: dict[str, str] = {}
        self.last_set: SimpleCookie = SimpleCookie()

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Sec-Fetch-Site": "same-origin"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return {k: v for k, v in headers.items() if v is not None}

    def _keep(self, response) -> None:
        self.last_set = SimpleCookie()
        for raw in response.headers.getall("Set-Cookie", []):
            self.last_set.load(raw)
        for name, morsel in self.last_set.items():
            if morsel["max-age"] == "0":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    async def get(self, path: str, headers: dict[str, str] | None = None):
        response = await self.client.get(path, headers=self._headers(headers),
                                         allow_redirects=False)
        self._keep(response)
        return response

    async def post(self, path: str, data: dict[str, str], headers: dict[str, str] | None = None):
        response = await self.client.post(path, data=data, headers=self._headers(headers),
                                          allow_redirects=False)
        self._keep(response)
        return response


@pytest.fixture
async def site(tmp_path):
    world = dashboard_world(tmp_path, BASE)
    server, host = await web_server(world)
    client = TestClient(server)
    await client.start_server()
    yield world, Browser(client)
    await client.close()
    host.close()
