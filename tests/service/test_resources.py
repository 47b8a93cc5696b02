"""Sites, institutions, pairings and users through the API, each role within its scope."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.http_fixtures import Login

SHUANGBAI = "532322"


def test_sites_are_scoped_and_contacts_private(client: TestClient, login: Login) -> None:
    county = login("county")
    listed = client.get("/api/v1/sites", params={"limit": 200}, headers=county).json()
    assert listed["total"] > 0
    assert {s["county_code"] for s in listed["items"]} == {SHUANGBAI}
    own = client.get("/api/v1/sites", headers=login("site1")).json()
    assert own["total"] == 1
    site_id = own["items"][0]["id"]
    assert client.get(f"/api/v1/sites/{site_id}", headers=login("site1")).json()["contact"]
    talent = login("talent1")
    assert client.get("/api/v1/sites", headers=talent).status_code == 403
    public = client.get(f"/api/v1/sites/{site_id}", headers=talent).json()
    assert public["name"] and public["contact"] is None


def test_coordinator_creates_a_site_in_its_county_only(client: TestClient, login: Login) -> None:
    county = login("county")
    body = {
        "name": "双柏县妥甸镇敬老院",
        "site_type": "elderly_care",
        "county_code": SHUANGBAI,
        "township": "妥甸镇",
        "lat": 24.69,
        "lon": 101.64,
    }
    created = client.post("/api/v1/sites", json=body, headers=county)
    assert created.status_code == 201, created.text
    assert created.json()["township_id"] is not None
    elsewhere = client.post(
        "/api/v1/sites", json={**body, "county_code": "532301", "township": None}, headers=county
    )
    assert elsewhere.status_code == 403
    outside = client.post("/api/v1/sites", json={**body, "lat": 30.0}, headers=county)
    assert outside.status_code == 422
    assert outside.json()["error"]["fields"][0]["field"] == "lat"


def test_institutions_and_pairings(client: TestClient, login: Login) -> None:
    admin = login("admin")
    created = client.post(
        "/api/v1/institutions",
        headers=admin,
        json={
            "name": "昆明医科大学第一附属医院",
            "institution_type": "tertiary_hospital",
            "lat": 25.03,
            "lon": 102.70,
            "specialities": "health.general_practice;health.maternal",
        },
    )
    assert created.status_code == 201, created.text
    institution = created.json()
    assert institution["specialities"] == ["health.general_practice", "health.maternal"]
    assert (
        client.post(
            "/api/v1/institutions",
            headers=login("county"),
            json={"name": "x", "institution_type": "university"},
        ).status_code
        == 403
    )
    pairing = client.post(
        "/api/v1/pairings",
        headers=login("county"),
        json={
            "institution_id": institution["id"],
            "county_code": SHUANGBAI,
            "kind": "counterpart_hospital",
            "start_date": "2026-01-01",
            "end_date": "2027-12-31",
        },
    )
    assert pairing.status_code == 201, pairing.text
    both = client.post(
        "/api/v1/pairings",
        headers=admin,
        json={
            "institution_id": institution["id"],
            "county_code": SHUANGBAI,
            "site_id": 1,
            "kind": "one_to_one",
            "start_date": "2026-01-01",
        },
    )
    assert both.status_code == 422
    listed = client.get(
        "/api/v1/pairings", params={"institution_id": institution["id"]}, headers=login("county")
    ).json()
    assert [p["id"] for p in listed["items"]] == [pairing.json()["id"]]


def test_only_the_admin_manages_users(client: TestClient, login: Login) -> None:
    admin = login("admin")
    assert client.get("/api/v1/users", headers=login("zhou")).status_code == 403
    users = client.get("/api/v1/users", headers=admin).json()
    assert "password_hash" not in users["items"][0]
    created = client.post(
        "/api/v1/users",
        headers=admin,
        json={
            "username": "chuxiong_coord",
            "password": "a-long-password",
            "role": "coordinator",
            "display_name": "楚雄市协调员",
            "jurisdiction": "532301",
        },
    )
    assert created.status_code == 201, created.text
    login("chuxiong_coord", "a-long-password")
    orphan = client.post(
        "/api/v1/users",
        headers=admin,
        json={
            "username": "nosite",
            "password": "a-long-password",
            "role": "site_staff",
            "display_name": "x",
        },
    )
    assert orphan.status_code == 422
    assert orphan.json()["error"]["fields"][0]["field"] == "site_id"


def test_a_role_keeps_only_the_links_it_uses(client: TestClient, login: Login) -> None:
    """Found by the fuzzer: an admin account given a (missing) site id answered 500."""
    created = client.post(
        "/api/v1/users",
        headers=login("admin"),
        json={
            "username": "second_admin",
            "password": "a-long-password",
            "role": "admin",
            "display_name": "管理员",
            "site_id": 500000,
            "talent_id": 7,
        },
    )
    assert created.status_code == 201, created.text
    assert (created.json()["site_id"], created.json()["talent_id"]) == (None, None)
