"""Every page that needs a signed-in user sends anyone else to the login page, coming back
to the page asked for; form posts check their CSRF token first."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from service.pages.common import CSRF_COOKIE, CSRF_FIELD
from service.pages.routes import MODULES

# The reasons glossary explains words, not records: anyone may read it.
PUBLIC = {"/", "/programmes", "/login", "/logout", "/help/reasons"}


def _page_routes() -> list[tuple[str, str]]:
    found = []
    routes = [r for module in MODULES for r in module.router.routes]
    for route in routes:
        if not isinstance(route, APIRoute) or route.path in PUBLIC:
            continue
        path = re.sub(r"\{[^}]+\}", "1", route.path).replace("1.1", "needs.csv")
        found += [(method, path) for method in sorted(route.methods)]
    return found


def test_every_private_page_redirects_to_login(client: TestClient) -> None:
    routes = _page_routes()
    assert len(routes) >= 31  # the gathering router lost none
    client.cookies.set(CSRF_COOKIE, "token")
    for method, path in routes:
        data = {CSRF_FIELD: "token"} if method == "POST" else None
        response = client.request(
            method, path, data=data, params={"q": "x"}, follow_redirects=False
        )
        assert response.status_code == 303, (method, path, response.status_code)
        assert response.headers["location"] == f"/login?next={quote(path + '?q=x')}", path


def test_a_post_without_its_csrf_token_is_refused_before_the_login_check(
    client: TestClient,
) -> None:
    response = client.post("/queue", data={"decision": "approve"}, follow_redirects=False)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"


def test_a_signed_in_user_gets_the_page(client: TestClient, login) -> None:  # type: ignore[no-untyped-def]
    client.headers.update(login("zhou"))
    response = client.get("/queue", follow_redirects=False)
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
