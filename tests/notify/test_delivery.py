"""Notifications end to end with real components: lifecycle steps through the API write
the outbox; the worker sends each over a real SMTP server (aiosmtpd) and a real HTTP
group robot, once; a failing receiver is retried with backoff, then shown to admins."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import Delivery, Notification, User
from models.notification import DeliveryStatus, NotifyKind
from service import notify
from service.notify import outbox
from service.notify.worker import Worker, WorkerOptions, senders_from
from service.settings import Settings
from tests.http_fixtures import Login
from tests.notify.conftest import Mailbox, Robot
from tests.service.helpers import first_candidate, post_need, talent_user


@pytest.fixture
def channels(
    app_settings: Settings,
    client: TestClient,
    smtp_server: tuple[Mailbox, int],
    robot: tuple[Robot, str],
) -> Iterator[Settings]:
    """Settings with SMTP and the webhook on (after the app configured itself without)."""
    settings = app_settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_server[1],
            "webhook_url": robot[1],
            "notify_retry_seconds": 0.2,
        }
    )
    notify.configure(settings)
    yield settings
    notify.configure(app_settings)


def make_worker(session_factory: sessionmaker[Session], settings: Settings) -> Worker:
    return Worker(
        session_factory,
        WorkerOptions.from_settings(settings),
        senders_from(settings),
        owner="test-worker",
    )


def set_email(client: TestClient, headers: dict[str, str], address: str) -> None:
    response = client.put(
        "/api/v1/me/notification-preferences", json={"email": address}, headers=headers
    )
    assert response.status_code == 200, response.text


def test_every_step_notifies_the_next_party_once_per_channel(
    client: TestClient,
    login: Login,
    session: Session,
    session_factory: sessionmaker[Session],
    channels: Settings,
    smtp_server: tuple[Mailbox, int],
    robot: tuple[Robot, str],
) -> None:
    mailbox, state = smtp_server[0], robot[0]
    site, coordinator = login("site1"), login("county")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    talent = login(talent_user(session, talent_id))
    for headers, address in (
        (site, "site1@example.cn"),
        (coordinator, "county@example.cn"),
        (talent, "talent@example.cn"),
    ):
        set_email(client, headers, address)
    before = session.scalar(select(Notification.id).order_by(Notification.id.desc()).limit(1)) or 0

    created = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent_id}, headers=site
    )
    assert created.status_code == 201, created.text
    match_id = created.json()["id"]
    steps = [
        (talent, "interest", None),
        (site, "accept", None),
        (coordinator, "approve", None),
        (site, "start", None),
        (talent, "cancel", "家中有事，无法继续"),
    ]
    for headers, action, reason in steps:
        response = client.post(
            f"/api/v1/matches/{match_id}/{action}", json={"reason": reason}, headers=headers
        )
        assert response.status_code == 200, response.text

    notes = list(
        session.scalars(
            select(Notification).where(Notification.id > before).order_by(Notification.id)
        )
    )
    users = {u.id: u.username for u in session.scalars(select(User))}
    got = [(n.kind, users[n.user_id]) for n in notes]
    talent_name = users[notes[0].user_id]
    for expected in [
        ("proposed", talent_name),
        ("interested", "site1"),
        ("accepted", "county"),
        ("approved", talent_name),
        ("approved", "site1"),
        ("started", talent_name),
        ("cancelled", "site1"),
        ("cancelled", "county"),
    ]:
        assert expected in got
    # The actor is never told of their own step.
    assert ("started", "site1") not in got and ("cancelled", talent_name) not in got
    assert all(n.title_zh and n.title_en and "{" not in n.body_en for n in notes)
    assert "家中有事" in next(n.body_zh for n in notes if n.kind == "cancelled")

    deliveries = [d for n in notes for d in n.deliveries]
    emails = [d for d in deliveries if d.channel == "email"]
    hooks = [d for d in deliveries if d.channel == "webhook"]
    mine = {n.id for n in notes}
    # site1's, county's and the talent's notifications have an e-mail; every one a webhook.
    assert {d.notification_id for d in hooks} == mine
    assert len(emails) >= 6

    worker = make_worker(session_factory, channels)
    assert worker.run_once() >= len(deliveries)
    assert worker.run_once() == 0  # nothing is sent twice

    expected_ids = {f"<rencai-delivery-{d.id}@localhost>" for d in emails}
    ids = Counter(mailbox.ids())
    assert expected_ids <= set(ids) and all(ids[i] == 1 for i in expected_ids)
    to_talent = [m for rcpt, m in mailbox.messages if rcpt == ["talent@example.cn"]]
    assert len(to_talent) == Counter(k for k, u in got if u == talent_name).total()
    keys = Counter(h["idempotency-key"] for h, _ in state.accepted)
    assert {f"rencai-delivery-{d.id}" for d in hooks} <= set(keys)
    assert all(v == 1 for v in keys.values())
    body = state.accepted[0][1]
    assert body["msgtype"] == "text" and body["text"]["content"]
    session.expire_all()
    assert all(d.status == "sent" and d.attempts == 1 for n in notes for d in n.deliveries)

    # The in-app channel: the list, the count in the navigation, marking as read.
    listing = client.get("/api/v1/notifications", headers=talent).json()
    assert listing["unread"] >= 3
    first = listing["items"][0]
    read = client.post(f"/api/v1/notifications/{first['id']}/read", headers=talent)
    assert read.status_code == 200 and read.json()["read_at"]
    assert client.get("/api/v1/notifications", headers=talent).json()["unread"] == (
        listing["unread"] - 1
    )
    other = client.post(f"/api/v1/notifications/{first['id']}/read", headers=site)
    assert other.status_code == 404


def test_a_failing_receiver_is_retried_with_backoff_then_shown_to_admins(
    client: TestClient,
    login: Login,
    session: Session,
    session_factory: sessionmaker[Session],
    channels: Settings,
    robot: tuple[Robot, str],
) -> None:
    state = robot[0]
    state.fail_next = 3
    admin = session.scalars(select(User).where(User.username == "county")).one()
    message = outbox.render(
        NotifyKind.ENTRY_RETURNED, "/notifications", None, title="季度台账", reason="缺少附件"
    )
    [note] = outbox.write(session, [admin], message)
    session.commit()
    [delivery] = [d for d in note.deliveries if d.channel == "webhook"]
    worker = make_worker(session_factory, channels)
    pauses = []
    for attempt in range(1, 4):
        started = time.time()
        worker.run_once()
        finished = time.time()
        session.expire_all()
        row = session.get_one(Delivery, delivery.id)
        assert row.attempts == attempt and "HTTP 500" in (row.last_error or "")
        if attempt < 3:
            assert row.status == "pending"
            due = row.next_attempt_at.timestamp()
            pauses.append((due - finished, due - started))
            time.sleep(max(0.0, row.next_attempt_at.timestamp() - time.time()) + 0.05)
    assert row.status == DeliveryStatus.FAILED.value
    assert len(state.received) == 3 and not state.accepted
    # 0.2 s then 0.4 s, counted from the failed attempt (somewhere inside the round).
    for (low, high), expected in zip(pauses, (0.2, 0.4), strict=True):
        assert low - 0.02 <= expected <= high + 0.02, pauses
    assert worker.run_once() == 0  # a failed delivery is not tried again by itself

    headers = login("admin")
    page = client.get("/admin/notifications", headers=headers)
    assert page.status_code == 200
    assert f'data-delivery="{delivery.id}"' in page.text and "HTTP 500" in page.text
    listed = client.get("/api/v1/deliveries/failed", headers=headers).json()
    assert delivery.id in [d["id"] for d in listed["items"]]
    assert client.get("/api/v1/deliveries/failed", headers=login("county")).status_code == 403

    retried = client.post(f"/api/v1/deliveries/{delivery.id}/retry", headers=headers)
    assert retried.status_code == 200 and retried.json()["status"] == "pending"
    assert worker.run_once() == 1
    assert [h["idempotency-key"] for h, _ in state.accepted] == [f"rencai-delivery-{delivery.id}"]


def test_without_channels_in_app_alone_works(
    client: TestClient,
    login: Login,
    session: Session,
    session_factory: sessionmaker[Session],
    app_settings: Settings,
) -> None:
    notify.configure(app_settings)
    user = session.scalars(select(User).where(User.username == "site1")).one()
    message = outbox.render(
        NotifyKind.NEED_EXPIRING, "/needs", None, need="修剪培训", site="某村", end="2026-12-31"
    )
    [note] = outbox.write(session, [user], message)
    session.commit()
    assert note.deliveries == []
    worker = Worker(session_factory, WorkerOptions(), senders_from(app_settings), owner="w")
    assert worker.run_once() == 0
    headers = login("site1")
    page = client.get("/notifications", headers=headers)
    assert page.status_code == 200 and "需求即将到期：“修剪培训”" in page.text
    assert 'class="count"' in client.get("/", headers=headers).text


def test_preferences_are_checked_and_kept(client: TestClient, login: Login) -> None:
    headers = login("site1")
    bad = client.put(
        "/api/v1/me/notification-preferences",
        json={"quiet_start": 22, "timezone": "Mars/Base"},
        headers=headers,
    )
    assert bad.status_code == 422
    fields = {f["field"] for f in bad.json()["error"]["fields"]}
    assert {"quiet_end", "timezone"} <= fields
    good = client.put(
        "/api/v1/me/notification-preferences",
        json={"quiet_start": 22, "quiet_end": 7, "digest": True, "email_enabled": False},
        headers=headers,
    )
    assert good.status_code == 200, good.text
    kept: Any = client.get("/api/v1/me/notification-preferences", headers=headers).json()
    assert (
        kept["quiet_start"] == 22 and kept["digest"] is True and kept["timezone"] == "Asia/Shanghai"
    )
