"""Batch runs by URL: the list and start form for coordinators, a started run redirecting
to its report, and another county's run answering 404 to a county coordinator."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import County, MatchRun, User
from tests.pages.conftest import WebFactory
from tests.pages.web import ROLES, Api, redirect_target, row_counts


def _counties(session: Session) -> tuple[str, str]:
    own = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    other = session.scalars(select(County.code).where(County.code != own)).first()
    assert own is not None and other is not None
    return own, other


@pytest.fixture
def runs(api: Api, session: Session) -> tuple[int, int]:
    """Dry runs (nothing proposed) in the county coordinator's county and in another."""
    own, other = _counties(session)
    mine = api.call("POST", "/api/v1/runs", "zhou", json={"county": own, "dry_run": True})
    theirs = api.call("POST", "/api/v1/runs", "zhou", json={"county": other, "dry_run": True})
    return int(mine["id"]), int(theirs["id"])


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_open_the_runs(web: WebFactory, runs: tuple[int, int], role: str) -> None:
    response = web(role).get("/runs")
    if role not in ("admin", "zhou", "county"):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    mine, theirs = runs
    assert f'href="/runs/{mine}"' in response.text
    # A county coordinator's list holds the county's runs only.
    assert (f'href="/runs/{theirs}"' in response.text) == (role != "county")


@pytest.mark.parametrize(
    ("role", "mine", "theirs"),
    [
        ("admin", 200, 200),
        ("zhou", 200, 200),
        ("county", 200, 404),
        ("site1", 403, 403),
        ("talent1", 403, 403),
    ],
)
def test_the_run_report(
    web: WebFactory, runs: tuple[int, int], role: str, mine: int, theirs: int
) -> None:
    browser = web(role)
    own_id, other_id = runs
    response = browser.get(f"/runs/{own_id}")
    assert response.status_code == mine
    assert (f"/api/v1/runs/{own_id}/report.xlsx" in response.text) == (mine == 200)
    other = browser.get(f"/runs/{other_id}")
    assert other.status_code == theirs
    assert (f"/api/v1/runs/{other_id}/report.xlsx" in other.text) == (theirs == 200)


def test_a_missing_run_is_404(web: WebFactory) -> None:
    assert web("zhou").get("/runs/999999999").status_code == 404


def test_starting_a_run_redirects_to_its_report(web: WebFactory, session: Session) -> None:
    own, other = _counties(session)
    browser = web("county")
    # The county coordinator's run is the county's, whatever the form says.
    response = browser.post("/runs", {"county": other, "mode": "optimal", "dry_run": "1"})
    target = redirect_target(response)
    run = session.get(MatchRun, int(target.rsplit("/", 1)[1]))
    assert run is not None and run.county_code == own and run.dry_run
    page = browser.get(target)
    assert page.status_code == 200 and f'action="/runs/{run.id}/confirm"' in page.text


def _run_count(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(MatchRun)) or 0


@pytest.mark.parametrize("role", ["site1", "talent1"])
def test_only_coordinators_start_runs(web: WebFactory, session: Session, role: str) -> None:
    before = _run_count(session)
    assert web(role).post("/runs", {"mode": "optimal", "dry_run": "1"}).status_code == 403
    assert _run_count(session) == before


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_starting_a_run_refuses_a_missing_or_wrong_csrf_token(
    web: WebFactory, session: Session, token: str | None
) -> None:
    before = row_counts(session)
    response = web("zhou").post("/runs", {"mode": "optimal", "dry_run": "1"}, csrf=token)
    assert response.status_code == 403
    assert row_counts(session) == before


@pytest.mark.parametrize(("role", "status"), [("zhou", 303), ("site1", 403), ("talent1", 403)])
def test_confirming_a_preview_from_its_page(
    web: WebFactory, session: Session, runs: tuple[int, int], role: str, status: int
) -> None:
    mine, _ = runs
    before = _run_count(session)
    response = web(role).post(f"/runs/{mine}/confirm", {})
    assert response.status_code == status
    if status != 303:
        assert _run_count(session) == before
        return
    target = redirect_target(response)
    confirmation = session.get(MatchRun, int(target.rsplit("/", 1)[1]))
    assert confirmation is not None and confirmation.preview_of == mine
    assert confirmation.status == "succeeded" and not confirmation.dry_run
    # Once confirmed, a second confirmation is refused.
    assert web("zhou").post(f"/runs/{mine}/confirm", {}).status_code == 409


def test_a_county_coordinator_cannot_confirm_another_countys_preview(
    web: WebFactory, session: Session, runs: tuple[int, int]
) -> None:
    _, theirs = runs
    before = _run_count(session)
    assert web("county").post(f"/runs/{theirs}/confirm", {}).status_code == 404
    assert _run_count(session) == before


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_confirming_or_cancelling_refuses_a_missing_or_wrong_csrf_token(
    web: WebFactory, session: Session, runs: tuple[int, int], token: str | None
) -> None:
    mine, _ = runs
    before = row_counts(session)
    assert web("zhou").post(f"/runs/{mine}/confirm", {}, csrf=token).status_code == 403
    assert web("zhou").post(f"/runs/{mine}/cancel", {}, csrf=token).status_code == 403
    assert row_counts(session) == before


def test_cancelling_a_queued_run_from_its_page(web: WebFactory, session: Session) -> None:
    queued = MatchRun(mode="optimal", status="queued", owner=None, heartbeat_at=None)
    session.add(queued)
    session.commit()
    assert web("site1").post(f"/runs/{queued.id}/cancel", {}).status_code == 403
    response = web("zhou").post(f"/runs/{queued.id}/cancel", {})
    assert redirect_target(response) == f"/runs/{queued.id}"
    session.expire_all()
    assert session.get_one(MatchRun, queued.id).status == "cancelled"
    page = web("zhou").get(f"/runs/{queued.id}")
    assert "已取消" in page.text or "Cancelled" in page.text
    # An ended run cannot be cancelled.
    assert web("zhou").post(f"/runs/{queued.id}/cancel", {}).status_code == 409
