"""The register (星创天地, 实训基地…) and training pages by URL: coordinators read them, the
双柏县 coordinator enters rows for the own county, the prefecture approves or returns with a
reason; people trained on service records are confirmed into a training once. Site staff
and talents are refused; forms without the CSRF token write nothing."""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Match, Need, RegisterEntry, ServiceRecord, Site, Talent, Training, User
from tests.pages.conftest import WebFactory
from tests.pages.web import ROLES, assert_login_redirect, redirect_target, row_counts

REGISTER_NAME = "页面测试：双柏县农业星创天地"
TRAINING_TITLE = "页面测试：高素质农民培训班"
YEAR = 2021


def _county(session: Session) -> str:
    code = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    assert code is not None
    return code


def _register_form(county: str) -> dict[str, str]:
    return {
        "kind": "star_space",
        "name": REGISTER_NAME,
        "county_code": county,
        "founded_on": "2022-04-01",
        "lead_unit": "州科技局",
    }


def _training_form(county: str) -> dict[str, str]:
    return {
        "title": TRAINING_TITLE,
        "target": "measure_5.new_farmers",
        "county_code": county,
        "starts_on": "2022-03-01",
        "ends_on": "2022-03-03",
        "organiser": "双柏县农业农村局",
        "participants": "30",
        "names": "张三\n李四",
    }


@pytest.fixture
def register(web: WebFactory, session: Session) -> RegisterEntry:
    sent = web("county").post("/registers", _register_form(_county(session)))
    assert redirect_target(sent) == "/registers?done=saved"
    return session.scalars(select(RegisterEntry).where(RegisterEntry.name == REGISTER_NAME)).one()


@pytest.fixture
def training(web: WebFactory, session: Session) -> Training:
    sent = web("county").post("/trainings", _training_form(_county(session)))
    assert redirect_target(sent) == "/trainings?done=saved"
    return session.scalars(select(Training).where(Training.title == TRAINING_TITLE)).one()


def test_anonymous_is_sent_to_sign_in(web: WebFactory) -> None:
    for path in ("/registers", "/trainings"):
        assert_login_redirect(web(None).get(path), path)


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_registers(web: WebFactory, register: RegisterEntry, role: str) -> None:
    response = web(role).get("/registers")
    if role in ("admin", "zhou", "county"):
        assert response.status_code == 200
        assert "星创天地" in response.text and REGISTER_NAME in html.unescape(response.text)
        decides = f'action="/registers/{register.id}/approve"' in response.text
        assert decides == (role in ("admin", "zhou"))
    else:
        assert response.status_code == 403 and REGISTER_NAME not in response.text


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_trainings(web: WebFactory, training: Training, role: str) -> None:
    response = web(role).get("/trainings")
    if role in ("admin", "zhou", "county"):
        assert response.status_code == 200
        assert "培养新型职业农民" in response.text
        assert TRAINING_TITLE in html.unescape(response.text)
    else:
        assert response.status_code == 403 and TRAINING_TITLE not in response.text


def test_entering_a_register_row(web: WebFactory, session: Session) -> None:
    county, form = web("county"), _register_form(_county(session))
    before = row_counts(session)
    assert county.post("/registers", form, csrf=None).status_code == 403
    bad = county.post("/registers", {**form, "founded_on": "去年"})
    assert bad.status_code == 422 and 'class="field-error"' in bad.text
    assert web("site1").post("/registers", form).status_code == 403
    assert row_counts(session) == before
    assert redirect_target(county.post("/registers", form)) == "/registers?done=saved"
    assert REGISTER_NAME in html.unescape(county.get("/registers").text)


def test_deciding_a_register_row(
    web: WebFactory, register: RegisterEntry, session: Session
) -> None:
    zhou = web("zhou")
    approve, give_back = f"/registers/{register.id}/approve", f"/registers/{register.id}/return"
    assert zhou.post(approve, csrf=None).status_code == 403
    assert web("county").post(approve).status_code == 403
    blank = zhou.post(give_back, {"reason": ""})
    assert blank.status_code == 422 and 'class="field-error"' in blank.text
    session.refresh(register)
    assert register.status == "submitted"
    assert redirect_target(zhou.post(approve)) == "/registers?done=decided"
    session.refresh(register)
    assert register.status == "approved"


