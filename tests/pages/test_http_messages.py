"""The question thread on a match and a coordinator recording a talent's yes (phone or in
person) from the candidate list, by URL: who may post, the redirect after a post, the
field message on the match page when a post is refused, and nothing written without the
CSRF token."""

from __future__ import annotations

import html

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Match
from tests.pages.conftest import WebFactory
from tests.pages.web import Api, assert_login_redirect, make_pairing, redirect_target, row_counts

QUESTION = "页面测试：请问需要带哪些工具到现场？"


def test_the_parties_post_to_the_thread(web: WebFactory, api: Api, session: Session) -> None:
    pairing = make_pairing(api, "页面测试：提问的核桃技术指导")
    path = f"/matches/{pairing.match_id}/messages"
    talent = web(pairing.talent_login)
    before = row_counts(session)
    assert talent.post(path, {"body": QUESTION}, csrf=None).status_code == 403
    assert row_counts(session) == before

    blank = talent.post(path, {"body": ""})
    assert blank.status_code == 422
    assert pairing.need_title in html.unescape(blank.text), "the match page, shown again"
    assert row_counts(session) == before

    sent = talent.post(path, {"body": QUESTION})
    assert redirect_target(sent) == f"/matches/{pairing.match_id}#thread"
    for who in (talent, web("site1")):
        assert QUESTION in html.unescape(who.get(f"/matches/{pairing.match_id}").text)
    answer = web("site1").post(path, {"body": "页面测试：带修枝剪即可。"})
    assert redirect_target(answer) == f"/matches/{pairing.match_id}#thread"

    before = row_counts(session)
    assert web("site2").post(path, {"body": QUESTION}).status_code == 404
    assert web("talent1").post(path, {"body": QUESTION}).status_code == 404
    assert row_counts(session) == before
    assert_login_redirect(web(None).post(path, {"body": QUESTION}), path)


def test_a_coordinator_records_interest(web: WebFactory, api: Api, session: Session) -> None:
    need = api.post_need("site1", "页面测试：电话确认的核桃技术指导")
    talent_id = api.candidate("site1", need["id"])
    path = f"/needs/{need['id']}/record-interest"
    form = {"talent_id": str(talent_id), "channel": "phone", "note": "电话里答应了"}
    county = web("county")
    before = row_counts(session)
    assert county.post(path, form, csrf=None).status_code == 403
    assert web("talent1").post(path, form).status_code == 403
    bad = county.post(path, {**form, "channel": "pigeon"})
    assert bad.status_code == 422 and "请选择确认方式" in bad.text
    assert row_counts(session) == before

    sent = county.post(path, form)
    match = session.scalars(
        select(Match).where(Match.need_id == need["id"], Match.talent_id == talent_id)
    ).one()
    assert redirect_target(sent) == f"/matches/{match.id}"
    assert match.status == "interested"
    # Recorded twice: the coordinator lands on the match already there.
    assert redirect_target(county.post(path, form)) == f"/matches/{match.id}?note=already"
    assert_login_redirect(web(None).post(path, form), path)
