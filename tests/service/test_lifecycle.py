"""The lifecycle state machine: every illegal step refused, reasons required, history
written."""

from __future__ import annotations

import itertools

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Match, MatchEvent
from models.enums import MatchStatus, Role
from service import lifecycle
from tests.http_fixtures import Login
from tests.service.helpers import first_candidate, post_need, talent_user

# Which demo login acts in each role.
ACTOR_OF = {Role.SITE_STAFF: "site1", Role.COORDINATOR: "county", Role.ADMIN: "admin"}


def test_state_machine_matches_the_design() -> None:
    pairs = {(t.source.value, t.target.value) for t in lifecycle.TRANSITIONS}
    assert pairs == {
        ("proposed", "interested"),
        ("proposed", "declined"),
        ("interested", "accepted"),
        ("interested", "declined"),
        ("accepted", "approved"),
        ("accepted", "rejected"),
        ("approved", "active"),
        ("approved", "cancelled"),
        ("active", "completed"),
        ("active", "cancelled"),
    }
    reasons = {t.target.value for t in lifecycle.TRANSITIONS if t.needs_reason}
    assert reasons == {"declined", "rejected", "cancelled"}


ILLEGAL = [
    (status, action)
    for status, action in itertools.product(MatchStatus, lifecycle.ACTIONS)
    if lifecycle.find(status.value, lifecycle.ACTIONS[action].value) is None
]


@pytest.fixture
def match_in(client: TestClient, login: Login, session: Session):  # type: ignore[no-untyped-def]
    """Makes a match already in a given status (its history is not the point here);
    each call pairs the same need and talent, so each test makes one."""
    site = login("site1")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    talent_user(session, talent_id)

    def _make(status: MatchStatus) -> int:
        match = Match(need_id=need["id"], talent_id=talent_id, status=status.value, origin="site")
        session.add(match)
        session.commit()
        return match.id

    return _make


@pytest.mark.parametrize(("status", "action"), ILLEGAL, ids=[f"{s.value}-{a}" for s, a in ILLEGAL])
def test_every_illegal_step_is_refused(
    status: MatchStatus, action: str, client: TestClient, login: Login, session: Session, match_in
) -> None:  # type: ignore[no-untyped-def]
    match_id = match_in(status)
    response = client.post(
        f"/api/v1/matches/{match_id}/{action}", json={"reason": "测试原因"}, headers=login("admin")
    )
    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "conflict"
    assert session.get(Match, match_id).status == status.value  # type: ignore[union-attr]


def test_only_the_right_role_may_step(
    client: TestClient, login: Login, session: Session, match_in
) -> None:  # type: ignore[no-untyped-def]
    match_id = match_in(MatchStatus.ACCEPTED)
    site = login("site1")
    assert client.post(f"/api/v1/matches/{match_id}/approve", headers=site).status_code == 403
    interested = client.post(f"/api/v1/matches/{match_id}/interest", headers=site)
    assert interested.status_code == 409


@pytest.mark.parametrize(
    ("status", "action", "role"),
    [
        (MatchStatus.PROPOSED, "decline", Role.SITE_STAFF),
        (MatchStatus.ACCEPTED, "reject", Role.COORDINATOR),
        (MatchStatus.ACTIVE, "cancel", Role.SITE_STAFF),
    ],
)
def test_decline_reject_cancel_need_a_reason(
    status: MatchStatus,
    action: str,
    role: Role,
    client: TestClient,
    login: Login,
    session: Session,
    match_in,
) -> None:  # type: ignore[no-untyped-def]
    match_id = match_in(status)
    headers = login(ACTOR_OF[role])
    missing = client.post(
        f"/api/v1/matches/{match_id}/{action}", json={"reason": "  "}, headers=headers
    )
    assert missing.status_code == 422
    assert missing.json()["error"]["fields"][0]["field"] == "reason"
    done = client.post(
        f"/api/v1/matches/{match_id}/{action}", json={"reason": "该人才时间冲突"}, headers=headers
    )
    assert done.status_code == 200, done.text
    event = session.scalars(
        select(MatchEvent).where(MatchEvent.match_id == match_id).order_by(MatchEvent.id.desc())
    ).first()
    assert event is not None and event.reason == "该人才时间冲突"
    audit = session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "match", AuditEvent.entity_id == match_id)
    ).all()
    assert audit and audit[-1].before == {"status": status.value}


def test_stale_version_answers_409(client: TestClient, login: Login, match_in) -> None:  # type: ignore[no-untyped-def]
    match_id = match_in(MatchStatus.ACCEPTED)
    county = login("county")
    stale = client.post(f"/api/v1/matches/{match_id}/approve", json={"version": 99}, headers=county)
    assert stale.status_code == 409
    ok = client.post(f"/api/v1/matches/{match_id}/approve", json={"version": 1}, headers=county)
    assert ok.status_code == 200, ok.text
    assert ok.json()["version"] == 2
