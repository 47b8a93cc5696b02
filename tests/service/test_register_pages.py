"""The register and training pages: a county coordinator enters, the prefecture reviews;
lists show words, not codes; forms carry CSRF; a wrong field is shown beside it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import County, RegisterEntry, Township, Training, User
from tests.security.web_fixtures import page_login


def _county(session: Session) -> County:
    code = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    county = session.get(County, code)
    assert county is not None
    return county


def test_county_enters_and_prefecture_approves_a_register(
    client: TestClient, session: Session
) -> None:
    county = _county(session)
    token = page_login(client, "county")
    page = client.get("/registers")
    assert page.status_code == 200
    assert "星创天地" in page.text and "养老服务实训基地" in page.text
    assert "star_space" not in page.text.replace('value="star_space"', "")
    foreign = session.scalars(
        select(Township.id).where(Township.county_code != county.code)
    ).first()
    form = {
        "csrf_token": token,
        "kind": "star_space",
        "name": "双柏县农业星创天地",
        "county_code": county.code,
        "founded_on": "2022-04-01",
        "lead_unit": "州科技局",
    }
    count = session.scalar(select(func.count()).select_from(RegisterEntry))
    bad = client.post("/registers", data={**form, "township_id": str(foreign)})
    assert bad.status_code == 422
    assert "乡镇不属于所选县市" in bad.text
    assert session.scalar(select(func.count()).select_from(RegisterEntry)) == count
    assert (
        client.post(
            "/registers", data={k: v for k, v in form.items() if k != "csrf_token"}
        ).status_code
        == 403
    )
    saved = client.post("/registers", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    row = session.scalars(select(RegisterEntry).order_by(RegisterEntry.id.desc())).first()
    assert row is not None and row.status == "submitted"

    client.cookies.clear()
    token = page_login(client, "zhou")
    listed = client.get("/registers", params={"status": "submitted"})
    assert "待审核" in listed.text and county.name in listed.text
    assert f'action="/registers/{row.id}/approve"' in listed.text
    done = client.post(
        f"/registers/{row.id}/approve", data={"csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303
    session.refresh(row)
    assert row.status == "approved"
    english = client.get("/registers", params={"lang": "en"})
    assert "Star innovation space" in english.text and "Approved" in english.text


def test_trainings_page_enters_and_returns(client: TestClient, session: Session) -> None:
    county = _county(session)
    token = page_login(client, "county")
    assert "培养新型职业农民" in client.get("/trainings").text
    form = {
        "csrf_token": token,
        "title": "高素质农民培训班",
        "target": "measure_5.new_farmers",
        "county_code": county.code,
        "starts_on": "2022-03-01",
        "ends_on": "2022-03-03",
        "organiser": "双柏县农业农村局",
        "participants": "-1",
    }
    count = session.scalar(select(func.count()).select_from(Training))
    assert client.post("/trainings", data=form).status_code == 422
    assert session.scalar(select(func.count()).select_from(Training)) == count
    saved = client.post(
        "/trainings",
        data={**form, "participants": "30", "names": "张三\n李四"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    training = session.scalars(select(Training).order_by(Training.id.desc())).first()
    assert training is not None and training.participants == 30

    client.cookies.clear()
    token = page_login(client, "zhou")
    no_reason = client.post(f"/trainings/{training.id}/return", data={"csrf_token": token})
    assert no_reason.status_code == 422
    returned = client.post(
        f"/trainings/{training.id}/return",
        data={"csrf_token": token, "reason": "名单不全"},
        follow_redirects=False,
    )
    assert returned.status_code == 303
    assert "已退回" in client.get("/trainings").text
