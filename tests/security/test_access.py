"""Progress by county and "why not" follow the same reach as every other record.

The audit found that every role could read every county's progress with the ids of the
matches behind each figure (GET /api/v1/programmes/progress?county=…), and that site
staff could ask "why not" about any talent id, reading that talent's attributes off one
failed constraint at a time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Match, MatchEvent, Need, Talent, User
from service.usecases import line_rules
from tests.http_fixtures import Login
from tests.security.web_fixtures import page_login
from tests.service.helpers import first_candidate, post_need, talent_user


@pytest.fixture
def approved(session: Session) -> Iterator[dict[int, str]]:
    """Approved matches spread over every county, each counted under its need's line (a
    talent that keeps the line's rule): match id → county code."""
    needs = list(session.scalars(select(Need).where(Need.programme_code.is_not(None))))
    talents = list(session.scalars(select(Talent.id).order_by(Talent.id)))
    made: dict[int, str] = {}
    for i, need in enumerate(needs):
        facts = line_rules.facts_of_need(session, need)
        if line_rules.counted_target(need.programme_code, facts) is None:
            continue
        fitting = (
            t
            for t in talents[i % 7 :]
            if line_rules.counted_target(
                need.programme_code, facts, line_rules.facts_of_talent(session, t)
            )
        )
        talent_id = next(fitting, None)
        if talent_id is None:
            continue
        match = Match(need_id=need.id, talent_id=talent_id, status="approved", origin="coordinator")
        session.add(match)
        session.flush()
        session.add(MatchEvent(match_id=match.id, from_status="accepted", to_status="approved"))
        made[match.id] = facts.county_code
    session.commit()
    yield made


def _progress(client: TestClient, headers: dict[str, str], **params: str) -> list[dict]:
    response = client.get("/api/v1/programmes/progress", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json())


def test_county_coordinator_reads_only_their_county(
    client: TestClient, login: Login, session: Session, approved: dict[int, str]
) -> None:
    everything = _progress(client, login("zhou"))
    counties_seen = {c for item in everything for c in item["by_county"]}
    assert len(counties_seen) > 1, "the prefecture view spans several counties"
    jurisdiction = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    assert jurisdiction in counties_seen
    other = next(c for c in counties_seen if c != jurisdiction)

    county = login("county")
    mine = _progress(client, county)
    assert {c for item in mine for c in item["by_county"]} == {jurisdiction}
    ids = {i for item in mine for i in item["match_ids"]}
    assert ids, "the county's own matches are listed"
    assert all(approved[i] == jurisdiction for i in ids if i in approved)
    # Asking for another county by name is answered as for any record out of reach.
    refused = client.get("/api/v1/programmes/progress", params={"county": other}, headers=county)
    assert refused.status_code == 404
    for fmt in ("csv", "xlsx"):
        export = client.get(
            f"/api/v1/programmes/progress.{fmt}", params={"county": other}, headers=county
        )
        assert export.status_code == 404


def test_site_staff_and_talents_see_aggregates_without_match_ids(
    client: TestClient, login: Login, session: Session, approved: dict[int, str]
) -> None:
    full = _progress(client, login("admin"))
    assert any(item["match_ids"] for item in full)
    talent_id = session.scalars(select(Talent.id).order_by(Talent.id)).first()
    assert talent_id is not None
    for user in ("site1", talent_user(session, talent_id)):
        seen = _progress(client, login(user))
        assert all(item["match_ids"] == [] for item in seen), user
        # The figures themselves are the plan's public progress.
        assert [i["achieved"] for i in seen] == [i["achieved"] for i in full], user


def _need_of(client: TestClient, login: Login, username: str) -> int:
    return int(post_need(client, login(username))["id"])


def test_site_staff_cannot_probe_any_talent_with_why_not(
    client: TestClient, login: Login, session: Session
) -> None:
    staff = login("site1")
    need_id = _need_of(client, login, "site1")
    candidate = first_candidate(client, staff, need_id)["talent"]["id"]
    ranked = client.get(
        f"/api/v1/needs/{need_id}/candidates", params={"k": 100}, headers=staff
    ).json()
    ranked_ids = {c["talent"]["id"] for c in ranked}
    stranger = session.scalars(
        select(Talent.id).where(Talent.id.not_in(ranked_ids)).order_by(Talent.id.desc())
    ).first()
    assert stranger is not None
    # A candidate of their own need: allowed, as the candidate list already shows them.
    ok = client.get(f"/api/v1/needs/{need_id}/why-not/{candidate}", headers=staff)
    assert ok.status_code == 200, ok.text
    # Any other talent: 404, exactly as for a talent that does not exist.
    probe = client.get(f"/api/v1/needs/{need_id}/why-not/{stranger}", headers=staff)
    missing = client.get(f"/api/v1/needs/{need_id}/why-not/999999999", headers=staff)
    assert probe.status_code == missing.status_code == 404
    assert probe.json() == missing.json()
    # The page form gives the same answer.
    page_login(client, "site1")
    page = client.get(f"/needs/{need_id}/why-not", params={"talent_id": stranger})
    assert page.status_code == 404
    # The coordinator's view is unchanged: any talent may be explained to them.
    zhou = client.get(f"/api/v1/needs/{need_id}/why-not/{stranger}", headers=login("zhou"))
    assert zhou.status_code == 200


def test_site_staff_may_ask_about_a_talent_matched_with_their_need(
    client: TestClient, login: Login, session: Session
) -> None:
    need_id = _need_of(client, login, "site1")
    staff = login("site1")
    ranked = client.get(
        f"/api/v1/needs/{need_id}/candidates", params={"k": 100}, headers=staff
    ).json()
    outsider = session.scalars(
        select(Talent.id)
        .where(Talent.id.not_in({c["talent"]["id"] for c in ranked}))
        .order_by(Talent.id.desc())
    ).first()
    assert outsider is not None
    assert (
        client.get(f"/api/v1/needs/{need_id}/why-not/{outsider}", headers=staff).status_code == 404
    )
    # The coordinator proposes the outsider for the need: now the site knows them.
    session.add(Match(need_id=need_id, talent_id=outsider, status="proposed", origin="coordinator"))
    session.commit()
    assert (
        client.get(f"/api/v1/needs/{need_id}/why-not/{outsider}", headers=staff).status_code == 200
    )
    # Another site's staff still cannot ask.
    other = client.get(f"/api/v1/needs/{need_id}/why-not/{outsider}", headers=login("site2"))
    assert other.status_code == 404
