"""The plan's progress counts what is not a match: an approved entry and an approved
register raise their own target, for their county and year, by exactly their amount, and
every other target stays as it was."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import User
from tests.http_fixtures import Login

FARMERS = "new_farmers.farmers"  # 培养1000名新型职业农民: entered by hand
WORKSTATIONS = "workstations.workstations"  # 10个院士专家工作站和专家基层科研工作站
YEAR = 2021


def _county(session: Session) -> str:
    code = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    assert code
    return code


def _progress(client: TestClient, headers: dict[str, str], county: str) -> dict[str, Any]:
    rows = client.get(
        "/api/v1/programmes/progress", params={"year": YEAR, "county": county}, headers=headers
    )
    assert rows.status_code == 200, rows.text
    return {row["key"]: row for row in rows.json()}


def _achieved(rows: dict[str, Any]) -> dict[str, float]:
    return {key: row["achieved"] for key, row in rows.items()}


def test_an_approved_entry_counts_once_for_its_target_county_and_year(
    client: TestClient, login: Login, session: Session
) -> None:
    county, county_h, zhou = _county(session), login("county"), login("zhou")
    before = _progress(client, zhou, county)
    entry = client.post(
        "/api/v1/programmes/new_farmers/entries",
        json={
            "target": FARMERS,
            "county_code": county,
            "year": YEAR,
            "value": 120,
            "note": "结业名单",
        },
        headers=county_h,
    )
    assert entry.status_code == 201, entry.text
    assert _achieved(_progress(client, zhou, county)) == _achieved(before), "not yet approved"

    approved = client.post(f"/api/v1/programme-entries/{entry.json()['id']}/approve", headers=zhou)
    assert approved.status_code == 200, approved.text
    after = _progress(client, zhou, county)
    expected = _achieved(before) | {FARMERS: before[FARMERS]["achieved"] + 120}
    assert _achieved(after) == expected
    assert after[FARMERS]["achieved_entries"] == before[FARMERS]["achieved_entries"] + 120
    assert f"entry:{entry.json()['id']}" in after[FARMERS]["entry_ids"]
    # Another year is untouched.
    other = client.get(
        "/api/v1/programmes/progress", params={"year": YEAR + 1, "county": county}, headers=zhou
    ).json()
    assert all(f"entry:{entry.json()['id']}" not in row["entry_ids"] for row in other)


def test_an_approved_register_counts_one_toward_its_target(
    client: TestClient, login: Login, session: Session
) -> None:
    county, county_h, zhou = _county(session), login("county"), login("zhou")
    kinds = client.get("/api/v1/registers/kinds", headers=zhou).json()
    lead = next(k["lead_units"][0] for k in kinds if k["kind"] == "workstation")
    before = _progress(client, zhou, county)
    created = client.post(
        "/api/v1/registers",
        json={
            "kind": "workstation",
            "name": "双柏县核桃产业专家基层科研工作站",
            "county_code": county,
            "founded_on": f"{YEAR}-05-10",
            "lead_unit": lead,
        },
        headers=county_h,
    )
    assert created.status_code == 201, created.text
    approved = client.post(f"/api/v1/registers/{created.json()['id']}/approve", headers=zhou)
    assert approved.status_code == 200, approved.text
    after = _progress(client, zhou, county)
    expected = _achieved(before) | {WORKSTATIONS: before[WORKSTATIONS]["achieved"] + 1}
    assert _achieved(after) == expected
    assert f"register:{created.json()['id']}" in after[WORKSTATIONS]["entry_ids"]


def test_progress_for_an_unknown_county_is_refused_naming_the_field(
    client: TestClient, login: Login, session: Session
) -> None:
    """Not an empty table that reads as "nothing achieved": 422 naming the field, the
    value and the county codes expected, on the table, its exports and the ledger totals."""
    zhou = login("zhou")
    known = _county(session)
    for url in (
        "/api/v1/programmes/progress",
        "/api/v1/programmes/progress.csv",
        "/api/v1/programmes/progress.xlsx",
        "/api/v1/ledger-totals",
    ):
        refused = client.get(url, params={"year": YEAR, "county": "5323XX"}, headers=zhou)
        assert refused.status_code == 422, (url, refused.text)
        error = refused.json()["error"]
        (field,) = error["fields"]
        assert (field["field"], field["value"]) == ("county", "5323XX"), url
        assert known in field["message"] and "county code" in field["message"], url
        assert "5323XX" in error["message"]
    # A known county and the prefecture still answer.
    for county in (known, ""):
        ok = client.get(
            "/api/v1/programmes/progress", params={"year": YEAR, "county": county}, headers=zhou
        )
        assert ok.status_code == 200 and ok.json(), ok.text
