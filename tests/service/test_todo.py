"""The to-do list per role over HTTP (issue 12, items 1 and 7): after a batch run the
site's home page lists exactly the new proposals; after the site accepts, the
coordinator's list shows the approval waiting with its age; after approval, the
talent's list shows the placement; every link lands where the step is done."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.usecases import todo
from tests.http_fixtures import Login
from tests.service.helpers import post_need, talent_user

AGE = re.compile(r"^(刚刚|\d+ (分钟|小时|天)前)$")


def _section_ids(html: str, kind: str) -> set[int]:
    found = re.search(rf'<ul class="rows" data-section="{re.escape(kind)}">(.*?)</ul>', html, re.S)
    if found is None:
        return set()
    return {int(i) for i in re.findall(r'data-id="(\d+)"', found.group(1))}


def _home(client: TestClient, headers: dict[str, str]) -> str:
    # Pages take the session cookie; the API login gives a bearer token, which pages
    # accept as well.
    response = client.get("/", headers=headers)
    assert response.status_code == 200, response.text
    return response.text


def _todo(client: TestClient, headers: dict[str, str]) -> dict:
    response = client.get("/api/v1/todo", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _items(found: dict, kind: str) -> list[dict]:
    return next((s["items"] for s in found["sections"] if s["kind"] == kind), [])


def test_each_role_sees_its_next_step_and_lands_where_it_is_done(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site)
    before = _section_ids(_home(client, site), "site.answer")

    coordinator = login("county")
    county = client.get(f"/api/v1/sites/{need['site_id']}", headers=site).json()["county_code"]
    run = client.post("/api/v1/runs", json={"county": county}, headers=coordinator)
    assert run.status_code == 201, run.text
    proposed = client.get(
        "/api/v1/matches",
        params={"run_id": run.json()["id"], "status": "proposed", "limit": 200},
        headers=site,
    ).json()["items"]
    new = {m["id"] for m in proposed}
    assert new, "the run proposes placements for site1's needs"

    home = _home(client, site)
    assert _section_ids(home, "site.answer") - before == new, "exactly the new proposals"
    api = _todo(client, site)
    assert {i["entity_id"] for i in _items(api, "site.answer")} == before | new
    count = re.search(r'data-test="todo-count">(\d+)<', home)
    assert count is not None and int(count.group(1)) == api["count"]

    match = next(m for m in proposed if m["need_id"] == need["id"])
    talent = login(talent_user(session, match["talent_id"]))
    invitation = next(
        i
        for i in _items(_todo(client, talent), "talent.invitation")
        if i["entity_id"] == match["id"]
    )
    landing = client.get(invitation["url"], headers=talent)
    assert 'data-action="interest"' in landing.text
    assert client.post(f"/api/v1/matches/{match['id']}/interest", headers=talent).status_code == 200

    answer = next(
        i for i in _items(_todo(client, site), "site.answer") if i["entity_id"] == match["id"]
    )
    assert 'data-action="accept"' in client.get(answer["url"], headers=site).text
    assert client.post(f"/api/v1/matches/{match['id']}/accept", headers=site).status_code == 200

    coord_home = _home(client, coordinator)
    assert match["id"] in _section_ids(coord_home, "coordinator.approve")
    waiting = _items(_todo(client, coordinator), "coordinator.approve")
    mine = next(i for i in waiting if i["entity_id"] == match["id"])
    assert AGE.match(mine["age"]), mine["age"]
    assert [i["since"] for i in waiting] == sorted(i["since"] for i in waiting), "oldest first"
    assert 'data-action="approve"' in client.get(mine["url"], headers=coordinator).text
    assert (
        client.post(f"/api/v1/matches/{match['id']}/approve", headers=coordinator).status_code
        == 200
    )
    assert match["id"] not in _section_ids(_home(client, coordinator), "coordinator.approve")

    starting = _items(_todo(client, talent), "talent.starting")
    placement = next(i for i in starting if i["entity_id"] == match["id"])
    assert match["id"] in _section_ids(_home(client, talent), "talent.starting")
    page = client.get(placement["url"], headers=talent)
    assert page.status_code == 200 and 'data-test="site-contact"' in page.text
    site_start = _items(_todo(client, site), "site.start")
    start = next(i for i in site_start if i["entity_id"] == match["id"])
    assert 'data-action="start"' in client.get(start["url"], headers=site).text


def test_admin_sees_failed_runs(client: TestClient, login: Login, session: Session) -> None:
    from models import MatchRun
    from models.enums import RunStatus

    failed = MatchRun(county_code=None, mode="optimal", status=RunStatus.FAILED.value)
    session.add(failed)
    session.commit()
    admin = login("admin")
    items = _items(_todo(client, admin), "admin.failed_run")
    item = next(i for i in items if i["entity_id"] == failed.id)
    assert item["url"] == f"/runs/{failed.id}"
    assert client.get(item["url"], headers=admin).status_code == 200
    assert failed.id not in {
        i["entity_id"] for i in _items(_todo(client, login("site1")), "admin.failed_run")
    }


def test_age_in_words() -> None:
    assert todo.age_words(3 * 86400 + 5, "zh-CN") == "3 天前"
    assert todo.age_words(3 * 86400, "en") == "3 days ago"
    assert todo.age_words(3600, "en") == "1 hour ago"
    assert todo.age_words(5, "zh-CN") == "刚刚"
    item = todo.TodoItem(
        "coordinator.approve",
        "match",
        1,
        "t",
        "d",
        "/matches/1",
        "accepted",
        datetime.now(UTC) - timedelta(days=2, hours=1),
    )
    assert todo.age_words(item.age_seconds(datetime.now(UTC)) or 0, "zh-CN") == "2 天前"
