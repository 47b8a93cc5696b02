"""Each message in a match's thread notifies the other side(s) once (issue 12, item 7):
the talent when the site writes, the site when the talent writes, both when a
coordinator writes, and a coordinator once they have written in the thread; never the
author. The notifications, like the thread, hold no contact detail before approval."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Need, Notification, User
from models.enums import Role
from models.notification import NotifyKind
from tests.http_fixtures import Login
from tests.service.test_messages import (
    PLANTED_EMAIL,
    PLANTED_PHONE,
    SITE_PHONE,
    _proposed_match,
    _say,
)


def _message_notes(session: Session, match_id: int) -> list[Notification]:
    session.expire_all()
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.match_id == match_id, Notification.kind == NotifyKind.MESSAGE.value)
            .order_by(Notification.id)
        )
    )


def _user_id(client: TestClient, headers: dict[str, str]) -> int:
    return int(client.get("/api/v1/auth/me", headers=headers).json()["id"])


def test_each_message_notifies_each_other_party_once_and_never_its_author(
    client: TestClient, login: Login, session: Session
) -> None:
    match, who = _proposed_match(client, login, session)
    mid = match["id"]
    ids = {role: _user_id(client, headers) for role, headers in who.items()}
    need = session.get_one(Need, match["need_id"])
    site_staff = set(
        session.scalars(
            select(User.id).where(
                User.role == Role.SITE_STAFF.value, User.site_id == need.site_id, User.active
            )
        )
    )
    assert ids["site"] in site_staff

    def delta(role: str, body: str) -> Counter[int]:
        before = len(_message_notes(session, mid))
        assert _say(client, mid, who[role], body)["status"] == 201
        return Counter(n.user_id for n in _message_notes(session, mid)[before:])

    by_site = delta("site", "请问您能在九月初到岗吗？")
    assert by_site == Counter({ids["talent"]: 1}), by_site

    by_talent = delta("talent", "可以，九月二号之后都行。")
    assert set(by_talent) == site_staff and set(by_talent.values()) == {1}
    assert ids["talent"] not in by_talent and ids["coordinator"] not in by_talent

    by_coordinator = delta("coordinator", "县里可以安排住宿。")
    assert by_coordinator == Counter({ids["talent"]: 1, **{s: 1 for s in site_staff}})
    assert ids["coordinator"] not in by_coordinator

    # Having written, the coordinator is told of the next message too, once.
    again = delta("site", "好的，谢谢。")
    assert again == Counter({ids["talent"]: 1, ids["coordinator"]: 1}), again

    notes = _message_notes(session, mid)
    assert len(notes) == 1 + len(site_staff) + (1 + len(site_staff)) + 2
    for note in notes:
        assert note.link == f"/matches/{mid}#messages"
        text = " ".join((note.title_zh, note.title_en, note.body_zh, note.body_en))
        for secret in (PLANTED_PHONE, PLANTED_EMAIL, SITE_PHONE):
            assert secret not in text
    # The talent reads them on the notifications page, without any contact detail.
    page = client.get("/notifications", headers=who["talent"])
    assert page.status_code == 200 and "县里可以安排住宿" in page.text
    for secret in (PLANTED_PHONE, PLANTED_EMAIL, SITE_PHONE):
        assert secret not in page.text


def test_a_refused_message_notifies_nobody(
    client: TestClient, login: Login, session: Session
) -> None:
    match, who = _proposed_match(client, login, session)
    refused = _say(client, match["id"], who["talent"], f"打 {PLANTED_PHONE} 找我")
    assert refused["status"] == 422
    assert _message_notes(session, match["id"]) == []
