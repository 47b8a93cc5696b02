"""The match pages by URL: each party's list, one match with contacts shown only once
approved, its lifecycle actions and service records. Another site's, another talent's
or another county's match answers 404 and changes nothing."""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Match, ServiceRecord, Site, User
from tests.pages.conftest import WebFactory
from tests.pages.web import Api, Pairing, make_pairing, redirect_target, row_counts

TITLE = "页面测试：对接页面用的需求"


def _text(value: str) -> str:
    return html.escape(value, quote=False)


@pytest.fixture
def pairing(api: Api) -> Pairing:
    return make_pairing(api, TITLE)


@pytest.fixture
def elsewhere_match(api: Api, session: Session) -> int:
    """A match the prefecture coordinator made outside 双柏县."""
    county = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    site_id = session.scalars(
        select(Site.id).where(Site.county_code != county).order_by(Site.id)
    ).first()
    assert site_id is not None
    need_id = api.post_need("zhou", "页面测试：外县的需求", site_id=site_id)["id"]
    talent_id = api.candidate("zhou", need_id)
    match = api.call(
        "POST", "/api/v1/matches", "zhou", json={"need_id": need_id, "talent_id": talent_id}
    )
    return int(match["id"])


def _status(session: Session, match_id: int) -> str:
    session.expire_all()
    match = session.get(Match, match_id)
    assert match is not None
    return match.status


# ---------------------------------------------------------------------------------------
# Who sees which page


@pytest.mark.parametrize("role", ["admin", "zhou", "county", "site1", "site2", "talent2", "own"])
def test_the_match_list(web: WebFactory, pairing: Pairing, role: str) -> None:
    browser = web(pairing.talent_login if role == "own" else role)
    response = browser.get("/matches")
    assert response.status_code == 200
    listed = _text(TITLE) in response.text
    assert listed == (role not in ("site2", "talent2")), role


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("zhou", 200),
        ("county", 200),
        ("site1", 200),
        ("own", 200),
        ("site2", 404),  # another site's match
        ("talent2", 404),  # another talent's match
    ],
)
def test_the_match_detail(web: WebFactory, pairing: Pairing, role: str, status: int) -> None:
    browser = web(pairing.talent_login if role == "own" else role)
    response = browser.get(f"/matches/{pairing.match_id}")
    assert response.status_code == status
    assert (_text(TITLE) in response.text) == (status == 200)
    assert (_text(pairing.talent_name) in response.text) == (status == 200)


@pytest.mark.parametrize(("role", "status"), [("zhou", 200), ("admin", 200), ("county", 404)])
def test_another_countys_match_is_404_to_the_county_coordinator(
    web: WebFactory, elsewhere_match: int, role: str, status: int
) -> None:
    assert web(role).get(f"/matches/{elsewhere_match}").status_code == status


def test_a_missing_match_is_404(web: WebFactory) -> None:
    assert web("admin").get("/matches/999999999").status_code == 404


def test_contacts_show_only_once_approved(web: WebFactory, api: Api) -> None:
    proposed = make_pairing(api, "页面测试：尚未批准")
    talent = web(proposed.talent_login)
    assert 'data-test="site-contact"' not in talent.get(f"/matches/{proposed.match_id}").text
    assert (
        'data-test="talent-contact"' not in web("site1").get(f"/matches/{proposed.match_id}").text
    )
    approved = make_pairing(api, "页面测试：已经批准", until="approved")
    assert 'data-test="site-contact"' in talent.get(f"/matches/{approved.match_id}").text
    assert 'data-test="talent-contact"' in web("site1").get(f"/matches/{approved.match_id}").text


# ---------------------------------------------------------------------------------------
# Lifecycle actions


def test_an_action_redirects_to_the_match(
    web: WebFactory, session: Session, pairing: Pairing
) -> None:
    browser = web(pairing.talent_login)
    response = browser.post(f"/matches/{pairing.match_id}/action", {"action": "interest"})
    assert redirect_target(response) == f"/matches/{pairing.match_id}"
    assert _status(session, pairing.match_id) == "interested"
    accepted = web("site1").post(f"/matches/{pairing.match_id}/action", {"action": "accept"})
    assert redirect_target(accepted) == f"/matches/{pairing.match_id}"
    assert _status(session, pairing.match_id) == "accepted"


@pytest.mark.parametrize("role", ["site2", "talent2"])
def test_acting_on_a_match_one_may_not_see_is_404(
    web: WebFactory, session: Session, pairing: Pairing, role: str
) -> None:
    before = row_counts(session)
    response = web(role).post(
        f"/matches/{pairing.match_id}/action", {"action": "decline", "reason": "不合适"}
    )
    assert response.status_code == 404
    assert _status(session, pairing.match_id) == "proposed"
    assert row_counts(session) == before


