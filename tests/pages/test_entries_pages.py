"""The ledger pages over HTTP on the real database: a county coordinator's 填报 form and
list, the prefecture's review list, an entry's page with its trail; words, not codes;
CSRF on every form; nothing written on bad input."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import httpx

from models import ProgrammeEntry
from service.pages.common import CSRF_COOKIE, CSRF_FIELD
from tests.http_fixtures import Login, app_settings, client, login, matching_engine  # noqa: F401

TOKEN = "page-csrf-token"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 40
FARMERS = "new_farmers|new_farmers.farmers"


def _as(client: TestClient, login: Login, username: str) -> None:  # noqa: F811
    client.headers.clear()
    client.headers.update(login(username))
    client.cookies.set(CSRF_COOKIE, TOKEN)


def _entries(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ProgrammeEntry)) or 0


def _enter(client: TestClient, **fields: str) -> httpx.Response:  # noqa: F811
    data = {
        CSRF_FIELD: TOKEN,
        "programme_target": FARMERS,
        "county_code": "532322",
        "year": "2021",
        "value": "80",
        "note": "结业名单",
        **fields,
    }
    return client.post(
        "/entries/new",
        params={CSRF_FIELD: TOKEN},
        data=data,
        files={"evidence": ("名单.png", PNG, "image/png")},
        follow_redirects=False,
    )


def test_county_coordinator_enters_and_the_prefecture_approves(
    client: TestClient,  # noqa: F811
    login: Login,  # noqa: F811
    session: Session,
) -> None:
    _as(client, login, "county")
    page = client.get("/entries")
    assert page.status_code == 200
    assert "培养1000名新型职业农民（名）" in page.text, "targets in words, with their unit"
    assert "双柏县" in page.text and "牟定县" not in page.text, "only the own county"
    assert f'name="{CSRF_FIELD}"' in page.text

    sent = _enter(client)
    assert sent.status_code == 303, sent.text
    entry_id = int(re.search(r"/entries/(\d+)", sent.headers["location"]).group(1))  # type: ignore[union-attr]
    detail = client.get(f"/entries/{entry_id}")
    assert "待审核" in detail.text and "名单.png" in detail.text
    assert "本人填报" in detail.text or "批准" not in detail.text.split("操作记录")[0]
    assert client.get(f"/entries/{entry_id}/evidence").content == PNG

    _as(client, login, "zhou")
    review = client.get("/entries/review")
    assert review.status_code == 200 and f'data-entry="{entry_id}"' in review.text
    assert "双柏县" in review.text and "培养1000名新型职业农民" in review.text
    approved = client.post(
        f"/entries/{entry_id}/approve",
        data={CSRF_FIELD: TOKEN, "back": "review"},
        follow_redirects=False,
    )
    assert approved.status_code == 303 and approved.headers["location"] == "/entries/review?done=1"
    detail = client.get(f"/entries/{entry_id}")
    trail = detail.text.split('data-test="trail"')[1]
    assert "已批准" in detail.text and "提交" in trail and "批准" in trail
    english = client.get(f"/entries/{entry_id}", params={"lang": "en"})
    assert "Approved" in english.text and "Audit trail" in english.text

    again = client.post(f"/entries/{entry_id}/approve", data={CSRF_FIELD: TOKEN})
    assert again.status_code == 409

    _as(client, login, "site1")
    assert client.get(f"/entries/{entry_id}/evidence").status_code == 404


def test_bad_form_input_is_shown_beside_the_field_and_nothing_is_written(
    client: TestClient,  # noqa: F811
    login: Login,  # noqa: F811
    session: Session,
) -> None:
    _as(client, login, "county")
    before = _entries(session)
    negative = _enter(client, value="-3")
    assert negative.status_code == 422
    assert 'id="err-value"' in negative.text
    words = _enter(client, value="很多")
    assert words.status_code == 422 and "请填写整数" in words.text
    other_county = _enter(client, county_code="532323")
    assert other_county.status_code == 404 and 'id="err-county_code"' in other_county.text
    bad_file = client.post(
        "/entries/new",
        params={CSRF_FIELD: TOKEN},
        data={
            CSRF_FIELD: TOKEN,
            "programme_target": FARMERS,
            "county_code": "532322",
            "year": "2021",
            "value": "5",
        },
        files={"evidence": ("a.pdf", b"not a pdf", "application/pdf")},
    )
    assert bad_file.status_code == 422 and 'id="err-evidence"' in bad_file.text
    assert _entries(session) == before
    forged = client.post("/entries/new", data={"value": "1"}, follow_redirects=False)
    assert forged.status_code == 403


def test_return_with_reason_and_resubmit_on_the_pages(
    client: TestClient,  # noqa: F811
    login: Login,  # noqa: F811
) -> None:
    _as(client, login, "county")
    entry_id = int(_enter(client).headers["location"].split("/")[2].split("?")[0])
    _as(client, login, "zhou")
    blank = client.post(f"/entries/{entry_id}/return", data={CSRF_FIELD: TOKEN, "reason": ""})
    assert blank.status_code == 422 and 'id="err-reason"' in blank.text
    client.post(
        f"/entries/{entry_id}/return", data={CSRF_FIELD: TOKEN, "reason": "请附结业证书名单"}
    )
    _as(client, login, "county")
    detail = client.get(f"/entries/{entry_id}")
    assert "已退回" in detail.text and "请附结业证书名单" in detail.text
    fixed = client.post(
        f"/entries/{entry_id}/resubmit",
        data={CSRF_FIELD: TOKEN, "value": "75", "note": "已附名单"},
        follow_redirects=False,
    )
    assert fixed.status_code == 303
    detail = client.get(f"/entries/{entry_id}")
    assert "待审核" in detail.text and "修改后重新提交" in detail.text
