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

from matching.encoders import TextEncoder
from matching.matcher import Matcher
from matching.results import RELEVANCE_FEATURES
from models import Talent
from service.engine import MatchingEngine
from service.settings import Settings
from service.usecases.candidates import above_floor
from tests.http_fixtures import Login
from tests.matching.conftest import CORPUS_NEEDS, CORPUS_TALENTS, need, talent
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


FRUIT_EXPERT = talent(
    99,
    "退休果树专家。在州农科所从事果树栽培四十年，擅长核桃、石榴的修剪、嫁接和果园病虫害防治。",
    skills=("agri.fruit",),
)
RETIRED_EXPERT_NEEDS = [  # the first suggestions for him, and one that fits
    need(
        201,
        "梅子电商销售指导。姚安梅子滞销，想请人指导开网店和直播带货。",
        skills=("rural.ecommerce",),
    ),
    need(
        202,
        "彝医药传承。彝医药老药方面临失传，希望有懂彝医的人整理药方、带徒传承。",
        skills=("health.tcm",),
    ),
    need(
        203,
        "农村电商。村里想发展农村电商，需要懂网络销售和物流的人来指导。",
        skills=("rural.ecommerce",),
    ),
    need(
        204,
        "核桃树修剪与嫁接技术指导。核桃树长得太高太密，想请果树专家指导修剪和高接换优。",
        skills=("agri.fruit",),
    ),
]


def test_a_fruit_tree_expert_is_not_shown_e_commerce_or_yi_medicine(
    use_encoder: TextEncoder,
) -> None:
    """Issue 15's retired fruit-tree expert: 梅子电商销售指导, 彝医药传承 and 农村电商 were
    his first suggestions; under the chosen floor only the fruit-tree need is shown."""
    settings = Settings()
    matcher = Matcher(settings.matching_config(show_progress=False), encoder=use_encoder)
    matcher.fit(CORPUS_NEEDS + RETIRED_EXPERT_NEEDS, [*CORPUS_TALENTS, FRUIT_EXPERT])
    ranked = matcher.recommend_needs(FRUIT_EXPERT, k=10)
    assert {r.need_id for r in ranked} >= {201, 202, 203, 204}, "ranked, before the floor"
    assert [r.need_id for r in above_floor(ranked, settings)] == [204]


@pytest.fixture(scope="module")
def use_encoder() -> TextEncoder:
    return TextEncoder("use-multilingual", show_progress=False)
