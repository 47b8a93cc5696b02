"""The notification pages by URL: a person's own notifications (read one, read all, the
delivery preferences) and the admin's list of failed deliveries with retry. Another
person's notification is not theirs to touch; forms without the CSRF token write
nothing."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Delivery, Notification, User
from models.notification import DeliveryStatus
from tests.pages.conftest import WebFactory
from tests.pages.web import (
    ROLES,
    Api,
    assert_login_redirect,
    make_pairing,
    redirect_target,
    row_counts,
)


def _notes_of(session: Session, username: str) -> list[Notification]:
    session.expire_all()
    return list(
        session.scalars(
            select(Notification)
            .join(User)
            .where(User.username == username)
            .order_by(Notification.id)
        )
    )


@pytest.fixture
def noted(api: Api, session: Session) -> tuple[str, Notification]:
    """site1 with a notification: a talent said yes to its proposal."""
    pairing = make_pairing(api, "页面测试：通知的核桃技术指导", until="interested")
    notes = [n for n in _notes_of(session, "site1") if n.match_id == pairing.match_id]
    assert notes, "the talent's yes notifies the site"
    return "site1", notes[-1]


def test_anonymous_is_sent_to_sign_in(web: WebFactory) -> None:
    for path in ("/notifications", "/admin/notifications"):
        assert_login_redirect(web(None).get(path), path)


def test_a_person_sees_their_notifications(
    web: WebFactory, noted: tuple[str, Notification]
) -> None:
    login, note = noted
    page = web(login).get("/notifications")
    assert page.status_code == 200
    assert note.title_zh in html.unescape(page.text)
    assert f'action="/notifications/{note.id}/read"' in page.text
    other = web("talent1").get("/notifications")
    assert other.status_code == 200 and f'action="/notifications/{note.id}/read"' not in other.text


def test_reading_one_and_all(
    web: WebFactory, noted: tuple[str, Notification], session: Session
) -> None:
    login, note = noted
    talent = web(login)
    path = f"/notifications/{note.id}/read"
    assert talent.post(path, csrf=None).status_code == 403
    assert web("talent1").post(path).status_code == 404
    session.refresh(note)
    assert note.read_at is None
    assert redirect_target(talent.post(path)) == "/notifications"
    session.refresh(note)
    assert note.read_at is not None
    assert redirect_target(talent.post(path, {"open": "1"})) == note.link

    assert talent.post("/notifications/read-all", csrf=None).status_code == 403
    assert redirect_target(talent.post("/notifications/read-all")) == "/notifications"
    assert all(n.read_at is not None for n in _notes_of(session, login))
    assert_login_redirect(web(None).post(path), path)


def test_saving_preferences(web: WebFactory, session: Session) -> None:
    site1 = web("site1")
    form = {
        "email_enabled": "on",
        "digest": "on",
        "quiet_start": "22",
        "quiet_end": "7",
        "timezone": "Asia/Shanghai",
        "email": "site1@example.cn",
    }
    before = row_counts(session)
    assert site1.post("/notifications/preferences", form, csrf=None).status_code == 403
    bad = site1.post("/notifications/preferences", {**form, "email": "不是邮箱"})
    assert bad.status_code == 422
    assert 'class="field-error"' in bad.text and "不是邮箱" in html.unescape(bad.text)
    assert row_counts(session) == before
    sent = site1.post("/notifications/preferences", form)
    assert redirect_target(sent) == "/notifications?saved=1"
    assert "site1@example.cn" in site1.get("/notifications").text


@pytest.mark.parametrize("role", ROLES)
def test_failed_deliveries_are_the_admins(
    web: WebFactory, noted: tuple[str, Notification], session: Session, role: str
) -> None:
    _, note = noted
    failed = Delivery(
        notification_id=note.id,
        channel="email",
        target="page-test@example.cn",
        status=DeliveryStatus.FAILED.value,
        attempts=5,
        last_error="页面测试：连接被拒绝",
    )
    session.add(failed)
    session.flush()
    browser = web(role)
    page = browser.get("/admin/notifications")
    path = f"/admin/notifications/{failed.id}/retry"
    if role != "admin":
        assert page.status_code == 403 and "page-test@example.cn" not in page.text
        assert browser.post(path).status_code == 403
        session.refresh(failed)
        assert failed.status == DeliveryStatus.FAILED.value
        return
    assert page.status_code == 200
    assert f'data-delivery="{failed.id}"' in page.text and "page-test@example.cn" in page.text
    assert browser.post(path, csrf=None).status_code == 403
    session.refresh(failed)
    assert failed.status == DeliveryStatus.FAILED.value
    assert redirect_target(browser.post(path)) == f"/admin/notifications?retried={failed.id}"
    session.refresh(failed)
    assert failed.status == DeliveryStatus.PENDING.value and failed.attempts == 0
    assert browser.post(path).status_code == 409  # no longer failed
