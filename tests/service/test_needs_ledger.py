"""Issue 11, items 6, 7 and 9: long placements, required talent categories and need
expiry, through the API and the use cases on the demo population."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Match, Need, Site, Talent, User
from models.enums import MatchStatus, NeedStatus
from service.actor import Actor
from service.engine import MatchingEngine
from service.errors import AppError
from service.usecases import batch, candidates, expiry
from tests.http_fixtures import Login
from tests.service.helpers import need_body

SHUANGBAI = "532322"
LONG_START = date(2025, 3, 1)


def _site_in(session: Session, county: str) -> int:
    site_id = session.scalar(
        select(Site.id).where(Site.county_code == county).order_by(Site.id).limit(1)
    )
    assert site_id is not None, f"the demo population has a site in {county}"
    return int(site_id)


def _post(client: TestClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/needs", json=need_body(**fields), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _long_need(client: TestClient, zhou: dict[str, str], site_id: int, start: date) -> int:
    need = _post(
        client,
        zhou,
        site_id=site_id,
        title="选派农业科技人员驻村服务两年",
        mode="onsite_long",
        start_date=start.isoformat(),
        end_date=(start + timedelta(days=729)).isoformat(),
        days_needed=730,
        programme_code="selected_technicians",
    )
    return int(need["id"])


def _candidates(client: TestClient, headers: dict[str, str], need_id: int, k: int = 10) -> list:  # type: ignore[type-arg]
    response = client.get(f"/api/v1/needs/{need_id}/candidates", params={"k": k}, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json())


def _accepted(session: Session, need_id: int, talent_id: int) -> int:
    match = Match(
        need_id=need_id, talent_id=talent_id, status=MatchStatus.ACCEPTED.value, origin="site"
    )
    session.add(match)
    session.commit()
    return match.id


def test_a_730_day_g5_need_in_shuangbai_finds_candidates_and_is_approved(
    client: TestClient, login: Login, session: Session
) -> None:
    zhou = login("zhou")
    need_id = _long_need(client, zhou, _site_in(session, SHUANGBAI), LONG_START)
    found = _candidates(client, zhou, need_id)
    assert found, "a 730-day placement must find candidates (no 730 > 366 refusal)"
    talents = [session.get_one(Talent, c["talent"]["id"]) for c in found]
    assert all(t.long_placement_ok for t in talents)
    chosen = found[0]["talent"]["id"]
    match_id = _accepted(session, need_id, chosen)
    approved = client.post(f"/api/v1/matches/{match_id}/approve", headers=zhou)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"


def test_overlapping_long_placements_for_one_talent_are_refused_at_approval(
    client: TestClient, login: Login, session: Session
) -> None:
    zhou = login("zhou")
    site_id = _site_in(session, SHUANGBAI)
    first = _long_need(client, zhou, site_id, LONG_START)
    second = _long_need(client, zhou, site_id, LONG_START + timedelta(days=300))
    talent_id = _candidates(client, zhou, first)[0]["talent"]["id"]
    talent = session.get_one(Talent, talent_id)
    talent.capacity_concurrent = 5  # the clash, not the count of placements, must refuse
    session.commit()
    # Both proposals stand before either is approved...
    m1, m2 = _accepted(session, first, talent_id), _accepted(session, second, talent_id)
    ok = client.post(f"/api/v1/matches/{m1}/approve", headers=zhou)
    assert ok.status_code == 200, ok.text
    # ...and the second is refused under the approval's lock: full-time over those dates.
    refused = client.post(f"/api/v1/matches/{m2}/approve", headers=zhou)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "constraint_violated"
    assert "occupied" in [f["field"] for f in error["fields"]]
    assert "时间冲突" in error["message"] or "overlaps" in error["message"]
    # A short need over those dates is refused for the placed talent too.
    assert talent_id not in {c["talent"]["id"] for c in _candidates(client, zhou, second, k=50)}


def test_a_craftsman_post_gets_only_craftsmen(
    client: TestClient,
    login: Login,
    session: Session,
    matching_engine: MatchingEngine,
) -> None:
    zhou = login("zhou")
    site_id = _site_in(session, SHUANGBAI)
    need = _post(
        client,
        zhou,
        site_id=site_id,
        title="传统手工艺传承带徒",
        description="彝绣、竹编等传统手工艺需要能工巧匠现场传帮带，培养本地徒弟。",
        required_categories=["craftsman"],
        skills=[],
        start_date="2025-04-01",
        end_date="2027-06-30",
        headcount=3,
    )
    assert need["required_categories"] == ["craftsman"]
    found = _candidates(client, zhou, need["id"], k=20)
    assert found and {c["talent"]["category"] for c in found} == {"craftsman"}
    # why-not names the category of both sides, in words.
    other = session.scalar(
        select(Talent.id).where(Talent.category == "retired_technician").limit(1)
    )
    assert other is not None
    why = client.get(f"/api/v1/needs/{need['id']}/why-not/{other}", headers=zhou)
    assert why.status_code == 200, why.text
    reasons = {v["constraint"]: v for v in why.json()["violations"]}
    assert "需要：能工巧匠/土专家" in reasons["category"]["zh"]
    assert "本人：退休专技人员" in reasons["category"]["zh"]
    # A batch run over the county places only craftsmen on it.
    run = batch.run_batch(
        session=session, engine=matching_engine, actor=None, county=SHUANGBAI, dry_run=False
    )
    placed = session.scalars(
        select(Talent.category)
        .join(Match, Match.talent_id == Talent.id)
        .where(Match.need_id == need["id"], Match.run_id == run.run.id)
    ).all()
    assert set(placed) <= {"craftsman"}


def test_unknown_category_is_refused_with_the_field(
    client: TestClient, login: Login, session: Session
) -> None:
    zhou = login("zhou")
    body = need_body(required_categories=["wizard"], site_id=_site_in(session, SHUANGBAI))
    response = client.post("/api/v1/needs", json=body, headers=zhou)
    assert response.status_code == 422
    assert "required_categories" in response.text and "wizard" in response.text


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(day=st.dates(min_value=date(2025, 3, 1), max_value=date(2027, 10, 1)))
def test_no_suggestion_candidate_list_or_batch_run_includes_an_expired_need(
    session: Session, matching_engine: MatchingEngine, day: date
) -> None:
    original = matching_engine.settings
    matching_engine.settings = original.model_copy(update={"today": day})
    try:
        _check_nothing_expired_is_offered(session, matching_engine, day)
    finally:
        matching_engine.settings = original


def _check_nothing_expired_is_offered(session: Session, engine: MatchingEngine, day: date) -> None:
    zhou = Actor.of(session.scalars(select(User).where(User.username == "zhou")).one())
    run = batch.run_batch(session=session, engine=engine, actor=zhou, county=None, dry_run=False)
    # Every need the run could see has a live end date; nothing past it stayed open.
    stale_open = session.scalars(
        select(Need.id).where(Need.status == NeedStatus.OPEN.value, Need.end_date < day)
    ).all()
    assert stale_open == []
    proposed_on = session.scalars(
        select(Need.end_date)
        .join(Match, Match.need_id == Need.id)
        .where(Match.run_id == run.run.id)
    ).all()
    assert all(end >= day for end in proposed_on)
    talent_ids = session.scalars(select(Talent.id).order_by(Talent.id).limit(3)).all()
    for talent_id in talent_ids:
        for c in candidates.for_talent(
            session=session, engine=engine, actor=zhou, talent_id=talent_id, k=30
        ):
            assert c.need is not None and date.fromisoformat(c.need["end_date"]) >= day
    expired = session.scalars(
        select(Need).where(Need.status == NeedStatus.EXPIRED.value).limit(1)
    ).first()
    if expired is not None:
        assert session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity == "need",
                AuditEvent.entity_id == expired.id,
                AuditEvent.action == "need.expired",
            )
        ).first()
        with pytest.raises(AppError) as refused:
            candidates.for_need(session=session, engine=engine, actor=zhou, need_id=expired.id)
        assert refused.value.status == 409 and refused.value.code == "need_expired"


def test_a_proposal_on_an_expired_need_is_refused_with_409(
    client: TestClient, login: Login, session: Session
) -> None:
    zhou = login("zhou")
    need = _post(
        client,
        zhou,
        site_id=_site_in(session, SHUANGBAI),
        start_date="2025-02-01",
        end_date="2025-02-10",
    )
    assert need["id"] in expiry.expire_needs(session, on=date(2025, 3, 1))
    assert session.get_one(Need, need["id"]).status == "expired"
    talent_id = session.scalar(select(Talent.id).limit(1))
    response = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent_id}, headers=zhou
    )
    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "need_expired"
    assert "2025-02-10" in response.json()["error"]["message"]


def test_the_need_form_offers_the_categories_in_chinese(client: TestClient, login: Login) -> None:
    client.headers.update(login("site1"))
    page = client.get("/needs/new", follow_redirects=False)
    assert page.status_code == 200
    html = page.text
    assert 'name="required_categories" value="craftsman"' in html
    assert "能工巧匠/土专家/田秀才" in html and "需要的人才类别" in html


def test_expired_cannot_be_set_by_hand(client: TestClient, login: Login, session: Session) -> None:
    zhou = login("zhou")
    need = _post(client, zhou, site_id=_site_in(session, SHUANGBAI))
    response = client.patch(f"/api/v1/needs/{need['id']}", json={"status": "expired"}, headers=zhou)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["fields"][0]["field"] == "status"
