"""Every forbidden cross-role and cross-jurisdiction access is denied, and a record the
caller may not see answers 404, never confirming that it exists."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import County, Need, Site, Talent, User
from tests.http_fixtures import Login
from tests.service.helpers import first_candidate, post_need, talent_user


def _need_of_other_county(session: Session) -> Need:
    shuangbai = session.scalars(select(County.code).where(County.name == "双柏县")).one()
    need = session.scalars(
        select(Need).join(Site).where(Site.county_code != shuangbai).order_by(Need.id)
    ).first()
    assert need is not None
    return need


def test_anonymous_gets_401_with_the_shared_error_shape(client: TestClient) -> None:
    for path in (
        "/api/v1/needs",
        "/api/v1/matches",
        "/api/v1/talents/1",
        "/api/v1/programmes/progress",
        "/api/v1/auth/me",
    ):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "unauthorized"


def test_expired_or_forged_token_is_refused(client: TestClient) -> None:
    response = client.get("/api/v1/needs", headers={"authorization": "Bearer not.a.token"})
    assert response.status_code == 401


def test_site_staff_sees_only_its_own_site(
    client: TestClient, login: Login, session: Session
) -> None:
    other = post_need(client, login("site2"))
    site1 = login("site1")
    assert client.get(f"/api/v1/needs/{other['id']}", headers=site1).status_code == 404
    assert (
        client.patch(
            f"/api/v1/needs/{other['id']}", json={"headcount": 2}, headers=site1
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/needs/{other['id']}/candidates", headers=site1).status_code == 404
    listed = client.get("/api/v1/needs", params={"limit": 200}, headers=site1).json()
    site1_id = session.scalars(select(User.site_id).where(User.username == "site1")).one()
    assert all(n["site_id"] == site1_id for n in listed["items"])
    # Posting for another site is refused, whatever site_id the body names.
    site2_id = session.scalars(select(User.site_id).where(User.username == "site2")).one()
    from tests.service.helpers import need_body

    posted = client.post("/api/v1/needs", json=need_body(site_id=site2_id), headers=site1)
    assert posted.status_code == 201
    assert posted.json()["site_id"] == site1_id


def test_site_staff_cannot_browse_talents(client: TestClient, login: Login) -> None:
    site = login("site1")
    assert client.get("/api/v1/talents", headers=site).status_code == 403
    assert client.get("/api/v1/talents/1", headers=site).status_code == 404


def test_talent_sees_only_itself(client: TestClient, login: Login, session: Session) -> None:
    talent = login("talent1")
    me = client.get("/api/v1/auth/me", headers=talent).json()
    other_id = me["talent_id"] + 1
    assert client.get(f"/api/v1/talents/{other_id}", headers=talent).status_code == 404
    assert (
        client.patch(
            f"/api/v1/talents/{other_id}", json={"travel_radius_km": 5}, headers=talent
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/talents/{other_id}/suggestions", headers=talent).status_code == 404
    assert client.get("/api/v1/talents", headers=talent).status_code == 403
    assert client.post("/api/v1/needs", json={}, headers=talent).status_code in (403, 422)


def test_talent_cannot_act_for_another_talent(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    other_id = session.scalars(
        select(Talent.id).where(Talent.id != talent_id).order_by(Talent.id)
    ).first()
    assert other_id is not None
    other = login(talent_user(session, other_id))
    response = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent_id}, headers=other
    )
    assert response.status_code == 404
    proposed = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent_id}, headers=site
    )
    match_id = proposed.json()["id"]
    assert client.get(f"/api/v1/matches/{match_id}", headers=other).status_code == 404
    assert client.post(f"/api/v1/matches/{match_id}/interest", headers=other).status_code == 404


def test_county_coordinator_stays_in_its_county(
    client: TestClient, login: Login, session: Session
) -> None:
    need = _need_of_other_county(session)
    county = login("county")
    assert client.get(f"/api/v1/needs/{need.id}", headers=county).status_code == 404
    assert client.get(f"/api/v1/needs/{need.id}/candidates", headers=county).status_code == 404
    listed = client.get("/api/v1/needs", params={"limit": 200}, headers=county).json()
    assert need.id not in [n["id"] for n in listed["items"]]
    # The prefecture coordinator sees it.
    assert client.get(f"/api/v1/needs/{need.id}", headers=login("zhou")).status_code == 200


def test_county_coordinator_cannot_approve_outside_its_county(
    client: TestClient, login: Login, session: Session
) -> None:
    zhou = login("zhou")
    need = post_need(client, zhou, site_id=_need_of_other_county(session).site_id)
    talent_id = first_candidate(client, zhou, need["id"])["talent"]["id"]
    proposed = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent_id}, headers=zhou
    )
    assert proposed.status_code == 201, proposed.text
    match_id = proposed.json()["id"]
    county = login("county")
    assert client.get(f"/api/v1/matches/{match_id}", headers=county).status_code == 404
    assert client.post(f"/api/v1/matches/{match_id}/approve", headers=county).status_code == 404


def test_login_is_rate_limited(client: TestClient) -> None:
    # The failures are rows in the test's transaction, rolled back afterwards.
    client.app.state.login_throttle.account_limit = 3  # type: ignore[attr-defined]
    codes = [
        client.post(
            "/api/v1/auth/login", json={"username": "site1", "password": "wrong"}
        ).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [401, 401, 401]
    assert codes[3:] == [429, 429]


def test_production_refuses_the_default_secret() -> None:
    from pydantic import ValidationError

    from service.settings import Settings

    with pytest.raises(ValidationError, match="RENCAI_SECRET_KEY"):
        Settings(environment="production")
