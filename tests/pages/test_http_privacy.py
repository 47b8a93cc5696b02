"""The personal-data pages: a talent downloads and asks for deletion in a few clicks; an
admin completes the request only after confirming it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DataDeletionRequest, Talent, User
from service.pages.common import CSRF_COOKIE, CSRF_FIELD
from tests.http_fixtures import Login

TOKEN = "privacy-page-token"


def _as(client: TestClient, headers: dict[str, str]) -> None:
    client.headers.update(headers)
    client.cookies.set(CSRF_COOKIE, TOKEN)


def test_a_talent_asks_for_deletion_and_an_admin_completes_it(
    client: TestClient, login: Login, session: Session
) -> None:
    talent_id = session.scalars(select(User.talent_id).where(User.username == "talent2")).one()
    talent = session.get(Talent, talent_id)
    assert talent is not None
    name = talent.name

    _as(client, login("talent2"))
    page = client.get("/privacy")
    assert page.status_code == 200
    assert "下载 Excel 文件" in page.text and "提交删除申请" in page.text
    asked = client.post(
        "/privacy/deletion-request",
        data={CSRF_FIELD: TOKEN, "reason": "已退休"},
        follow_redirects=False,
    )
    assert asked.status_code == 303 and asked.headers["location"] == "/privacy?requested=1"
    assert "正在等待管理员处理" in client.get("/privacy").text
    # Another site's staff or a coordinator has no such page.
    _as(client, login("site1"))
    assert client.get("/privacy").status_code == 403
    assert client.get("/admin/privacy").status_code == 403

    _as(client, login("admin"))
    listing = client.get("/admin/privacy")
    assert listing.status_code == 200 and name in listing.text
    request_id = session.scalars(
        select(DataDeletionRequest.id).where(DataDeletionRequest.talent_id == talent_id)
    ).one()
    unconfirmed = client.post(
        f"/admin/privacy/{request_id}/complete", data={CSRF_FIELD: TOKEN}, follow_redirects=False
    )
    assert unconfirmed.status_code == 422
    assert "请先勾选确认" in unconfirmed.text
    session.expire_all()
    assert session.get(Talent, talent_id).name == name  # type: ignore[union-attr]

    done = client.post(
        f"/admin/privacy/{request_id}/complete",
        data={CSRF_FIELD: TOKEN, "confirm": "1"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "已完成删除" in client.get(done.headers["location"]).text
    session.expire_all()
    assert session.get(Talent, talent_id).name == "已注销人员"  # type: ignore[union-attr]


def _trail_sheet(body: bytes, title: str) -> list[tuple[object, ...]]:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True)
    return list(book[title].iter_rows(values_only=True))


def test_the_audit_trail_reads_in_words_in_either_language(
    client: TestClient, login: Login, session: Session
) -> None:
    from tests.pages import code_scanner

    _as(client, login("talent2"))
    asked = client.post(
        "/privacy/deletion-request",
        data={CSRF_FIELD: TOKEN, "reason": "已退休"},
        follow_redirects=False,
    )
    assert asked.status_code == 303
    for lang, sheet, action in (
        ("zh-CN", "操作记录", "申请删除个人信息"),
        ("en", "Audit trail", "Asked to delete personal data"),
    ):
        client.cookies.set("lang", lang)
        page = client.get("/privacy")
        assert action in page.text
        assert code_scanner.scan_page(page.text, f"/privacy {lang}") == []
        body = client.get("/api/v1/me/personal-data?format=xlsx").content
        rows = _trail_sheet(body, sheet)
        header = [str(h) for h in rows[0]]
        last = dict(zip(header, rows[-1], strict=True))
        assert action in last.values(), last
        assert "privacy.deletion_requested" not in map(str, last.values())
        assert code_scanner.scan_rows(rows, f"trail {lang}", lang) == []