def test_returning_a_register_row(
    web: WebFactory, register: RegisterEntry, session: Session
) -> None:
    zhou, path = web("zhou"), f"/registers/{register.id}/return"
    assert zhou.post(path, {"reason": "缺少批复文件"}, csrf=None).status_code == 403
    session.refresh(register)
    assert register.status == "submitted"
    assert redirect_target(zhou.post(path, {"reason": "缺少批复文件"})) == "/registers?done=decided"
    session.refresh(register)
    assert register.status == "returned"
    assert "缺少批复文件" in web("county").get("/registers").text


def test_entering_a_training(web: WebFactory, session: Session) -> None:
    county, form = web("county"), _training_form(_county(session))
    before = row_counts(session)
    assert county.post("/trainings", form, csrf=None).status_code == 403
    bad = county.post("/trainings", {**form, "participants": "-1"})
    assert bad.status_code == 422 and 'class="field-error"' in bad.text
    assert web("talent1").post("/trainings", form).status_code == 403
    assert row_counts(session) == before
    assert redirect_target(county.post("/trainings", form)) == "/trainings?done=saved"
    assert TRAINING_TITLE in html.unescape(county.get("/trainings").text)


def test_deciding_a_training(web: WebFactory, training: Training, session: Session) -> None:
    zhou = web("zhou")
    approve, give_back = f"/trainings/{training.id}/approve", f"/trainings/{training.id}/return"
    assert zhou.post(approve, csrf=None).status_code == 403
    assert zhou.post(give_back, {"reason": "名单不全"}, csrf=None).status_code == 403
    assert web("county").post(approve).status_code == 403
    no_reason = zhou.post(give_back, {"reason": ""})
    assert no_reason.status_code == 422 and 'class="field-error"' in no_reason.text
    session.refresh(training)
    assert training.status == "submitted"
    assert (
        redirect_target(zhou.post(give_back, {"reason": "名单不全"})) == "/trainings?done=decided"
    )
    session.refresh(training)
    assert training.status == "returned"
    assert "已退回" in web("county").get("/trainings").text


def test_approving_a_training(web: WebFactory, training: Training, session: Session) -> None:
    path = f"/trainings/{training.id}/approve"
    assert redirect_target(web("zhou").post(path)) == "/trainings?done=decided"
    session.refresh(training)
    assert training.status == "approved"


def _service_records(session: Session, county: str, people: list[int]) -> list[int]:
    """Service records with people trained on a match in ``county``, written directly (the
    match lifecycle has its own tests)."""
    need_id = session.scalars(
        select(Need.id).join(Site).where(Site.county_code == county).order_by(Need.id)
    ).first()
    talent_id = session.scalars(select(Talent.id).order_by(Talent.id.desc())).first()
    match = Match(need_id=need_id, talent_id=talent_id, status="active", origin="coordinator")
    session.add(match)
    session.flush()
    records = [
        ServiceRecord(match_id=match.id, date=date(YEAR, 6, 1 + i), people_trained=n, hours=4)
        for i, n in enumerate(people)
    ]
    session.add_all(records)
    session.flush()
    return [r.id for r in records]


def test_confirming_people_trained(web: WebFactory, session: Session) -> None:
    code = _county(session)
    county, path = web("county"), "/trainings/confirm-people-trained"
    form = {"county_code": code, "year": str(YEAR)}
    before = row_counts(session)
    nothing = county.post(path, form)
    assert nothing.status_code == 422 and 'class="field-error"' in nothing.text
    assert row_counts(session) == before

    _service_records(session, code, [12, 8])
    before = row_counts(session)
    assert county.post(path, form, csrf=None).status_code == 403
    assert web("site1").post(path, form).status_code == 403
    assert row_counts(session) == before
    assert redirect_target(county.post(path, form)) == "/trainings?done=saved"
    confirmed = session.scalars(
        select(Training).where(Training.county_code == code).order_by(Training.id.desc())
    ).first()
    assert confirmed is not None and confirmed.participants == 20
    assert county.post(path, form).status_code == 422  # nothing left to confirm
