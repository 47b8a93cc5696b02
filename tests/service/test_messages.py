"""Questions before a decision (issue 12, item 7): the site, the talent and the
coordinator exchange short messages on a match; contacts stay hidden until approval
(a planted phone number and e-mail never show in any view of the thread), a message
carrying a contact is refused, and each sender is rate-limited per match."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from models import Site, Talent
from service.pages.common import CSRF_COOKIE, CSRF_FIELD
from service.usecases.messages import contact_kinds
from tests.http_fixtures import Login
from tests.service.helpers import first_candidate, post_need, talent_user

PLANTED_PHONE = "13987654321"
PLANTED_EMAIL = "planted.secret@example.cn"
SITE_PHONE = "0878-7654321"


def _proposed_match(client: TestClient, login: Login, session: Session) -> tuple[dict, dict]:
    site = login("site1")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    talent = session.get(Talent, talent_id)
    assert talent is not None
    talent.phone, talent.email = PLANTED_PHONE, PLANTED_EMAIL
    site_row = session.get(Site, need["site_id"])
    assert site_row is not None
    site_row.phone = SITE_PHONE
    session.commit()
    match = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent_id}, headers=site
    ).json()
    return match, {
        "site": site,
        "talent": login(talent_user(session, talent_id)),
        "coordinator": login("county"),
    }


def _say(client: TestClient, match_id: int, headers: dict[str, str], body: str) -> dict:
    response = client.post(
        f"/api/v1/matches/{match_id}/messages", json={"body": body}, headers=headers
    )
    return {"status": response.status_code, **response.json()}


def test_the_three_parties_talk_and_no_contact_shows_before_approval(
    client: TestClient, login: Login, session: Session
) -> None:
    match, who = _proposed_match(client, login, session)
    mid = match["id"]
    assert _say(client, mid, who["site"], "请问您能在九月初到岗吗？")["status"] == 201
    assert _say(client, mid, who["talent"], "可以，九月二号之后都行。")["status"] == 201
    assert _say(client, mid, who["coordinator"], "县里可以安排住宿。")["status"] == 201

    for body in (
        f"我的电话是 {PLANTED_PHONE[:3]} {PLANTED_PHONE[3:7]} {PLANTED_PHONE[7:]}",
        "打 +86-139-8765-4321 找我",
        f"邮件发到 {PLANTED_EMAIL}",
        "加我微信：laowang_1958",
        "vx: abc123456 备注对接",
        "１３９８７６５４３２１",
    ):
        refused = _say(client, mid, who["talent"], body)
        assert refused["status"] == 422, body
        assert refused["error"]["code"] == "contact_before_approval"
        assert refused["error"]["fields"][0]["field"] == "body"
    assert _say(client, mid, who["site"], "x" * 501)["status"] == 422
    assert _say(client, mid, who["site"], "   ")["status"] == 422

    stranger = login("site2")
    assert client.get(f"/api/v1/matches/{mid}/messages", headers=stranger).status_code == 404
    assert _say(client, mid, stranger, "你好")["status"] == 404

    for role, headers in who.items():
        thread = client.get(f"/api/v1/matches/{mid}/messages", headers=headers)
        assert thread.status_code == 200, role
        assert [m["sender_role"] for m in thread.json()["messages"]] == [
            "site_staff",
            "talent",
            "coordinator",
        ]
        views = [
            thread.text,
            client.get(f"/api/v1/matches/{mid}", headers=headers).text,
            client.get(f"/matches/{mid}", headers=headers).text,
            client.get(f"/matches/{mid}", params={"lang": "en"}, headers=headers).text,
            client.get(
                "/api/v1/matches", params={"need_id": match["need_id"]}, headers=headers
            ).text,
        ]
        for text in views:
            for secret in (PLANTED_PHONE, PLANTED_EMAIL, SITE_PHONE):
                assert secret not in text, (role, secret)
        assert "可以，九月二号之后都行。" in views[2], "the thread shows on the match page"

    # The thread is part of the history the coordinator reads.
    page = client.get(f"/matches/{mid}", headers=who["coordinator"]).text
    assert page.count("县里可以安排住宿。") >= 2, "in the thread and in the history"


def test_the_rate_limit_and_the_thread_closing_after_approval(
    client: TestClient, login: Login, session: Session, app_settings
) -> None:  # type: ignore[no-untyped-def]
    match, who = _proposed_match(client, login, session)
    mid = match["id"]
    limit = app_settings.message_rate_per_hour
    for i in range(limit):
        assert _say(client, mid, who["site"], f"第 {i + 1} 个问题")["status"] == 201
    over = _say(client, mid, who["site"], "再问一句")
    assert over["status"] == 429 and over["error"]["code"] == "rate_limited"
    assert _say(client, mid, who["talent"], "我来回答")["status"] == 201, "per user"

    client.cookies.clear()
    client.cookies.set(CSRF_COOKIE, "token")
    page = client.post(
        f"/matches/{mid}/messages",
        data={CSRF_FIELD: "token", "body": "再问一句"},
        headers=who["site"],
    )
    assert page.status_code == 429 and "再问一句" in page.text and 'role="alert"' in page.text

    assert client.post(f"/api/v1/matches/{mid}/interest", headers=who["talent"]).status_code == 200
    assert client.post(f"/api/v1/matches/{mid}/accept", headers=who["site"]).status_code == 200
    assert (
        client.post(f"/api/v1/matches/{mid}/approve", headers=who["coordinator"]).status_code == 200
    )
    closed = _say(client, mid, who["talent"], "谢谢")
    assert closed["status"] == 409
    thread = client.get(f"/api/v1/matches/{mid}/messages", headers=who["talent"]).json()
    assert thread["can_post"] is False and len(thread["messages"]) == limit + 1


def test_contact_detection() -> None:
    for body in (
        "13987654321",
        "0878-7654321",
        "a.b@c.cn",
        "微信号 wang_laoshi",
        "WeChat: zhang123",
    ):
        assert contact_kinds(body), body
    for body in ("九月二号之后都行", "需要 3 人，每人 10 天", "2026-09-02 到岗", "海拔 1800 米"):
        assert not contact_kinds(body), body
