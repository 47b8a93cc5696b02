"""The ledger entry pages (填报) by URL: the list and form, the prefecture's review list, an
entry's page and its evidence, and every form on them (submit, approve, return, resubmit,
reverse, attach evidence). Each role gets what the access rules give it; a form without
its CSRF token writes nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from tests.pages.conftest import WebFactory
from tests.pages.web import ROLES, Web, assert_login_redirect, redirect_target, row_counts

PNG = b"\x89PNG\r\n\x1a\n" + b"\x02" * 40
FARMERS = "new_farmers|new_farmers.farmers"
NOTE = "页面测试：结业名单"


def _form(**fields: str) -> dict[str, str]:
    return {
        "programme_target": FARMERS,
        "county_code": "532322",
        "year": "2021",
        "value": "80",
        "note": NOTE,
        **fields,
    }


def _enter(county: Web, **fields: str) -> int:
    sent = county.post(
        "/entries/new", _form(**fields), files={"evidence": ("名单.png", PNG, "image/png")}
    )
    found = re.fullmatch(r"/entries/(\d+)\?created=1", redirect_target(sent))
    assert found, sent.headers["location"]
    return int(found.group(1))


@pytest.fixture
def entry(web: WebFactory) -> int:
    """An entry of the 双柏县 coordinator, submitted with evidence, awaiting review."""
    return _enter(web("county"))


def test_anonymous_is_sent_to_sign_in(web: WebFactory, entry: int) -> None:
    anonymous = web(None)
    for path in ("/entries", "/entries/review", f"/entries/{entry}", f"/entries/{entry}/evidence"):
        assert_login_redirect(anonymous.get(path), path)


@pytest.mark.parametrize("role", ROLES)
def test_the_entry_list(web: WebFactory, entry: int, role: str) -> None:
    response = web(role).get("/entries")
    if role in ("admin", "zhou", "county"):
        assert response.status_code == 200
        assert "培养1000名新型职业农民（名）" in response.text
        assert f'href="/entries/{entry}"' in response.text
    else:
        assert response.status_code == 403
        assert NOTE not in response.text


@pytest.mark.parametrize("role", ROLES)
def test_the_review_list_is_the_prefectures(web: WebFactory, entry: int, role: str) -> None:
    response = web(role).get("/entries/review")
    if role in ("admin", "zhou"):
        assert response.status_code == 200
        assert f'data-entry="{entry}"' in response.text and "双柏县" in response.text
    else:
        assert response.status_code == 403
        assert f'data-entry="{entry}"' not in response.text


@pytest.mark.parametrize("role", ROLES)
def test_the_entry_page_and_its_evidence(web: WebFactory, entry: int, role: str) -> None:
    browser = web(role)
    page = browser.get(f"/entries/{entry}")
    evidence = browser.get(f"/entries/{entry}/evidence")
    if role in ("admin", "zhou", "county"):
        assert page.status_code == 200
        assert NOTE in page.text and "名单.png" in page.text and "待审核" in page.text
        assert evidence.status_code == 200 and evidence.content == PNG
    else:
        # Site staff and talents do not learn that the entry exists.
        assert page.status_code == 404 and NOTE not in page.text
        assert evidence.status_code == 404 and evidence.content != PNG
    assert browser.get("/entries/999999999").status_code == 404


def test_submitting_the_form(web: WebFactory, session: Session) -> None:
    county = web("county")
    before = row_counts(session)
    refused = county.post("/entries/new", _form(), csrf=None)
    assert refused.status_code == 403
    assert row_counts(session) == before
    bad = county.post("/entries/new", _form(value="很多"))
    assert bad.status_code == 422
    assert 'id="err-value"' in bad.text and "请填写整数" in bad.text
    assert row_counts(session) == before
    entry_id = _enter(county)
    assert NOTE in county.get(f"/entries/{entry_id}").text
    assert web("site1").post("/entries/new", _form()).status_code == 403


def test_approving(web: WebFactory, entry: int, session: Session) -> None:
    zhou = web("zhou")
    before = row_counts(session)
    assert zhou.post(f"/entries/{entry}/approve", {"back": "review"}, csrf=None).status_code == 403
    assert row_counts(session) == before
    assert web("county").post(f"/entries/{entry}/approve").status_code == 403
    done = zhou.post(f"/entries/{entry}/approve", {"back": "review"})
    assert redirect_target(done) == "/entries/review?done=1"
    assert "已批准" in zhou.get(f"/entries/{entry}").text
    again = zhou.post(f"/entries/{entry}/approve")
    assert again.status_code == 409


def test_returning_and_resubmitting(web: WebFactory, entry: int, session: Session) -> None:
    zhou, county = web("zhou"), web("county")
    before = row_counts(session)
    assert zhou.post(f"/entries/{entry}/return", {"reason": "x"}, csrf=None).status_code == 403
    assert row_counts(session) == before
    blank = zhou.post(f"/entries/{entry}/return", {"reason": ""})
    assert blank.status_code == 422 and 'id="err-reason"' in blank.text
    sent = zhou.post(f"/entries/{entry}/return", {"reason": "请附结业证书名单"})
    assert redirect_target(sent) == f"/entries/{entry}"
    page = county.get(f"/entries/{entry}").text
    assert "已退回" in page and "请附结业证书名单" in page

    before = row_counts(session)
    fields = {"value": "85", "note": "补充名单"}
    assert county.post(f"/entries/{entry}/resubmit", fields, csrf=None).status_code == 403
    assert row_counts(session) == before
    bad = county.post(f"/entries/{entry}/resubmit", {"value": "", "note": "x"})
    assert bad.status_code == 422 and 'id="err-value"' in bad.text
    sent = county.post(f"/entries/{entry}/resubmit", fields)
    assert redirect_target(sent) == f"/entries/{entry}"
    assert "待审核" in county.get(f"/entries/{entry}").text


def test_reversing_an_approved_entry(web: WebFactory, entry: int, session: Session) -> None:
    zhou, county = web("zhou"), web("county")
    redirect_target(zhou.post(f"/entries/{entry}/approve"))
    before = row_counts(session)
    fields = {"value": "75", "note": "重复计入5人，更正为75"}
    assert county.post(f"/entries/{entry}/reverse", fields, csrf=None).status_code == 403
    assert row_counts(session) == before
    bad = county.post(f"/entries/{entry}/reverse", {"value": "五", "note": "x"})
    assert bad.status_code == 422 and 'id="err-value"' in bad.text
    assert row_counts(session) == before
    sent = county.post(f"/entries/{entry}/reverse", fields)
    found = re.fullmatch(r"/entries/(\d+)\?created=1", redirect_target(sent))
    assert found and int(found.group(1)) != entry
    assert "更正为75" in county.get(f"/entries/{found.group(1)}").text


def test_attaching_evidence(web: WebFactory, session: Session) -> None:
    county = web("county")
    sent = county.post("/entries/new", _form())
    entry = int(redirect_target(sent).split("/")[2].split("?")[0])
    before = row_counts(session)
    upload = {"evidence": ("补充.png", PNG, "image/png")}
    refused = county.post(f"/entries/{entry}/evidence", csrf=None, files=upload)
    assert refused.status_code == 403
    assert row_counts(session) == before
    missing = county.post(f"/entries/{entry}/evidence", {})
    assert missing.status_code == 422 and 'id="err-evidence"' in missing.text
    attached = county.post(f"/entries/{entry}/evidence", files=upload)
    assert redirect_target(attached) == f"/entries/{entry}"
    assert "补充.png" in county.get(f"/entries/{entry}").text
    assert county.get(f"/entries/{entry}/evidence").content == PNG
