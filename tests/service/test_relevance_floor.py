"""The relevance floor (issue 15, item 7): no candidate or suggestion below
``RENCAI_RELEVANCE_FLOOR`` is shown, whichever scorer ranked it; a page left with nothing
says that nothing fits well yet and what would help, with the link to do it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.results import RELEVANCE_FEATURES
from models import Talent
from service.engine import MatchingEngine
from tests.http_fixtures import Login
from tests.service.helpers import first_candidate, post_need, talent_user

ABOVE_ANY = 3.0  # semantic ≤ 1, lexical ≤ 1, skills ≤ 1: the weighted sum stays below


def _relevance(item: dict[str, Any], weights: Any) -> float:
    return sum(
        weights.get(line["feature"], 0.0) * line["value"]
        for line in item["breakdown"]
        if line["feature"] in RELEVANCE_FEATURES
    )


@pytest.fixture
def floor_above_all(matching_engine: MatchingEngine) -> Iterator[None]:
    kept = matching_engine.settings
    matching_engine.settings = kept.model_copy(update={"relevance_floor": ABOVE_ANY})
    yield
    matching_engine.settings = kept


def test_shown_candidates_and_suggestions_clear_the_floor(
    client: TestClient, login: Login, session: Session, matching_engine: MatchingEngine
) -> None:
    site = login("site1")
    need = post_need(client, site)
    floor = matching_engine.settings.relevance_floor
    weights = matching_engine.settings.matching_config().weights
    shown = client.get(
        f"/api/v1/needs/{need['id']}/candidates", params={"k": 50}, headers=site
    ).json()
    assert shown and all(_relevance(c, weights) >= floor - 1e-3 for c in shown)
    talent_id = shown[0]["talent"]["id"]
    talent = login(talent_user(session, talent_id))
    suggested = client.get(
        f"/api/v1/talents/{talent_id}/suggestions", params={"k": 50}, headers=talent
    ).json()
    assert suggested and all(_relevance(s, weights) >= floor - 1e-3 for s in suggested)


def test_below_the_floor_nothing_is_shown_and_the_pages_say_what_would_help(
    client: TestClient, login: Login, session: Session, floor_above_all: None
) -> None:
    site = login("site1")
    need = post_need(client, site)
    assert client.get(f"/api/v1/needs/{need['id']}/candidates", headers=site).json() == []
    page = client.get(f"/needs/{need['id']}", headers=site).text
    assert "暂时没有足够对口的人才" in page and f'href="/needs/{need["id"]}/edit"' in page

    talent_id = session.scalars(select(func.min(Talent.id))).one()
    talent = login(talent_user(session, talent_id))
    assert client.get(f"/api/v1/talents/{talent_id}/suggestions", headers=talent).json() == []
    page = client.get("/suggestions", headers=talent).text
    assert "暂时没有与您的专长足够相关的需求" in page and 'href="/profile"' in page
    assert "扩大服务半径" in page


def test_a_candidate_above_the_floor_is_kept(
    client: TestClient, login: Login, matching_engine: MatchingEngine
) -> None:
    """The cut is the floor, not an emptied list: the best candidate of a plain need clears
    the chosen floor and is shown."""
    site = login("site1")
    need = post_need(client, site)
    best = first_candidate(client, site, need["id"])
    weights = matching_engine.settings.matching_config().weights
    assert _relevance(best, weights) >= matching_engine.settings.relevance_floor - 1e-3
