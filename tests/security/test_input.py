"""Page forms answer a bad number with a 422 page naming the field, never a 500.

The audit's probe: POST /needs/{id}/propose with talent_id "abc" or a 30-digit number
answered 500 (int() failed, or the database overflowed)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import User
from tests.http_fixtures import Login
from tests.security.web_fixtures import page_login
from tests.service.helpers import post_need


@pytest.mark.parametrize(
    "value",
    ["abc", "999999999999999999999999999999", "9223372036854775808", "-1", "0", "²", "1.5", ""],
)
def test_propose_with_a_bad_talent_id_is_a_422_naming_the_field(
    client: TestClient, login: Login, value: str
) -> None:
    need = post_need(client, login("site1"))
    token = page_login(client, "site1")
    response = client.post(
        f"/needs/{need['id']}/propose",
        data={"talent_id": value, "csrf_token": token},
        headers={"accept": "text/html"},
        follow_redirects=False,
    )
    assert response.status_code == 422, response.text[:300]
    assert "text/html" in response.headers["content-type"]
    assert "talent_id" in response.text
    # The same through the API client's eyes: the one error shape, the field named.
    api = client.post(
        f"/needs/{need['id']}/propose",
        data={"talent_id": value, "csrf_token": token},
        follow_redirects=False,
    )
    assert api.status_code == 422
    fields = api.json()["error"]["fields"]
    assert fields[0]["field"] == "talent_id"
    assert "whole number" in fields[0]["message"]


@pytest.mark.parametrize("value", ["²", "999999999999999999999999999999"])
def test_queue_and_match_forms_ignore_ids_that_are_not_numbers(
    client: TestClient, value: str
) -> None:
    token = page_login(client, "zhou")
    queue = client.post(
        "/queue",
        data={"decision": "approve", "match_ids": value, "csrf_token": token},
        headers={"accept": "text/html"},
    )
    # No usable match id ticked: the form says so, rather than crashing.
    assert queue.status_code == 422, queue.text[:300]
    assert "match_ids" in queue.text or "queue" in queue.text
    action = client.post(
        "/matches/1/action",
        data={"action": "approve", "version": value, "csrf_token": token},
        headers={"accept": "text/html"},
        follow_redirects=False,
    )
    assert action.status_code < 500


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
