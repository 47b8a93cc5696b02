"""The engine sees a new pairing at once: the candidate list's continuity feature
changes in the very next answer (issue 12, item 6)."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from models import Talent
from tests.http_fixtures import Login
from tests.service.helpers import post_need


def _continuity(candidate: dict) -> float:
    return next(b["value"] for b in candidate["breakdown"] if b["feature"] == "continuity")


def test_a_new_pairing_changes_the_candidate_list_at_once(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site)
    candidates = client.get(
        f"/api/v1/needs/{need['id']}/candidates", params={"k": 30}, headers=site
    ).json()
    chosen = None
    for c in candidates:
        talent = session.get(Talent, c["talent"]["id"])
        assert talent is not None
        if talent.institution_id is not None and _continuity(c) == 0:
            chosen = (c, talent.institution_id)
            break
    assert chosen is not None, "some candidate belongs to an institution not yet paired"
    candidate, institution_id = chosen
    site_id = client.get(f"/api/v1/needs/{need['id']}", headers=site).json()["site_id"]

    coordinator = login("admin")
    made = client.post(
        "/api/v1/pairings",
        json={
            "institution_id": institution_id,
            "site_id": site_id,
            "kind": "counterpart_hospital",
            "start_date": date.today().isoformat(),
        },
        headers=coordinator,
    )
    assert made.status_code == 201, made.text

    after = client.get(
        f"/api/v1/needs/{need['id']}/candidates", params={"k": 50}, headers=site
    ).json()
    again = next(c for c in after if c["talent"]["id"] == candidate["talent"]["id"])
    assert _continuity(again) > 0, "the candidate list shows the new pairing's continuity"
    why = client.get(
        f"/api/v1/needs/{need['id']}/why-not/{candidate['talent']['id']}", headers=site
    ).json()
    assert next(b for b in why["breakdown"] if b["feature"] == "continuity")["value"] > 0