def test_a_county_coordinator_cannot_act_in_another_county(
    web: WebFactory, session: Session, elsewhere_match: int
) -> None:
    response = web("county").post(
        f"/matches/{elsewhere_match}/action", {"action": "decline", "reason": "不合适"}
    )
    assert response.status_code == 404
    assert _status(session, elsewhere_match) == "proposed"


def test_an_action_the_status_does_not_allow_is_explained(
    web: WebFactory, session: Session, pairing: Pairing
) -> None:
    # A proposed match cannot be approved yet: the match page comes back with the reason.
    response = web("county").post(f"/matches/{pairing.match_id}/action", {"action": "approve"})
    assert response.status_code == 409
    assert _text(TITLE) in response.text and "当前状态（已推荐）不能执行该操作" in response.text
    assert _status(session, pairing.match_id) == "proposed"


def test_an_action_of_another_role_is_forbidden(
    web: WebFactory, session: Session, pairing: Pairing
) -> None:
    # Only the talent shows interest; the site that proposed cannot do it for them.
    response = web("site1").post(f"/matches/{pairing.match_id}/action", {"action": "interest"})
    assert response.status_code == 403
    assert _status(session, pairing.match_id) == "proposed"


def test_declining_without_a_reason_is_refused_on_the_page(
    web: WebFactory, session: Session, pairing: Pairing
) -> None:
    response = web(pairing.talent_login).post(
        f"/matches/{pairing.match_id}/action", {"action": "decline", "reason": ""}
    )
    assert response.status_code == 422
    assert _text(TITLE) in response.text
    assert _status(session, pairing.match_id) == "proposed"


# ---------------------------------------------------------------------------------------
# Service records


def _records(session: Session, match_id: int) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).where(ServiceRecord.match_id == match_id)) or 0


RECORD = {
    "date": date.today().isoformat(),
    "hours": "3",
    "visits": "1",
    "people_trained": "12",
    "outcome": "页面测试：现场指导核桃修剪",
}


def test_a_service_record_redirects_to_the_records(
    web: WebFactory, api: Api, session: Session
) -> None:
    active = make_pairing(api, "页面测试：服务中的对接", until="active")
    browser = web("site1")
    response = browser.post(f"/matches/{active.match_id}/records", {**RECORD, "rating": "5"})
    assert redirect_target(response) == f"/matches/{active.match_id}#records"
    assert _records(session, active.match_id) == 1
    page = browser.get(f"/matches/{active.match_id}")
    assert "页面测试：现场指导核桃修剪" in page.text


def test_an_invalid_record_is_shown_again(web: WebFactory, api: Api, session: Session) -> None:
    active = make_pairing(api, "页面测试：服务中的对接", until="active")
    response = web("site1").post(
        f"/matches/{active.match_id}/records", {**RECORD, "hours": "30", "date": "not a date"}
    )
    assert response.status_code == 422
    assert "页面测试：现场指导核桃修剪" in response.text  # what was typed is kept
    assert _records(session, active.match_id) == 0


def test_no_records_before_the_work_starts(
    web: WebFactory, session: Session, pairing: Pairing
) -> None:
    response = web("site1").post(f"/matches/{pairing.match_id}/records", RECORD)
    # The match page comes back (its record form is shown only once the work starts).
    assert response.status_code == 422
    assert _text(TITLE) in response.text
    assert _records(session, pairing.match_id) == 0


@pytest.mark.parametrize("role", ["site2", "talent2"])
def test_recording_on_a_match_one_may_not_see_is_404(
    web: WebFactory, api: Api, session: Session, role: str
) -> None:
    active = make_pairing(api, "页面测试：服务中的对接", until="active")
    response = web(role).post(f"/matches/{active.match_id}/records", RECORD)
    assert response.status_code == 404
    assert _records(session, active.match_id) == 0


# ---------------------------------------------------------------------------------------
# CSRF


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_match_forms_refuse_a_missing_or_wrong_csrf_token(
    web: WebFactory, api: Api, session: Session, token: str | None
) -> None:
    active = make_pairing(api, "页面测试：服务中的对接", until="active")
    browser = web("site1")
    before = row_counts(session)
    action = browser.post(f"/matches/{active.match_id}/action", {"action": "complete"}, csrf=token)
    assert action.status_code == 403
    record = browser.post(f"/matches/{active.match_id}/records", RECORD, csrf=token)
    assert record.status_code == 403
    assert _status(session, active.match_id) == "active"
    assert row_counts(session) == before
