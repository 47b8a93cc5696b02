"""The to-do list per role over HTTP (issue 12, items 1 and 7): after a batch run the
site's home page lists exactly the new proposals; after the site accepts, the
coordinator's list shows the approval waiting with its age; after approval, the
talent's list shows the placement; every link lands where the step is done."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
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

    started = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    failed = MatchRun(
        county_code=None, mode="optimal", status=RunStatus.FAILED.value, started_at=started
    )
    session.add(failed)
    session.commit()
    admin = login("admin")
    # The run is named by its area and when it ran, in the reader's zone (UTC 08:30 is
    # 16:30 in Beijing), labelled.
    home = _home(client, admin)
    assert "全州 · 2026年3月1日 16:30 北京时间" in home
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


# ------------------------------------------------------------------ entries, runs, failures
def test_entries_to_approve_reach_those_who_decide_them_with_age_and_link(
    client: TestClient, login: Login, session: Session
) -> None:
    county = login("county")  # 双柏县's coordinator enters; the prefecture decides
    body = {
        "target": "new_farmers.farmers",
        "county_code": "532322",
        "year": 2021,
        "value": 120,
        "note": "双柏县2021年新型职业农民培训结业名单",
    }
    created = client.post("/api/v1/programmes/new_farmers/entries", json=body, headers=county)
    assert created.status_code == 201, created.text
    entry_id = created.json()["id"]

    for username in ("zhou", "admin"):
        headers = login(username)
        items = _items(_todo(client, headers), "coordinator.entries")
        item = next(i for i in items if i["entity_id"] == entry_id)
        assert item["entity"] == "entry" and AGE.match(item["age"]), item
        assert item["url"] == f"/entries/review#entry-{entry_id}"
        assert "双柏县" in item["detail"] and "_" not in item["title"], item
        assert [i["since"] for i in items] == sorted(i["since"] for i in items), "oldest first"
        landing = client.get(item["url"].split("#")[0], headers=headers)
        assert landing.status_code == 200 and f'id="entry-{entry_id}"' in landing.text
        assert entry_id in _section_ids(_home(client, headers), "coordinator.entries")
    # The county coordinator cannot decide entries: not in their list.
    assert _items(_todo(client, county), "coordinator.entries") == []
    # Decided, it leaves the list.
    zhou = login("zhou")
    assert (
        client.post(f"/api/v1/programme-entries/{entry_id}/approve", headers=zhou).status_code
        == 200
    )
    assert entry_id not in {
        i["entity_id"] for i in _items(_todo(client, zhou), "coordinator.entries")
    }


def test_a_preview_waiting_for_confirmation_is_a_run_to_review(
    client: TestClient, login: Login, session: Session
) -> None:
    zhou = login("zhou")
    preview = client.post("/api/v1/runs", json={"dry_run": True}, headers=zhou).json()
    assert preview["status"] == "succeeded"
    items = _items(_todo(client, zhou), "coordinator.run_review")
    item = next(i for i in items if i["entity_id"] == preview["id"])
    assert item["url"] == f"/runs/{preview['id']}"
    assert "#" not in item["title"] and "全州" in item["title"]
    assert 'data-action="confirm-run"' in client.get(item["url"], headers=zhou).text
    confirmed = client.post(f"/api/v1/runs/{preview['id']}/confirm", headers=zhou).json()
    ids = {i["entity_id"] for i in _items(_todo(client, zhou), "coordinator.run_review")}
    assert preview["id"] not in ids and confirmed["id"] in ids  # its proposals now wait


def test_admins_see_failed_deliveries_and_failed_background_jobs(
    client: TestClient, login: Login, session: Session
) -> None:
    from models import MatchRun, Notification, User
    from models.enums import RunStatus
    from models.notification import Delivery, DeliveryStatus

    user = session.scalars(select(User).where(User.username == "site1")).one()
    note = Notification(
        user_id=user.id,
        kind="proposed",
        title_zh="新的对接邀请：测试",
        title_en="New invitation: test",
        body_zh="测试",
        body_en="test",
        link="/matches",
    )
    session.add(note)
    session.flush()
    delivery = Delivery(
        notification_id=note.id,
        channel="email",
        target="site1@example.cn",
        status=DeliveryStatus.FAILED.value,
        attempts=3,
        last_error="connection refused",
    )
    job = MatchRun(mode="optimal", status=RunStatus.FAILED.value, dry_run=True)
    session.add_all([delivery, job])
    session.flush()
    job.report = {"error": "x", "error_zh": "x", "reason": "abandoned", "total_seconds": 0}
    session.commit()
    admin = _todo(client, login("admin"))
    failed = next(
        i for i in _items(admin, "admin.failed_delivery") if i["entity_id"] == delivery.id
    )
    assert failed["url"] == "/admin/notifications"
    assert client.get(failed["url"], headers=login("admin")).status_code == 200
    assert job.id in {i["entity_id"] for i in _items(admin, "admin.failed_run")}
    assert _items(_todo(client, login("zhou")), "admin.failed_delivery") == []
