"""The coordinators' approval queue by URL: who opens it, whose matches it lists (a county
coordinator's filter is fixed to the county), bulk decisions and their refusals."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import County, Match, User
from tests.pages.conftest import WebFactory
from tests.pages.web import ROLES, Api, Pairing, make_pairing, row_counts

TITLE = "页面测试：等待审批的对接"


@pytest.fixture
def accepted(api: Api) -> Pairing:
    return make_pairing(api, TITLE, until="accepted")


def _other_county(session: Session) -> str:
    own = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    other = session.scalars(select(County.code).where(County.code != own)).first()
    assert other is not None
    return other


def _match(session: Session, match_id: int) -> Match:
    session.expire_all()
    match = session.get(Match, match_id)
    assert match is not None
    return match


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_open_the_queue(web: WebFactory, accepted: Pairing, role: str) -> None:
    response = web(role).get("/queue")
    if role in ("admin", "zhou", "county"):
        assert response.status_code == 200
        assert html.escape(TITLE, quote=False) in response.text
        assert f'name="version_{accepted.match_id}"' in response.text
    else:
        assert response.status_code == 403
        assert TITLE not in response.text


def test_a_county_coordinator_cannot_filter_into_another_county(
    web: WebFactory, session: Session, accepted: Pairing
) -> None:
    other = _other_county(session)
    # The prefecture coordinator's filter works: another county's queue lacks the match.
    assert TITLE not in web("zhou").get("/queue", county=other).text
    # The county coordinator's stays on the county, whatever the query says.
    assert TITLE in web("county").get("/queue", county=other).text


def test_approving_from_the_queue(web: WebFactory, session: Session, accepted: Pairing) -> None:
    version = _match(session, accepted.match_id).version
    response = web("county").post(
        "/queue",
        {
            "decision": "approve",
            "match_ids": [str(accepted.match_id)],
            f"version_{accepted.match_id}": str(version),
            "confirm": "yes",
        },
    )
    assert response.status_code == 200
    assert _match(session, accepted.match_id).status == "approved"
    assert f'name="version_{accepted.match_id}"' not in response.text  # left the queue


def test_a_rejection_needs_a_reason(web: WebFactory, session: Session, accepted: Pairing) -> None:
    before = row_counts(session)
    response = web("zhou").post(
        "/queue", {"decision": "reject", "reason": "", "match_ids": [str(accepted.match_id)]}
    )
    assert response.status_code == 422
    assert html.escape(TITLE, quote=False) in response.text
    assert _match(session, accepted.match_id).status == "accepted"
    assert row_counts(session) == before


def test_a_decision_needs_ticked_matches(web: WebFactory, session: Session) -> None:
    before = row_counts(session)
    assert web("zhou").post("/queue", {"decision": "approve"}).status_code == 422
    assert row_counts(session) == before


def test_a_stale_version_is_reported_per_match(
    web: WebFactory, session: Session, accepted: Pairing
) -> None:
    response = web("county").post(
        "/queue",
        {
            "decision": "approve",
            "match_ids": [str(accepted.match_id)],
            f"version_{accepted.match_id}": "999",
            "confirm": "yes",
        },
    )
    assert response.status_code == 200  # each match is its own decision, reported on the page
    assert _match(session, accepted.match_id).status == "accepted"


@pytest.mark.parametrize("role", ["site1", "talent1"])
def test_only_coordinators_decide(
    web: WebFactory, session: Session, accepted: Pairing, role: str
) -> None:
    before = row_counts(session)
    response = web(role).post(
        "/queue", {"decision": "approve", "match_ids": [str(accepted.match_id)]}
    )
    assert response.status_code == 403
    assert _match(session, accepted.match_id).status == "accepted"
    assert row_counts(session) == before


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_the_queue_refuses_a_missing_or_wrong_csrf_token(
    web: WebFactory, session: Session, accepted: Pairing, token: str | None
) -> None:
    before = row_counts(session)
    response = web("county").post(
        "/queue", {"decision": "approve", "match_ids": [str(accepted.match_id)]}, csrf=token
    )
    assert response.status_code == 403
    assert _match(session, accepted.match_id).status == "accepted"
    assert row_counts(session) == before
