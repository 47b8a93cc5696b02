"""Input the audit sent that answered 500: each now gets a 4xx naming the field, and
nothing is written."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Match, User
from tests.conftest import DEMO_PASSWORD
from tests.http_fixtures import Login


def _page_login(client: TestClient, username: str) -> str:
    """Log in through the login form; return the CSRF token the pages expect."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "the login form carries a CSRF token"
    response = client.post(
        "/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text[:500]
    return token.group(1)


@pytest.mark.parametrize(
    "talent_id",
    ["abc", "", "1e3", "-1", "0", "１２", "99999999999999999999999", "9" * 5000],
)
def test_the_propose_form_refuses_a_talent_id_that_is_not_an_id(
    client: TestClient, session: Session, login: Login, talent_id: str
) -> None:
    need_id = client.get("/api/v1/needs?limit=1", headers=login("zhou")).json()["items"][0]["id"]
    csrf = _page_login(client, "zhou")
    before = session.scalar(select(func.count()).select_from(Match))

    response = client.post(
        f"/needs/{need_id}/propose",
        data={"talent_id": talent_id, "csrf_token": csrf},
        headers={"accept": "text/html"},
        follow_redirects=False,
    )

    assert response.status_code == 422, response.text[:500]
    assert "talent_id" in response.text
    assert session.scalar(select(func.count()).select_from(Match)) == before


def test_a_coordinator_with_an_empty_jurisdiction_is_refused_not_500(
    client: TestClient, session: Session, login: Login
) -> None:
    """Found by the fuzz test: "" passed the county check and broke the foreign key. It
    must not become a prefecture-wide coordinator either."""
    response = client.post(
        "/api/v1/users",
        headers=login("admin"),
        json={
            "username": "empty-jurisdiction",
            "password": "a-long-enough-password-2020",
            "role": "coordinator",
            "display_name": "空辖区",
            "jurisdiction": "",
        },
    )
    assert response.status_code == 422, response.text
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["jurisdiction"]
    assert session.scalar(select(User).where(User.username == "empty-jurisdiction")) is None
