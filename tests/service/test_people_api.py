"""Recruitments, pools, rotations and the service ledger through the JSON API (issue 14):
the 特设岗位 case of 措施7, counting in progress, and bad input that writes nothing."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Recruitment, Rotation, StaffingMovement, Talent
from tests.http_fixtures import Login
from tests.service.people_builders import CHUXIONG, SHUANGBAI, township

API = "/api/v1"


def _talent(session: Session) -> int:
    found = session.scalar(select(Talent.id).order_by(Talent.id))
    assert found is not None
    return found


def _special_post(session: Session, **overrides: Any) -> dict[str, Any]:
    town = township(session, SHUANGBAI, "鄂嘉镇")  # one of the 25 poverty townships
    body = {
        "talent_id": _talent(session),
        "county_code": SHUANGBAI,
        "township_id": town.id,
        "unit": "鄂嘉镇中心卫生院",
        "post": "临床医生",
        "post_kind": "medical_technical",
        "route": "special_post",
        "post_grade": 8,
        "degree_level": 4,
        "title_level": 2,
        "fresh_graduate": True,
        "start_date": "2021-09-01",
    }
    return {**body, **overrides}


def _progress(client: TestClient, headers: dict[str, str], key: str) -> dict[str, Any]:
    response = client.get(
        f"{API}/programmes/progress", params={"year": 2021, "county": SHUANGBAI}, headers=headers
    )
    assert response.status_code == 200, response.text
    return next(p for p in response.json() if p["key"] == key)


def test_special_post_grade_eight_in_poverty_township(
    client: TestClient, login: Login, session: Session
) -> None:
    county, zhou = login("county"), login("zhou")
    before_high = _progress(client, zhou, "measure_7.high_level")
    before_urgent = _progress(client, zhou, "measure_7.urgent_technicians")
    created = client.post(f"{API}/recruitments", json=_special_post(session), headers=county)
    assert created.status_code == 201, created.text
    rec = created.json()
    subsidies = {s["code"]: s for s in rec["subsidies"]}
    assert subsidies["township_allowance"]["met"] is True
    assert subsidies["hardship_allowance"]["met"] is True
    assert "贫困乡镇" in subsidies["hardship_allowance"]["reasons"][0]
    assert subsidies["altitude_seniority"]["met"] is False  # 鄂嘉镇 lies at 1400 m
    assert "1400" in subsidies["altitude_seniority"]["reasons"][0]
    assert subsidies["early_regular"]["met"] is True
    assert rec["grade_label"] == "专业技术八级"
    assert rec["target"] == "measure_7.high_level"
    # Submitted: not counted yet.
    assert _progress(client, zhou, "measure_7.high_level")["achieved"] == before_high["achieved"]
    approved = client.post(f"{API}/recruitments/{rec['id']}/approve", headers=zhou)
    assert approved.status_code == 200, approved.text
    high = _progress(client, zhou, "measure_7.high_level")
    urgent = _progress(client, zhou, "measure_7.urgent_technicians")
    assert high["achieved"] == before_high["achieved"] + 1
    assert high["entry_ids"].count(f"recruitment:{rec['id']}") == 1
    assert urgent["achieved"] == before_urgent["achieved"]
    assert f"recruitment:{rec['id']}" not in urgent["entry_ids"]
    # Another year does not see it.
    other = client.get(
        f"{API}/programmes/progress", params={"year": 2022, "county": SHUANGBAI}, headers=zhou
    )
    row = next(p for p in other.json() if p["key"] == "measure_7.high_level")
    assert f"recruitment:{rec['id']}" not in row["entry_ids"]


def test_shortage_route_refused_with_every_reason(
    client: TestClient, login: Login, session: Session
) -> None:
    county = login("county")
    body = _special_post(
        session,
        route="shortage",
        degree_level=2,
        post_kind="medical_technical",
        post_grade=11,
        licences=["assistant_physician"],
        township_id=township(session, SHUANGBAI, "妥甸镇").id,
    )
    count = session.scalar(select(func.count()).select_from(Recruitment))
    refused = client.post(f"{API}/recruitments", json=body, headers=county)
    assert refused.status_code == 422, refused.text
    message = refused.json()["error"]["message"]
    assert (
        "assistant practising physician" in message
        and "not one of the 25 poverty townships" in message
    )
    assert "Consecutive unfilled years: 0" in message
    assert session.scalar(select(func.count()).select_from(Recruitment)) == count
    # In a poverty township an assistant physician suffices (25个贫困乡镇放宽到执业助理医师).
    body["township_id"] = township(session, SHUANGBAI, "鄂嘉镇").id
    ok = client.post(f"{API}/recruitments", json=body, headers=county)
    assert ok.status_code == 201, ok.text
    conditions = {c["code"]: c for c in ok.json()["conditions"]}
    assert conditions["shortage_medical"]["met"] is True
    assert ok.json()["target"] == "measure_7.urgent_technicians"
    # Two years unfilled is a condition of its own.
    body.update(township_id=township(session, SHUANGBAI, "妥甸镇").id, failed_open_years=2)
    assert client.post(f"{API}/recruitments", json=body, headers=county).status_code == 201


def test_bad_input_gets_a_clear_error_and_writes_nothing(
    client: TestClient, login: Login, session: Session
) -> None:
    county, zhou = login("county"), login("zhou")
    counts = {
        m: session.scalar(select(func.count()).select_from(m))
        for m in (Recruitment, Rotation, StaffingMovement, AuditEvent)
    }
    for grade in (7, 14):
        bad = client.post(
            f"{API}/recruitments", json=_special_post(session, post_grade=grade), headers=county
        )
        assert bad.status_code == 422
        assert bad.json()["error"]["fields"][0]["field"] == "post_grade"
    # A special post at county level, or for a bachelor, is refused with the reason.
    bad = client.post(
        f"{API}/recruitments",
        json=_special_post(session, township_id=None, degree_level=3),
        headers=county,
    )
    assert bad.status_code == 422
    assert {f["field"] for f in bad.json()["error"]["fields"]} == {"township_id", "degree_level"}
    # A pool of another county is out of reach.
    pool = client.post(
        f"{API}/staffing-pools",
        json={"county_code": CHUXIONG, "sector": "talent", "name": "楚雄市人才专用编制"},
        headers=zhou,
    )
    assert pool.status_code == 201, pool.text
    move = client.post(
        f"{API}/staffing-pools/{pool.json()['id']}/movements",
        json={"kind": "approve", "quantity": 3, "on_date": "2021-01-05"},
        headers=county,
    )
    assert move.status_code == 404
    # The refusal names the officer's own county in words (a page shows this sentence).
    assert "Shuangbai" in move.json()["error"]["message"]
    assert "532322" not in move.json()["error"]["message"]
    # A rotation that ends before it starts.
    town = township(session, SHUANGBAI, "鄂嘉镇")
    rotation = {
        "talent_id": _talent(session),
        "kind": "township",
        "county_code": SHUANGBAI,
        "employer_unit": "双柏县人民医院",
        "host_unit": "鄂嘉镇中心卫生院",
        "host_township_id": town.id,
        "starts_on": "2022-03-01",
        "ends_on": "2022-02-28",
    }
    bad = client.post(f"{API}/rotations", json=rotation, headers=county)
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["field"] == "ends_on"
    # A certificate for a person outside the officer's county.
    outsider = session.scalar(
        select(Talent.id).where(Talent.home_county_code == CHUXIONG).order_by(Talent.id)
    )
    assert outsider is not None
    assert (
        client.get(f"{API}/people/{outsider}/service-certificate.pdf", headers=county).status_code
        == 404
    )
    assert client.get(f"{API}/people/{outsider}/service-ledger", headers=county).status_code == 404
    after = {m: session.scalar(select(func.count()).select_from(m)) for m in counts}
    assert after[Recruitment] == counts[Recruitment] and after[Rotation] == counts[Rotation]
    assert after[StaffingMovement] == counts[StaffingMovement]
    assert after[AuditEvent] == (counts[AuditEvent] or 0) + 1  # the pool the prefecture opened


def test_rotation_shows_on_both_units_and_the_ledger(
    client: TestClient, login: Login, session: Session
) -> None:
    county = login("county")
    town = township(session, SHUANGBAI, "大麦地镇")
    talent = _talent(session)
    body = {
        "talent_id": talent,
        "kind": "school",
        "county_code": SHUANGBAI,
        "employer_unit": "双柏县第一中学",
        "host_unit": "大麦地镇中心小学",
        "host_township_id": town.id,
        "starts_on": "2023-09-01",
        "ends_on": "2024-08-31",
    }
    created = client.post(f"{API}/rotations", json=body, headers=county)
    assert created.status_code == 201, created.text
    for unit in ("双柏县第一中学", "大麦地镇中心小学"):
        listed = client.get(f"{API}/rotations", params={"unit": unit}, headers=county).json()
        assert created.json()["id"] in [r["id"] for r in listed["items"]]
    ledger = client.get(f"{API}/people/{talent}/service-ledger", headers=county).json()
    assert f"rotation:{created.json()['id']}" in [p["source"] for p in ledger["periods"]]
    assert created.json()["id"] in [r["id"] for r in ledger["rotations"]]


def test_certificate_pdf_embeds_a_chinese_font_and_xlsx_round_trips(
    client: TestClient, login: Login, session: Session
) -> None:
    from openpyxl import load_workbook

    county = login("county")
    town = township(session, SHUANGBAI, "大麦地镇")
    talent = _talent(session)
    body = {
        "talent_id": talent,
        "kind": "township",
        "county_code": SHUANGBAI,
        "employer_unit": "双柏县人民医院",
        "host_unit": "大麦地镇卫生院",
        "host_township_id": town.id,
        "starts_on": "2022-01-01",
        "ends_on": "2022-12-31",
    }
    assert client.post(f"{API}/rotations", json=body, headers=county).status_code == 201
    pdf = client.get(f"{API}/people/{talent}/service-certificate.pdf", headers=county)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert b"/FontFile" in pdf.content and b"NotoSansCJK" in pdf.content
    # The Chinese text reads back out of the PDF (the embedded font maps to Unicode).
    from pypdf import PdfReader

    pages = PdfReader(BytesIO(pdf.content)).pages
    text = "".join(page.extract_text() for page in pages).replace("\x00", "")
    assert "基层服务经历证明" in text and "双柏县" in text and "大麦地镇" in text, text[:300]
    xlsx = client.get(f"{API}/people/{talent}/service-ledger.xlsx", headers=county)
    assert xlsx.status_code == 200
    book = load_workbook(BytesIO(xlsx.content))
    periods, rules = book.worksheets
    rows = list(periods.iter_rows(values_only=True))
    ledger = client.get(f"{API}/people/{talent}/service-ledger", headers=county).json()
    assert [r[4:7] for r in rows[2:]] == [
        (p["starts_on"], p["ends_on"], p["days"]) for p in ledger["periods"]
    ]
    assert [r[0] for r in list(rules.iter_rows(values_only=True))[1:]] == [
        c["label"] for c in ledger["rules"]
    ]
