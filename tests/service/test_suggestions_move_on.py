"""Suggestions move on and a need that is filled stops inviting (issue 12, items 3
and 4): a talent's suggestions leave out needs she has acted on or serves, and needs
filled, closed or past their end; acting twice lands on the match as it stands."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from models import Need
from service.pages.common import CSRF_COOKIE, CSRF_FIELD
from tests.http_fixtures import Login
from tests.service.helpers import first_candidate, post_need, talent_user


def _form_post(
    client: TestClient, path: str, headers: dict[str, str], **data: str
) -> tuple[int, str]:
    client.cookies.clear()
    client.cookies.set(CSRF_COOKIE, "token")
    response = client.post(
        path, data={CSRF_FIELD: "token", **data}, headers=headers, follow_redirects=False
    )
    return response.status_code, response.headers.get("location", "")


def _suggested(client: TestClient, headers: dict[str, str], talent_id: int) -> list[int]:
    response = client.get(
        f"/api/v1/talents/{talent_id}/suggestions", params={"k": 100}, headers=headers
    )
    assert response.status_code == 200, response.text
    return [s["need"]["id"] for s in response.json()]


def test_suggestions_leave_out_needs_acted_on_and_acting_twice_shows_the_match(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    talent = login(talent_user(session, talent_id))
    assert need["id"] in _suggested(client, talent, talent_id)

    status, location = _form_post(client, f"/suggestions/{need['id']}/interest", talent)
    assert status == 303 and location.startswith("/matches/")
    match_id = int(location.split("/")[2].split("?")[0])
    assert need["id"] not in _suggested(client, talent, talent_id), "acted on: not suggested"

    for path, data in (
        (f"/suggestions/{need['id']}/interest", {}),
        (f"/needs/{need['id']}/propose", {}),
    ):
        status, location = _form_post(client, path, talent, **data)
        assert (status, location) == (303, f"/matches/{match_id}?note=already"), path
        page = client.get(location, headers=talent)
        assert page.status_code == 200 and 'data-test="note"' in page.text
    assert client.get(f"/api/v1/matches/{match_id}", headers=talent).json()["status"] == (
        "interested"
    )

    # Accepted and approved: she serves it, and it is filled.
    assert client.post(f"/api/v1/matches/{match_id}/accept", headers=site).status_code == 200
    approved = client.post(f"/api/v1/matches/{match_id}/approve", headers=login("county"))
    assert approved.status_code == 200, approved.text
    assert need["id"] not in _suggested(client, talent, talent_id)
    for path, data in (
        (f"/suggestions/{need['id']}/interest", {}),
        (f"/needs/{need['id']}/decline", {"reason": "又点了一次"}),
    ):
        status, location = _form_post(client, path, talent, **data)
        assert (status, location) == (303, f"/matches/{match_id}?note=already"), path


def test_a_filled_need_says_why_and_offers_no_invitation(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site, headcount=1)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    open_page = client.get(f"/needs/{need['id']}", headers=site).text
    assert f'action="/needs/{need["id"]}/propose"' in open_page
    assert 'data-test="closed-why"' not in open_page

    talent = login(talent_user(session, talent_id))
    match = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent_id}, headers=talent
    ).json()
    client.post(f"/api/v1/matches/{match['id']}/accept", headers=site)
    client.post(f"/api/v1/matches/{match['id']}/approve", headers=login("county"))
    assert client.get(f"/api/v1/needs/{need['id']}", headers=site).json()["status"] == "filled"

    page = client.get(f"/needs/{need['id']}", headers=site).text
    assert "已满员" in page and "需求人数 1 人" in page
    assert f'action="/needs/{need["id"]}/propose"' not in page, "no 邀请对接 button"
    english = client.get(f"/needs/{need['id']}", params={"lang": "en"}, headers=site).text
    assert "the headcount of 1 is reached" in english


def test_a_need_past_its_end_is_neither_suggested_nor_inviting(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    talent = login(talent_user(session, talent_id))
    assert need["id"] in _suggested(client, talent, talent_id)

    row = session.get(Need, need["id"])
    assert row is not None
    row.start_date = date.today() - timedelta(days=60)
    row.end_date = date.today() - timedelta(days=1)
    session.commit()
    assert need["id"] not in _suggested(client, talent, talent_id)
    page = client.get(f"/needs/{need['id']}", headers=site).text
    assert 'data-test="closed-why"' in page
    assert f'action="/needs/{need["id"]}/propose"' not in page


def test_the_api_names_the_existing_match_when_asked_twice(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    talent = login(talent_user(session, talent_id))
    body = {"need_id": need["id"], "talent_id": talent_id}
    first = client.post("/api/v1/matches", json=body, headers=talent)
    assert first.status_code == 201
    again = client.post("/api/v1/matches", json=body, headers=talent)
    assert again.status_code == 409
    field = again.json()["error"]["fields"][0]
    assert (field["field"], field["value"]) == ("match_id", first.json()["id"])
