"""The ledger of hand-counted targets over HTTP on the real database: enter → approve →
counted once, for that county, year and target only; decisions by someone else; every
bad input refused with nothing written; evidence stored by its hash."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, EvidenceBlob, ProgrammeEntry
from models.enums import Role
from service.settings import Settings
from service.usecases import accounts
from service.usecases.programme_entries import approved_entry_totals, hand_counted_targets
from tests.conftest import DEMO_PASSWORD
from tests.http_fixtures import Login

SHUANGBAI = "532322"  # 双柏县, the demo county coordinator's county
MOUDING = "532323"  # 牟定县
FARMERS = "new_farmers.farmers"  # 培养1000名新型职业农民, counted by hand
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "target": FARMERS,
        "county_code": SHUANGBAI,
        "year": 2021,
        "value": 120,
        "note": "双柏县2021年新型职业农民培训结业名单",
    }
    body.update(overrides)
    return body


def _enter(client: TestClient, headers: dict[str, str], programme: str = "new_farmers", **o: Any):
    return client.post(f"/api/v1/programmes/{programme}/entries", json=_body(**o), headers=headers)


def _count(session: Session) -> tuple[int, int]:
    entries = session.scalar(select(func.count()).select_from(ProgrammeEntry)) or 0
    events = (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity == "programme_entry")
        )
        or 0
    )
    return entries, events


def _coordinator(session: Session, username: str, county: str | None) -> None:
    accounts.create(
        session=session,
        username=username,
        password=DEMO_PASSWORD,
        role=Role.COORDINATOR,
        display_name=username,
        jurisdiction=county,
    )
    session.commit()


def test_the_hand_counted_targets_are_those_without_a_counting_rule() -> None:
    keys = set(hand_counted_targets())
    assert {
        FARMERS,
        "workstations.workstations",
        "agri_entities.entities",
        "measure_2.sanqu_talents",
        "measure_2.star_spaces",
        "measure_6.flexible_bases",
        "measure_7.urgent_technicians",
        "measure_7.high_level",
        "measure_9.high_level_posts",
        "measure_10.seminar",
        "measure_10.model_representatives",
    } <= keys
    assert "technicians_frontline.technicians" not in keys


def test_enter_approve_counts_once_for_that_county_year_and_target(
    client: TestClient, login: Login, session: Session
) -> None:
    county, zhou = login("county"), login("zhou")
    created = _enter(client, county)
    assert created.status_code == 201, created.text
    entry = created.json()
    assert entry["status"] == "submitted" and entry["id"]
    assert entry["target_text"] == "培养1000名新型职业农民" and entry["unit"] == "名"
    assert approved_entry_totals(session, year=2021, county=SHUANGBAI) == {}, (
        "a submitted entry counts for nothing"
    )

    approved = client.post(f"/api/v1/programme-entries/{entry['id']}/approve", headers=zhou)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"

    totals = approved_entry_totals(session, year=2021, county=SHUANGBAI)
    assert set(totals) == {FARMERS}
    assert totals[FARMERS].value == 120 and totals[FARMERS].entry_ids == [entry["id"]]
    assert approved_entry_totals(session, year=2022, county=SHUANGBAI) == {}
    assert approved_entry_totals(session, year=2021, county=MOUDING) == {}
    assert approved_entry_totals(session, year=None, county=None)[FARMERS].value == 120

    again = client.post(f"/api/v1/programme-entries/{entry['id']}/approve", headers=zhou)
    assert again.status_code == 409, "a second approval of the same entry is refused"
    admin_again = client.post(
        f"/api/v1/programme-entries/{entry['id']}/approve", headers=login("admin")
    )
    assert admin_again.status_code == 409
    assert approved_entry_totals(session, year=2021, county=SHUANGBAI)[FARMERS].value == 120

    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity == "programme_entry", AuditEvent.entity_id == entry["id"])
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["entry.submitted", "entry.approved"]


def test_the_person_who_entered_cannot_decide(client: TestClient, login: Login) -> None:
    zhou = login("zhou")
    entry = _enter(client, zhou, county_code=MOUDING).json()
    refused = client.post(f"/api/v1/programme-entries/{entry['id']}/approve", headers=zhou)
    assert refused.status_code == 403
    assert "entered" in refused.json()["error"]["message"]
    returned = client.post(
        f"/api/v1/programme-entries/{entry['id']}/return", json={"reason": "x"}, headers=zhou
    )
    assert returned.status_code == 403
    ok = client.post(f"/api/v1/programme-entries/{entry['id']}/approve", headers=login("admin"))
    assert ok.status_code == 200 and ok.json()["decided_by"] != entry["entered_by"]


def test_a_county_coordinator_cannot_decide(client: TestClient, login: Login) -> None:
    zhou, county = login("zhou"), login("county")
    entry = _enter(client, zhou).json()
    refused = client.post(f"/api/v1/programme-entries/{entry['id']}/approve", headers=county)
    assert refused.status_code == 403


def test_return_with_reason_then_correct_and_resubmit(
    client: TestClient, login: Login, session: Session
) -> None:
    county, zhou = login("county"), login("zhou")
    entry = _enter(client, county, value=1200).json()
    no_reason = client.post(
        f"/api/v1/programme-entries/{entry['id']}/return", json={"reason": "  "}, headers=zhou
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["error"]["fields"][0]["field"] == "reason"
    returned = client.post(
        f"/api/v1/programme-entries/{entry['id']}/return",
        json={"reason": "人数超过全县培训名单，请核对"},
        headers=zhou,
    )
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "人数超过全县培训名单，请核对"
    assert approved_entry_totals(session, year=2021, county=SHUANGBAI) == {}
    approve_returned = client.post(f"/api/v1/programme-entries/{entry['id']}/approve", headers=zhou)
    assert approve_returned.status_code == 409

    other = login("admin")
    assert (
        client.post(
            f"/api/v1/programme-entries/{entry['id']}/resubmit",
            json={"value": 1},
            headers=other,
        ).status_code
        == 403
    ), "only the person who entered it corrects it"
    again = client.post(
        f"/api/v1/programme-entries/{entry['id']}/resubmit",
        json={"value": 120, "note": "已按结业名单核对"},
        headers=county,
    )
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "submitted" and again.json()["value"] == 120
    assert again.json()["return_reason"] is None
    ok = client.post(f"/api/v1/programme-entries/{entry['id']}/approve", headers=zhou)
    assert ok.status_code == 200
    assert approved_entry_totals(session, year=2021, county=SHUANGBAI)[FARMERS].value == 120
    trail = client.get(f"/api/v1/programme-entries/{entry['id']}", headers=zhou).json()
    assert trail["status"] == "approved"


def test_a_reversing_entry_corrects_the_total(
    client: TestClient, login: Login, session: Session
) -> None:
    county, zhou = login("county"), login("zhou")
    first = _enter(client, county, value=40).json()
    client.post(f"/api/v1/programme-entries/{first['id']}/approve", headers=zhou)
    second = _enter(client, county, value=10).json()
    client.post(f"/api/v1/programme-entries/{second['id']}/approve", headers=zhou)
    assert approved_entry_totals(session, year=2021, county=SHUANGBAI)[FARMERS].value == 50

    fix = client.post(
        f"/api/v1/programme-entries/{first['id']}/reverse",
        json={"value": 35, "note": "重复统计5人"},
        headers=county,
    )
    assert fix.status_code == 201, fix.text
    assert fix.json()["reverses"] == first["id"] and fix.json()["status"] == "submitted"
    assert approved_entry_totals(session, year=2021, county=SHUANGBAI)[FARMERS].value == 50
    twice = client.post(
        f"/api/v1/programme-entries/{first['id']}/reverse", json={"value": 1}, headers=county
    )
    assert twice.status_code == 409, "one live correction per entry"
    client.post(f"/api/v1/programme-entries/{fix.json()['id']}/approve", headers=zhou)
    total = approved_entry_totals(session, year=2021, county=SHUANGBAI)[FARMERS]
    assert total.value == 45
    assert total.entry_ids == [first["id"], second["id"], fix.json()["id"]]

    # A second correction reverses the correction.
    fix2 = client.post(
        f"/api/v1/programme-entries/{fix.json()['id']}/reverse", json={"value": 30}, headers=county
    ).json()
    client.post(f"/api/v1/programme-entries/{fix2['id']}/approve", headers=zhou)
    assert approved_entry_totals(session, year=2021, county=SHUANGBAI)[FARMERS].value == 40
    assert (
        client.post(
            f"/api/v1/programme-entries/{second['id']}/reverse",
            json={"value": 0},
            headers=login("site1"),
        ).status_code
        == 404
    )
    pending = _enter(client, county).json()
    not_approved = client.post(
        f"/api/v1/programme-entries/{pending['id']}/reverse", json={"value": 0}, headers=county
    )
    assert not_approved.status_code == 409


@pytest.mark.parametrize(
    ("programme", "overrides", "status", "field"),
    [
        ("new_farmers", {"target": "new_farmers.nobody"}, 422, "target"),
        ("new_farmers", {"target": "workstations.workstations"}, 422, "target"),
        (
            "technicians_frontline",
            {"target": "technicians_frontline.technicians"},
            422,
            "target",
        ),
        ("no_such_programme", {}, 404, None),
        ("new_farmers", {"year": 2019}, 422, "year"),
        ("new_farmers", {"year": 2031}, 422, "year"),
        ("new_farmers", {"value": -5}, 422, "value"),
        ("new_farmers", {"value": 2.5}, 422, "value"),
        ("new_farmers", {"county_code": MOUDING}, 404, "county_code"),
        ("new_farmers", {"county_code": "999999"}, 422, "county_code"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    client: TestClient,
    login: Login,
    session: Session,
    programme: str,
    overrides: dict[str, Any],
    status: int,
    field: str | None,
) -> None:
    before = _count(session)
    response = _enter(client, login("county"), programme, **overrides)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    if field is not None:
        assert error["fields"][0]["field"] == field
        sent = overrides.get(field)
        if status != 422 or field != "value" or sent != 2.5:
            assert error["fields"][0].get("value") == sent
    assert _count(session) == before


def test_counted_from_matches_says_so(client: TestClient, login: Login) -> None:
    response = _enter(
        client, login("zhou"), "technicians_frontline", target="technicians_frontline.technicians"
    )
    assert "counted from matches" in response.json()["error"]["message"]


def test_site_staff_and_talents_cannot_enter_or_see(client: TestClient, login: Login) -> None:
    site = login("site1")
    assert _enter(client, site).status_code == 403
    entry = _enter(client, login("county")).json()
    assert client.get(f"/api/v1/programme-entries/{entry['id']}", headers=site).status_code == 404
    assert client.get("/api/v1/programme-entries", headers=site).status_code == 403


def test_lists_filter_and_keep_to_the_jurisdiction(
    client: TestClient, login: Login, session: Session
) -> None:
    zhou, county = login("zhou"), login("county")
    mine = _enter(client, county).json()
    theirs = _enter(client, zhou, county_code=MOUDING, year=2022).json()
    county_list = client.get("/api/v1/programme-entries", headers=county).json()
    ids = [e["id"] for e in county_list["items"]]
    assert mine["id"] in ids and theirs["id"] not in ids
    assert (
        client.get(f"/api/v1/programme-entries/{theirs['id']}", headers=county).status_code == 404
    )
    found = client.get(
        "/api/v1/programme-entries",
        params={"status": "submitted", "county": MOUDING, "year": 2022},
        headers=zhou,
    ).json()
    assert [e["id"] for e in found["items"]] == [theirs["id"]]


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def test_evidence_is_stored_by_hash_and_shown_only_to_those_who_see_the_entry(
    client: TestClient, login: Login, session: Session, app_settings: Settings
) -> None:
    county, zhou = login("county"), login("zhou")
    entry = _enter(client, county).json()
    url = f"/api/v1/programme-entries/{entry['id']}/evidence"
    sent = client.post(url, files={"file": ("结业名单.png", PNG, "image/png")}, headers=county)
    assert sent.status_code == 200, sent.text
    digest = hashlib.sha256(PNG).hexdigest()
    proof = sent.json()["evidence"]
    assert proof["sha256"] == digest and proof["media_type"] == "image/png"
    assert proof["filename"] == "结业名单.png"
    # In the database, so that every server node can hand it out (docs/deployment.md).
    stored = session.get(EvidenceBlob, digest)
    assert stored is not None and stored.content == PNG and stored.size == len(PNG)

    got = client.get(url, headers=zhou)
    assert got.status_code == 200 and got.content == PNG
    # The API sends any evidence as a download; the entry says what the file is.
    assert got.headers["content-type"] == "application/octet-stream"
    assert client.get(url, headers=login("site1")).status_code == 404
    _coordinator(session, "mouding_coord", MOUDING)
    assert client.get(url, headers=login("mouding_coord")).status_code == 404

    xlsx = client.post(url, files={"file": ("名单.xlsx", _xlsx(), "text/plain")}, headers=county)
    assert xlsx.status_code == 200
    assert xlsx.json()["evidence"]["media_type"].endswith("spreadsheetml.sheet")


def test_bad_evidence_is_refused_and_nothing_is_stored(
    client: TestClient, login: Login, session: Session, app_settings: Settings
) -> None:
    county = login("county")
    entry = _enter(client, county).json()
    url = f"/api/v1/programme-entries/{entry['id']}/evidence"
    before = _count(session)
    fake = b"MZ\x90\x00 this is not a picture"
    wrong = client.post(url, files={"file": ("a.png", fake, "image/png")}, headers=county)
    assert wrong.status_code == 422
    assert wrong.json()["error"]["fields"][0]["field"] == "file"
    big = b"%PDF-" + b"0" * app_settings.max_evidence_bytes
    too_big = client.post(url, files={"file": ("a.pdf", big, "application/pdf")}, headers=county)
    assert too_big.status_code == 413
    for content in (fake, big):
        assert session.get(EvidenceBlob, hashlib.sha256(content).hexdigest()) is None
    assert _count(session) == before
    assert client.get(url, headers=county).status_code == 404
    others = client.post(url, files={"file": ("a.png", PNG, "image/png")}, headers=login("zhou"))
    assert others.status_code == 403, "only the person who entered it attaches evidence"


def test_approved_entries_take_no_new_evidence(client: TestClient, login: Login) -> None:
    county = login("county")
    entry = _enter(client, county).json()
    client.post(f"/api/v1/programme-entries/{entry['id']}/approve", headers=login("zhou"))
    url = f"/api/v1/programme-entries/{entry['id']}/evidence"
    late = client.post(url, files={"file": ("a.png", PNG, "image/png")}, headers=county)
    assert late.status_code == 409


def test_json_routes_keep_the_general_body_limit(
    client: TestClient, login: Login, app_settings: Settings
) -> None:
    zhou = login("zhou")
    entry = _enter(client, login("county")).json()
    huge = {"reason": "x" * (app_settings.max_body_bytes + 10)}
    response = client.post(
        f"/api/v1/programme-entries/{entry['id']}/return", json=huge, headers=zhou
    )
    assert response.status_code == 413
    multipart = client.post(
        f"/api/v1/programme-entries/{entry['id']}/approve",
        files={"file": ("a.png", PNG, "image/png")},
        headers=zhou,
    )
    assert multipart.status_code == 415, "only the evidence route takes uploads"


def test_evidence_stored_as_a_file_by_an_earlier_version_is_still_handed_out(
    client: TestClient, login: Login, session: Session, app_settings: Settings
) -> None:
    county = login("county")
    entry = _enter(client, county).json()
    url = f"/api/v1/programme-entries/{entry['id']}/evidence"
    assert client.post(url, files={"file": ("a.png", PNG, "image/png")}, headers=county).is_success
    digest = hashlib.sha256(PNG).hexdigest()
    # As an earlier version left it: the file under the data folder, no row.
    legacy = app_settings.data_dir / "evidence" / digest[:2] / digest[2:]
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(PNG)
    blob = session.get(EvidenceBlob, digest)
    assert blob is not None
    session.delete(blob)
    session.flush()
    try:
        got = client.get(url, headers=county)
        assert got.status_code == 200 and got.content == PNG
        legacy.unlink()
        missing = client.get(url, headers=county)
        assert missing.status_code == 404
    finally:
        legacy.unlink(missing_ok=True)
