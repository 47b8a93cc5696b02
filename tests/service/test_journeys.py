"""Each role's whole journey through HTTP against the real database and engine."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.http_fixtures import Login
from tests.service.helpers import first_candidate, post_need, talent_user

# The plan's goal of 1000 technicians to the production line: a need posted under it
# (short on-site visits in agricultural fields, reference/data/programmes.json) counts
# there once its match is approved, with a talent of one of these categories.
FRONTLINE = "technicians_frontline"
FRONTLINE_CATEGORIES = ("professional_technician", "expert", "agri_advisor", "retired_technician")


def _frontline_candidate(client: TestClient, headers: dict[str, str], need_id: int) -> dict:
    for category in FRONTLINE_CATEGORIES:
        found = client.get(
            f"/api/v1/needs/{need_id}/candidates",
            params={"k": 3, "category": category},
            headers=headers,
        ).json()
        if found:
            return dict(found[0])
    raise AssertionError("no frontline technician among the candidates")


def test_full_journey_from_need_to_progress(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site, programme_code=FRONTLINE)
    assert need["status"] == "open"

    candidate = _frontline_candidate(client, site, need["id"])
    assert candidate["breakdown"], "every candidate explains its score"
    assert {"feature", "value", "contribution", "zh", "en"} <= set(candidate["breakdown"][0])
    assert "phone" not in candidate["talent"] and "id_number" not in candidate["talent"]
    talent_id = candidate["talent"]["id"]

    talent = login(talent_user(session, talent_id))
    suggestions = client.get(
        f"/api/v1/talents/{talent_id}/suggestions", params={"k": 50}, headers=talent
    )
    assert suggestions.status_code == 200
    assert need["id"] in [s["need"]["id"] for s in suggestions.json()], (
        "a talent recommended for a need is offered that need in return"
    )
    interest = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent_id}, headers=talent
    )
    assert interest.status_code == 201, interest.text
    match = interest.json()
    assert match["status"] == "interested"
    assert match["site_contact"] is None

    accepted = client.post(f"/api/v1/matches/{match['id']}/accept", headers=site)
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["talent_contact"] is None, "no contacts before approval"

    coordinator = login("county")
    queue = client.get("/api/v1/matches", params={"status": "accepted"}, headers=coordinator)
    assert match["id"] in [m["id"] for m in queue.json()["items"]]
    approved = client.post(f"/api/v1/matches/{match['id']}/approve", headers=coordinator)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"

    site_view = client.get(f"/api/v1/matches/{match['id']}", headers=site).json()
    talent_view = client.get(f"/api/v1/matches/{match['id']}", headers=talent).json()
    assert site_view["talent_contact"]["phone"], "the site now sees the talent's phone"
    assert talent_view["site_contact"]["phone"], "the talent now sees the site's phone"
    assert [e["to_status"] for e in site_view["events"]] == ["interested", "accepted", "approved"]

    started = client.post(f"/api/v1/matches/{match['id']}/start", headers=site)
    assert started.json()["status"] == "active"
    record = client.post(
        f"/api/v1/matches/{match['id']}/records",
        headers=site,
        json={
            "date": date.today().isoformat(),
            "hours": 6,
            "visits": 1,
            "people_trained": 35,
            "outcome": "现场示范核桃修剪和病虫害绿色防控，培训种植户35人",
            "rating": 5,
        },
    )
    assert record.status_code == 201, record.text

    progress = client.get(
        "/api/v1/programmes/progress",
        params={"year": date.today().year, "programme": FRONTLINE},
        headers=coordinator,
    ).json()
    assert progress and progress[0]["achieved"] >= 1
    assert match["id"] in progress[0]["match_ids"]

    completed = client.post(f"/api/v1/matches/{match['id']}/complete", headers=site)
    assert completed.json()["status"] == "completed"
    records = client.get(f"/api/v1/matches/{match['id']}/records", headers=talent).json()
    assert records[0]["people_trained"] == 35


def test_talent_declines_a_suggestion_and_never_sees_it_again(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    talent = login(talent_user(session, talent_id))
    no_reason = client.post(
        "/api/v1/matches/decline-suggestion",
        json={"need_id": need["id"], "reason": ""},
        headers=talent,
    )
    assert no_reason.status_code == 422
    declined = client.post(
        "/api/v1/matches/decline-suggestion",
        json={"need_id": need["id"], "reason": "农忙季节走不开"},
        headers=talent,
    )
    assert declined.status_code == 201, declined.text
    assert declined.json()["status"] == "declined"
    again = client.get(
        f"/api/v1/needs/{need['id']}/candidates", params={"k": 50}, headers=site
    ).json()
    assert talent_id not in [c["talent"]["id"] for c in again]
    why = client.get(f"/api/v1/needs/{need['id']}/why-not/{talent_id}", headers=site).json()
    assert not why["feasible"]
    assert "declined" in [v["constraint"] for v in why["violations"]]


def test_site_proposes_directly_and_coordinator_still_approves(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    proposed = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent_id}, headers=site
    )
    assert proposed.status_code == 201
    assert proposed.json()["status"] == "proposed"
    assert proposed.json()["origin"] == "site"
    talent = login(talent_user(session, talent_id))
    match_id = proposed.json()["id"]
    assert (
        client.post(f"/api/v1/matches/{match_id}/interest", headers=talent).json()["status"]
        == "interested"
    )
    assert (
        client.post(f"/api/v1/matches/{match_id}/accept", headers=site).json()["status"]
        == "accepted"
    )
    # The site cannot approve its own match: a coordinator must.
    assert client.post(f"/api/v1/matches/{match_id}/approve", headers=site).status_code == 403
    assert (
        client.post(f"/api/v1/matches/{match_id}/approve", headers=login("zhou")).json()["status"]
        == "approved"
    )


def test_site_edits_its_need_and_the_change_is_audited(client: TestClient, login: Login) -> None:
    site = login("site1")
    need = post_need(client, site)
    patched = client.patch(f"/api/v1/needs/{need['id']}", json={"headcount": 3}, headers=site)
    assert patched.status_code == 200
    assert patched.json()["headcount"] == 3
    bad = client.patch(f"/api/v1/needs/{need['id']}", json={"end_date": "2000-01-01"}, headers=site)
    assert bad.status_code == 422
    listed = client.get("/api/v1/needs", params={"mode": "onsite_short"}, headers=site).json()
    assert need["id"] in [n["id"] for n in listed["items"]]


def test_talent_edits_own_profile(client: TestClient, login: Login) -> None:
    talent = login("talent1")
    me = client.get("/api/v1/auth/me", headers=talent).json()
    updated = client.patch(
        f"/api/v1/talents/{me['talent_id']}",
        headers=talent,
        json={
            "travel_radius_km": 250,
            "windows": [{"start_date": "2026-03-01", "end_date": "2026-10-31"}],
        },
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["travel_radius_km"] == 250
    assert updated.json()["windows"] == [{"start_date": "2026-03-01", "end_date": "2026-10-31"}]
