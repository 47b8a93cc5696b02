"""Links the pages build to themselves are relative (path and query only), never made
absolute from the request's ``Host`` header, which the client chooses: a reflected host
would let a forged request plant links to another site in our pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request


def here_with(request: Request, **params: Any) -> str:
    """This page's path and query with ``params`` set (replacing any of the same name)."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in params]
    query.extend((k, str(v)) for k, v in params.items())
    path = request.url.path
    if not path.startswith("/") or path.startswith("//"):
        path = "/"  # "//host" would be read by the browser as another site
    return f"{path}?{urlencode(query)}" if query else path
