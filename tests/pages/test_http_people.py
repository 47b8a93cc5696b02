"""The people pages by URL (issue 14): recruitments (措施7), the 编办's pools and their
ledger, rotations and a person's grassroots-service ledger. The 双柏县 coordinator enters
for the own county, the prefecture approves; site staff and talents are refused (a talent
reads only their own ledger); forms without the CSRF token write nothing."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Recruitment, Rotation, StaffingMovement, StaffingPool, Talent, User
from tests.pages.conftest import WebFactory
from tests.pages.web import ROLES, assert_login_redirect, redirect_target, row_counts
from tests.service.people_builders import SHUANGBAI, township

UNIT = "页面测试：鄂嘉镇中心卫生院"
HOST = "页面测试：大麦地镇中心小学"


def _talent(session: Session) -> int:
    found = session.scalar(select(Talent.id).order_by(Talent.id))
    assert found is not None
    return found


def _recruitment_form(session: Session, **overrides: str) -> dict[str, str]:
    form = {
        "talent_id": str(_talent(session)),
        "county_code": SHUANGBAI,
        "township_id": str(township(session, SHUANGBAI, "鄂嘉镇").id),
        "unit": UNIT,
        "post": "临床医生",
        "post_kind": "medical_technical",
        "route": "special_post",
        "post_grade": "8",
        "degree_level": "4",
        "title_level": "2",
        "fresh_graduate": "on",
        "start_date": "2021-09-01",
        "term_assessment": "pending",
    }
    return {**form, **overrides}


@pytest.fixture
def recruitment(web: WebFactory, session: Session) -> Recruitment:
    sent = web("county").post("/recruitments", _recruitment_form(session))
    row = session.scalars(select(Recruitment).where(Recruitment.unit == UNIT)).one()
    assert redirect_target(sent) == f"/recruitments/{row.id}?done=saved"
    return row


def test_anonymous_is_sent_to_sign_in(web: WebFactory) -> None:
    for path in ("/recruitments", "/staffing", "/rotations", "/service-ledger"):
        assert_login_redirect(web(None).get(path), path)


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_recruitments(web: WebFactory, recruitment: Recruitment, role: str) -> None:
    listing = web(role).get("/recruitments")
    detail = web(role).get(f"/recruitments/{recruitment.id}")
    if role in ("admin", "zhou", "county"):
        assert listing.status_code == 200 and UNIT in html.unescape(listing.text)
        assert detail.status_code == 200
        text = html.unescape(detail.text)
        assert "专业技术八级" in text and "乡镇工作补贴" in text and "艰苦边远地区津贴" in text
        assert "鄂嘉镇 是25个贫困乡镇之一" in text
        assert "硕士学位以上及急需紧缺高层次人才" in text
        decides = f'action="/recruitments/{recruitment.id}/approve"' in detail.text
        assert decides == (role in ("admin", "zhou"))
    else:
        assert listing.status_code == 403 and UNIT not in listing.text
        assert detail.status_code == 403


def test_entering_a_recruitment_refuses_bad_input(web: WebFactory, session: Session) -> None:
    county = web("county")
    before = row_counts(session)
    assert county.post("/recruitments", _recruitment_form(session), csrf=None).status_code == 403
    bad_grade = county.post("/recruitments", _recruitment_form(session, post_grade="7"))
    assert bad_grade.status_code == 422 and 'class="field-error"' in bad_grade.text
    county_level = county.post("/recruitments", _recruitment_form(session, township_id=""))
    assert county_level.status_code == 422
    assert "特设岗位仅用于乡镇事业单位" in html.unescape(county_level.text)
    assert web("site1").post("/recruitments", _recruitment_form(session)).status_code == 403
    assert row_counts(session) == before


def test_deciding_and_leaving(web: WebFactory, recruitment: Recruitment, session: Session) -> None:
    zhou, county = web("zhou"), web("county")
    path = f"/recruitments/{recruitment.id}"
    assert county.post(f"{path}/approve").status_code == 403
    blank = zhou.post(f"{path}/return", {"reason": ""})
    assert blank.status_code == 422
    assert redirect_target(zhou.post(f"{path}/approve")) == f"{path}?done=decided"
    session.refresh(recruitment)
    assert recruitment.status == "approved"
    # A pool, a use for this person, then 人走编收 when they leave.
    made = county.post(
        "/staffing", {"county_code": SHUANGBAI, "sector": "talent", "name": "页面测试编制"}
    )
    pool = session.scalars(select(StaffingPool).where(StaffingPool.name == "页面测试编制")).one()
    assert redirect_target(made) == f"/staffing/{pool.id}?done=saved"
    moves = f"/staffing/{pool.id}/movements"
    assert (
        redirect_target(
            county.post(moves, {"kind": "approve", "quantity": "2", "on_date": "2021-01-04"})
        )
        == f"/staffing/{pool.id}?done=saved"
    )
    used = county.post(
        moves,
        {
            "kind": "use",
            "quantity": "1",
            "on_date": "2021-09-01",
            "recruitment_id": str(recruitment.id),
        },
    )
    assert redirect_target(used) == f"/staffing/{pool.id}?done=saved"
    too_many = county.post(moves, {"kind": "use", "quantity": "5", "on_date": "2021-09-02"})
    assert too_many.status_code == 409 and "超出" in html.unescape(too_many.text)
    bad_leave = county.post(f"{path}/leave", {"ended_on": "2020-01-01", "reason": "调离"})
    assert bad_leave.status_code == 422
    assert (
        redirect_target(county.post(f"{path}/leave", {"ended_on": "2023-06-30", "reason": "调离"}))
        == f"{path}?done=left"
    )
    session.refresh(pool)
    assert pool.available == 2
    page = html.unescape(county.get(f"/staffing/{pool.id}").text)
    assert "人走编收" in page and "调离" in page
    assert (
        session.scalars(select(StaffingMovement).where(StaffingMovement.pool_id == pool.id))
        .all()[-1]
        .kind
        == "return"
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_pools(web: WebFactory, role: str) -> None:
    response = web(role).get("/staffing")
    assert response.status_code == (200 if role in ("admin", "zhou", "county") else 403)


def test_prefecture_pool_is_out_of_a_county_officers_reach(
    web: WebFactory, session: Session
) -> None:
    zhou = web("zhou")
    made = zhou.post(
        "/staffing", {"county_code": "", "sector": "high_level", "name": "页面测试州级高层次编制"}
    )
    pool = session.scalars(
        select(StaffingPool).where(StaffingPool.name == "页面测试州级高层次编制")
    ).one()
    assert redirect_target(made) == f"/staffing/{pool.id}?done=saved"
    assert web("county").get(f"/staffing/{pool.id}").status_code == 404
    assert (
        web("county")
        .post(
            f"/staffing/{pool.id}/movements",
            {"kind": "approve", "quantity": "1", "on_date": "2021-01-04"},
        )
        .status_code
        == 404
    )
    assert "页面测试州级高层次编制" not in html.unescape(web("county").get("/staffing").text)


def test_rotations_show_on_both_units(web: WebFactory, session: Session) -> None:
    county = web("county")
    form = {
        "talent_id": str(_talent(session)),
        "kind": "school",
        "county_code": SHUANGBAI,
        "employer_unit": "页面测试：双柏县第一中学",
        "host_unit": HOST,
        "host_township_id": str(township(session, SHUANGBAI, "大麦地镇").id),
        "starts_on": "2023-09-01",
        "ends_on": "2023-08-31",
    }
    before = row_counts(session)
    bad = county.post("/rotations", form)
    assert bad.status_code == 422 and "不能早于开始日期" in html.unescape(bad.text)
    assert web("talent1").post("/rotations", {**form, "ends_on": "2024-08-31"}).status_code == 403
    assert row_counts(session) == before
    assert (
        redirect_target(county.post("/rotations", {**form, "ends_on": "2024-08-31"}))
        == "/rotations?done=saved"
    )
    for unit in ("页面测试：双柏县第一中学", HOST):
        page = html.unescape(county.get("/rotations", unit=unit).text)
        assert HOST in page and "县管校聘" in page
    rotation = session.scalars(select(Rotation).where(Rotation.host_unit == HOST)).one()
    ledger = html.unescape(county.get(f"/people/{rotation.talent_id}/ledger").text)
    assert HOST in ledger and "县管乡用/县管校聘" in ledger


def test_person_ledger_page_review_and_facts(web: WebFactory, session: Session) -> None:
    county = web("county")
    talent = _talent(session)
    county.post(
        "/rotations",
        {
            "talent_id": str(talent),
            "kind": "township",
            "county_code": SHUANGBAI,
            "employer_unit": "双柏县人民医院",
            "host_unit": "页面测试卫生院",
            "host_township_id": str(township(session, SHUANGBAI, "鄂嘉镇").id),
            "starts_on": "2022-01-01",
            "ends_on": "2022-12-31",
        },
    )
    rotation = session.scalars(select(Rotation).where(Rotation.host_unit == "页面测试卫生院")).one()
    path = f"/people/{talent}/ledger"
    page = county.get(path)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "晋升高级职称须有1年以上农村基层工作服务经历" in text and "365" in text
    assert "service-certificate.pdf" in page.text
    facts = county.post(f"{path}/facts", {"series": "health", "intermediate_since": "2015-01-01"})
    assert redirect_target(facts) == f"{path}?done=saved"
    no_reason = county.post(
        f"{path}/review", {"source": f"rotation:{rotation.id}", "decision": "exclude", "reason": ""}
    )
    assert no_reason.status_code == 422
    done = county.post(
        f"{path}/review",
        {"source": f"rotation:{rotation.id}", "decision": "exclude", "reason": "未实际到岗"},
    )
    assert redirect_target(done) == f"{path}?done=saved"
    assert "未实际到岗" in html.unescape(county.get(path).text)
    assert web("site1").get(path).status_code == 404
    assert web("county").get("/service-ledger").status_code == 200


def test_a_talent_reads_only_their_own_ledger(web: WebFactory, session: Session) -> None:
    own = session.scalar(select(User.talent_id).where(User.username == "talent1"))
    assert own is not None
    assert redirect_target(web("talent1").get("/service-ledger")) == f"/people/{own}/ledger"
    assert web("talent1").get(f"/people/{own}/ledger").status_code == 200
    other = session.scalar(select(Talent.id).where(Talent.id != own).order_by(Talent.id))
    assert web("talent1").get(f"/people/{other}/ledger").status_code == 404


def test_english_pages_name_places_in_english(web: WebFactory, recruitment: Recruitment) -> None:
    """On an English page a county and a township read in English (the reference data's
    names), in the list, in the filter and on the pools page."""
    import reference

    divisions = reference.load_divisions()
    county = divisions.county(SHUANGBAI)
    ejia = divisions.find_township(SHUANGBAI, "鄂嘉镇")
    assert ejia is not None
    zhou = web("zhou")
    listed = html.unescape(zhou.get("/recruitments", lang="en").text)
    assert f"{county.en} · {ejia.en}" in listed and county.name not in listed
    pools = html.unescape(zhou.get("/staffing", lang="en").text)
    assert county.name not in pools
    chinese = html.unescape(zhou.get("/recruitments", lang="zh-CN").text)
    assert f"{county.name} · 鄂嘉镇" in chinese
