"""A coordinator records interest for a talent without a login (issue 12, item 5): the
same match as her own interest, then the normal accept/approve flow; the history and
the audit trail name both people."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Talent, User
from service.pages.common import CSRF_COOKIE, CSRF_FIELD
from tests.http_fixtures import Login
from tests.service.helpers import post_need


def _candidates(client: TestClient, headers: dict[str, str], need_id: int) -> list[int]:
    found = client.get(f"/api/v1/needs/{need_id}/candidates", params={"k": 5}, headers=headers)
    assert found.status_code == 200, found.text
    return [c["talent"]["id"] for c in found.json()]


def test_recorded_interest_leads_to_the_same_approved_match_naming_both_people(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site)
    talent_id = _candidates(client, site, need["id"])[0]
    coordinator = login("county")
    body = {"need_id": need["id"], "talent_id": talent_id, "channel": "phone", "note": "电话确认"}

    refused = client.post("/api/v1/matches/record-interest", json=body, headers=site)
    assert refused.status_code == 403
    bad = client.post(
        "/api/v1/matches/record-interest", json={**body, "channel": "sms"}, headers=coordinator
    )
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "channel"

    made = client.post("/api/v1/matches/record-interest", json=body, headers=coordinator)
    assert made.status_code == 201, made.text
    match = made.json()
    assert (match["status"], match["origin"]) == ("interested", "talent")
    assert match["events"][0]["on_behalf_of_talent_id"] == talent_id
    again = client.post("/api/v1/matches/record-interest", json=body, headers=coordinator)
    assert again.status_code == 409

    assert client.post(f"/api/v1/matches/{match['id']}/accept", headers=site).status_code == 200
    approved = client.post(f"/api/v1/matches/{match['id']}/approve", headers=coordinator)
    assert approved.status_code == 200, approved.text
    final = client.get(f"/api/v1/matches/{match['id']}", headers=coordinator).json()
    assert final["status"] == "approved"
    assert [e["to_status"] for e in final["events"]] == ["interested", "accepted", "approved"]

    county_user = session.scalars(select(User).where(User.username == "county")).one()
    talent = session.get(Talent, talent_id)
    assert talent is not None
    audit = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "match",
            AuditEvent.entity_id == match["id"],
            AuditEvent.action == "match.interested",
        )
    ).one()
    assert audit.actor_id == county_user.id
    assert audit.after is not None
    assert audit.after["recorded_by"]["name"] == county_user.display_name
    assert audit.after["on_behalf_of"] == {
        "talent_id": talent_id,
        "name": talent.name,
        "channel": "phone",
    }
    page = client.get(f"/matches/{match['id']}", headers=coordinator).text
    assert f"{county_user.display_name} 代 {talent.name} 登记" in page
    english = client.get(f"/matches/{match['id']}", params={"lang": "en"}, headers=site).text
    assert f"recorded by {county_user.display_name} for {talent.name}" in english


def test_the_candidate_list_form_records_interest_and_answers_an_invitation(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site)
    first, second = _candidates(client, site, need["id"])[:2]
    invited = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": second}, headers=site
    ).json()
    assert invited["status"] == "proposed"

    coordinator = login("county")
    page = client.get(f"/needs/{need['id']}", headers=coordinator).text
    assert f'action="/needs/{need["id"]}/record-interest"' in page
    assert (
        f'action="/needs/{need["id"]}/record-interest"'
        not in client.get(f"/needs/{need['id']}", headers=site).text
    ), "site staff get no such form"

    client.cookies.clear()
    client.cookies.set(CSRF_COOKIE, "token")
    for talent_id in (first, second):
        response = client.post(
            f"/needs/{need['id']}/record-interest",
            data={CSRF_FIELD: "token", "talent_id": str(talent_id), "channel": "offline"},
            headers=coordinator,
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
    found = client.get(
        "/api/v1/matches", params={"need_id": need["id"]}, headers=coordinator
    ).json()["items"]
    assert {m["talent_id"]: m["status"] for m in found} == {
        first: "interested",
        second: "interested",
    }
    repeat = client.post(
        f"/needs/{need['id']}/record-interest",
        data={CSRF_FIELD: "token", "talent_id": str(first), "channel": "phone"},
        headers=coordinator,
        follow_redirects=False,
    )
    assert repeat.status_code == 303 and repeat.headers["location"].endswith("?note=already")
