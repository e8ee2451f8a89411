"""The facilitators' dashboard over HTTP (aiohttp + jinja2): pages, cookies, forms.

Translates only: it checks cookies, CSRF tokens and where a form came from, sets the
security headers, renders templates, and asks the :class:`bot.core.ports_web.DashboardHost`
it is handed for everything else. See docs/dashboard.md.
"""

from adapters.web.app import build_app
from adapters.web.server import WebServer

__all__ = ["WebServer", "build_app"]
