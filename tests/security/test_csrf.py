"""The API refuses unsafe requests signed in by the session cookie alone.

The audit's attack: a page on another site made the coordinator's browser POST
/api/v1/matches/{id}/approve; the browser attached the session cookie and the approval
went through (only SameSite=Lax stood in the way). Now such a request must also echo
the CSRF cookie in the X-CSRF-Token header, which another site cannot do; a client with
a bearer token is unaffected."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from models import Match
from tests.http_fixtures import Login
from tests.security.web_fixtures import page_login
from tests.service.helpers import first_candidate, post_need


def _accepted_match(client: TestClient, login: Login, session: Session, site: str) -> int:
    """A match waiting for the coordinator's approval."""
    staff = login(site)
    need = post_need(client, staff)
    talent = first_candidate(client, staff, need["id"])["talent"]
    proposed = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent["id"]}, headers=staff
    )
    assert proposed.status_code == 201, proposed.text
    match = session.get(Match, proposed.json()["id"])
    assert match is not None
    match.status = "accepted"
    session.commit()
    return match.id


def test_cookie_alone_cannot_approve(client: TestClient, login: Login, session: Session) -> None:
    match_id = _accepted_match(client, login, session, "site1")
    token = page_login(client, "zhou")
    # What the forged cross-site request carries: the cookies, no header.
    forged = client.post(f"/api/v1/matches/{match_id}/approve", json={})
    assert forged.status_code == 403
    error = forged.json()["error"]
    assert error["code"] == "csrf_failed"
    assert error["fields"][0]["field"] == "X-CSRF-Token"
    session.expire_all()
    assert session.get(Match, match_id).status == "accepted"  # type: ignore[union-attr]
    # A wrong token is no better than none.
    wrong = client.post(
        f"/api/v1/matches/{match_id}/approve", json={}, headers={"x-csrf-token": token + "x"}
    )
    assert wrong.status_code == 403
    # Our own page's script would send the cookie's value in the header: accepted.
    ours = client.post(
        f"/api/v1/matches/{match_id}/approve", json={}, headers={"x-csrf-token": token}
    )
    assert ours.status_code == 200, ours.text
    assert ours.json()["status"] == "approved"


def test_every_unsafe_method_is_covered(client: TestClient, login: Login) -> None:
    page_login(client, "site1")
    need = post_need(client, login("site1"))
    for method, path in (
        ("POST", "/api/v1/needs"),
        ("PATCH", f"/api/v1/needs/{need['id']}"),
        ("PUT", f"/api/v1/needs/{need['id']}"),
        ("DELETE", f"/api/v1/needs/{need['id']}"),
    ):
        response = client.request(method, path, json={"headcount": 2})
        assert response.status_code == 403, (method, path)
        assert response.json()["error"]["code"] == "csrf_failed"
    # Reading is safe and needs no token.
    assert client.get(f"/api/v1/needs/{need['id']}").status_code == 200


def test_bearer_requests_are_unaffected(client: TestClient, login: Login, session: Session) -> None:
    match_id = _accepted_match(client, login, session, "site2")
    # Even with the cookies in the jar, a bearer token is what authenticates.
    page_login(client, "zhou")
    approved = client.post(f"/api/v1/matches/{match_id}/approve", json={}, headers=login("zhou"))
    assert approved.status_code == 200, approved.text


def test_anonymous_api_posts_still_get_401(client: TestClient) -> None:
    response = client.post("/api/v1/needs", json={})
    assert response.status_code == 401


def test_pages_expose_the_token_for_their_own_scripts(client: TestClient) -> None:
    token = page_login(client, "zhou")
    page = client.get("/queue")
    assert f'<meta name="csrf-token" content="{token}">' in page.text
