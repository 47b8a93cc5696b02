"""The admin's user pages an office runs (issue 13, item 7): edit, deactivate and
reactivate (a deactivated user cannot sign in and their tokens stop working), reset a
password (the user is sent to the change-password page until they change it), link a
site or talent by searching its name, a message after each action, every action audited."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Site, Talent, User
from tests.pages.conftest import WebFactory
from tests.pages.web import redirect_target, row_counts

PASSWORD = "a-long-password-1"


def _make(web: WebFactory, session: Session, username: str, **fields: str) -> User:
    form = {
        "username": username,
        "display_name": f"{username} 测试",
        "password": PASSWORD,
        "role": "coordinator",
        **fields,
    }
    response = web("admin").post("/admin/users", form)
    assert response.status_code == 303, response.text[:800]
    session.expire_all()
    return session.scalars(select(User).where(User.username == username)).one()


def _audited(session: Session, user_id: int) -> list[str]:
    session.expire_all()
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity == "user", AuditEvent.entity_id == user_id)
            .order_by(AuditEvent.id)
        )
    )


def test_linking_a_talent_by_name_shows_the_chosen_name_before_saving(
    web: WebFactory, session: Session
) -> None:
    talent = session.scalars(select(Talent).order_by(Talent.id.desc())).first()
    assert talent is not None
    browser = web("admin")
    before = row_counts(session)
    found = browser.post(
        "/admin/users",
        {
            "username": "page_linked",
            "display_name": "x",
            "role": "talent",
            "op": "find",
            "talent_q": talent.name,
        },
    )
    assert found.status_code == 200 and row_counts(session) == before  # nothing saved yet
    assert f'name="talent_id" value="{talent.id}"' in found.text
    assert talent.name in found.text
    # The admin picks the name; the page shows it as chosen.
    chosen = browser.post(
        "/admin/users",
        {
            "username": "page_linked",
            "display_name": "x",
            "role": "talent",
            "op": "find",
            "talent_id": str(talent.id),
        },
    )
    assert 'data-test="chosen-talent"' in chosen.text and talent.name in chosen.text
    user = _make(web, session, "page_linked", role="talent", talent_id=str(talent.id))
    assert user.talent_id == talent.id
    listed = browser.get("/admin/users", q="page_linked").text
    assert talent.name in listed  # the table names the profile, not its number
    nothing = browser.post(
        "/admin/users", {"role": "talent", "op": "find", "talent_q": "查无此人甲乙丙"}
    )
    assert "没有名称含“查无此人甲乙丙”的记录" in nothing.text


def test_a_site_staff_account_without_a_chosen_site_names_the_field(
    web: WebFactory, session: Session
) -> None:
    response = web("admin").post(
        "/admin/users",
        {
            "username": "page_nosite",
            "display_name": "x",
            "password": PASSWORD,
            "role": "site_staff",
            "op": "save",
        },
    )
    assert response.status_code == 422 and 'id="err-site_id"' in response.text


def test_editing_a_user_saves_and_says_so(web: WebFactory, session: Session) -> None:
    user = _make(web, session, "page_edit")
    site = session.scalars(select(Site).order_by(Site.id)).first()
    assert site is not None
    browser = web("admin")
    page = browser.get(f"/admin/users/{user.id}")
    assert page.status_code == 200 and "page_edit" in page.text
    response = browser.post(
        f"/admin/users/{user.id}",
        {"display_name": "改过的名字", "role": "site_staff", "site_id": str(site.id), "op": "save"},
    )
    assert redirect_target(response) == f"/admin/users/{user.id}?done=updated"
    session.expire_all()
    edited = session.get(User, user.id)
    assert edited is not None
    assert (edited.display_name, edited.role, edited.site_id) == (
        "改过的名字",
        "site_staff",
        site.id,
    )
    shown = browser.get(redirect_target(response)).text
    assert "已保存 改过的名字 的资料" in re.sub(r"<[^>]+>", "", shown) and site.name in shown
    assert _audited(session, user.id) == ["user.create", "user.update"]


def test_deactivating_stops_sign_in_and_tokens(
    web: WebFactory, session: Session, client: TestClient
) -> None:
    user = _make(web, session, "page_off")
    person = web(None)
    person.sign_in("page_off", PASSWORD)
    assert person.get("/queue").status_code == 200
    token = client.post(
        "/api/v1/auth/login", json={"username": "page_off", "password": PASSWORD}
    ).json()["access_token"]
    admin = web("admin")
    response = admin.post(f"/admin/users/{user.id}/active", {"active": "0"})
    assert redirect_target(response) == f"/admin/users/{user.id}?done=deactivated"
    assert "已停用" in admin.get(redirect_target(response)).text
    assert person.get("/queue").status_code == 303  # signed out: to the login page
    api = client.get("/api/v1/auth/me", headers={"authorization": f"Bearer {token}"})
    assert api.status_code == 401
    again = web(None).post("/login", {"username": "page_off", "password": PASSWORD, "next": "/"})
    assert again.status_code != 303
    back = admin.post(f"/admin/users/{user.id}/active", {"active": "1"})
    assert redirect_target(back) == f"/admin/users/{user.id}?done=reactivated"
    web(None).sign_in("page_off", PASSWORD)
    assert _audited(session, user.id) == ["user.create", "user.deactivate", "user.reactivate"]


def test_the_admin_cannot_deactivate_themselves(web: WebFactory, session: Session) -> None:
    me = session.scalars(select(User).where(User.username == "admin")).one()
    response = web("admin").post(f"/admin/users/{me.id}/active", {"active": "0"})
    assert response.status_code == 422
    session.expire_all()
    assert session.get(User, me.id).active  # type: ignore[union-attr]


def test_a_reset_password_must_be_changed_at_the_next_login(
    web: WebFactory, session: Session, client: TestClient
) -> None:
    user = _make(web, session, "page_reset")
    shown = web("admin").post(f"/admin/users/{user.id}/reset-password", {})
    assert shown.status_code == 200
    match = re.search(r'<p class="temporary"><code translate="no">([^<]+)</code>', shown.text)
    assert match, shown.text[:1000]
    temporary = match.group(1)
    assert (
        web(None)
        .post("/login", {"username": "page_reset", "password": PASSWORD, "next": "/"})
        .status_code
        != 303
    )  # the old password no longer works
    person = web(None)
    person.sign_in("page_reset", temporary)
    assert redirect_target(person.get("/queue")) == "/account/password?reset=1"
    page = person.get("/account/password", reset="1")
    assert page.status_code == 200 and 'data-test="must-change"' in page.text
    token = client.post(
        "/api/v1/auth/login", json={"username": "page_reset", "password": temporary}
    ).json()["access_token"]
    refused = client.get("/api/v1/needs", headers={"authorization": f"Bearer {token}"})
    assert (
        refused.status_code == 403 and refused.json()["error"]["code"] == "password_change_required"
    )
    changed = person.post(
        "/account/password",
        {
            "current_password": temporary,
            "new_password": "my-own-new-pass-9",
            "confirm_password": "my-own-new-pass-9",
        },
    )
    assert changed.status_code == 200
    assert person.get("/queue").status_code == 200
    session.expire_all()
    assert not session.get(User, user.id).must_change_password  # type: ignore[union-attr]
    assert "user.password_reset" in _audited(session, user.id)


def test_only_the_admin_edits_users(web: WebFactory, session: Session) -> None:
    me = session.scalars(select(User).where(User.username == "site1")).one()
    for role in ("zhou", "site1", "talent1"):
        browser = web(role)
        assert browser.get(f"/admin/users/{me.id}").status_code == 403
        assert browser.post(f"/admin/users/{me.id}/active", {"active": "0"}).status_code == 403
        assert browser.post(f"/admin/users/{me.id}/reset-password", {}).status_code == 403
    session.expire_all()
    assert session.get(User, me.id).active  # type: ignore[union-attr]
