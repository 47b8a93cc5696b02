"""A talent's own pages by URL: the profile form and the suggestions with "I'm
interested". Only talents open them, each only their own; a closed need of which the talent
knows nothing answers 404."""

from __future__ import annotations

import html
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Match, Talent
from tests.pages.conftest import WebFactory
from tests.pages.web import ROLES, Api, Pairing, make_pairing, redirect_target, row_counts


def _profile_form(api: Api, username: str, **changes: Any) -> dict[str, Any]:
    """The profile form as the page fills it for ``username``, with ``changes``."""
    talent_id = api.me(username)["talent_id"]
    talent = api.call("GET", f"/api/v1/talents/{talent_id}", username)
    form: dict[str, Any] = {
        name: str(talent[name])
        for name in (
            "bio",
            "title_level",
            "degree_level",
            "travel_radius_km",
            "capacity_concurrent",
            "capacity_days_per_year",
        )
    }
    for name in ("skills", "modes", "licences", "languages"):
        form[name] = list(talent[name])
    form["window_start"] = [w["start_date"] for w in talent["windows"]]
    form["window_end"] = [w["end_date"] for w in talent["windows"]]
    form.update(changes)
    return form


def _bio(session: Session, api: Api, username: str) -> str:
    session.expire_all()
    talent = session.get(Talent, api.me(username)["talent_id"])
    assert talent is not None
    return talent.bio


@pytest.mark.parametrize("role", ROLES)
def test_only_talents_open_their_profile(
    web: WebFactory, api: Api, session: Session, role: str
) -> None:
    response = web(role).get("/profile")
    if not role.startswith("talent"):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    mine = session.get(Talent, api.me(role)["talent_id"])
    other = session.get(Talent, api.me("talent2" if role == "talent1" else "talent1")["talent_id"])
    assert mine is not None and other is not None
    assert html.escape(mine.name, quote=False) in response.text
    assert html.escape(other.name, quote=False) not in response.text


def test_saving_the_profile_redirects_to_it(web: WebFactory, api: Api, session: Session) -> None:
    browser = web("talent1")
    other_bio = _bio(session, api, "talent2")
    form = _profile_form(api, "talent1", bio="页面测试：二十年核桃栽培经验")
    response = browser.post("/profile", form)
    assert redirect_target(response) == "/profile?saved=1"
    assert _bio(session, api, "talent1") == "页面测试：二十年核桃栽培经验"
    assert _bio(session, api, "talent2") == other_bio
    page = browser.get("/profile", saved="1")
    assert page.status_code == 200
    assert "页面测试：二十年核桃栽培经验" in page.text and 'role="status"' in page.text


def test_an_invalid_profile_is_shown_again(web: WebFactory, api: Api, session: Session) -> None:
    bio = _bio(session, api, "talent1")
    form = _profile_form(api, "talent1", bio="页面测试：不该保存", travel_radius_km="-5")
    response = web("talent1").post("/profile", form)
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "页面测试：不该保存" in response.text
    assert _bio(session, api, "talent1") == bio


@pytest.mark.parametrize("role", ["admin", "county", "site1"])
def test_only_talents_save_a_profile(
    web: WebFactory, api: Api, session: Session, role: str
) -> None:
    before = _bio(session, api, "talent1")
    response = web(role).post("/profile", {"bio": "页面测试：越权"})
    assert response.status_code == 403
    assert _bio(session, api, "talent1") == before


@pytest.mark.parametrize("role", ROLES)
def test_only_talents_see_suggestions(web: WebFactory, role: str) -> None:
    response = web(role).get("/suggestions")
    if role.startswith("talent"):
        assert response.status_code == 200
        assert "data-need-id" in response.text
    else:
        assert response.status_code == 403


def test_a_proposal_appears_among_the_talents_suggestions(web: WebFactory, api: Api) -> None:
    pairing = make_pairing(api, "页面测试：向人才推荐的需求")
    page = web(pairing.talent_login).get("/suggestions")
    assert page.status_code == 200
    assert "页面测试：向人才推荐的需求" in page.text
    assert f'href="/matches/{pairing.match_id}"' in page.text
    assert "页面测试：向人才推荐的需求" not in web("talent2").get("/suggestions").text


def _match_status(session: Session, match_id: int) -> str:
    session.expire_all()
    match = session.get(Match, match_id)
    assert match is not None
    return match.status


def test_interest_in_a_proposal_redirects_to_the_match(
    web: WebFactory, api: Api, session: Session
) -> None:
    pairing: Pairing = make_pairing(api, "页面测试：人才表示兴趣")
    response = web(pairing.talent_login).post(f"/suggestions/{pairing.need_id}/interest")
    assert redirect_target(response) == f"/matches/{pairing.match_id}"
    assert _match_status(session, pairing.match_id) == "interested"


def test_interest_in_an_open_need_creates_the_match(
    web: WebFactory, api: Api, session: Session
) -> None:
    need = api.post_need("site1", "页面测试：人才主动报名")
    talent_id = api.candidate("site1", need["id"])
    browser = web(api.talent_login(talent_id))
    response = browser.post(f"/suggestions/{need['id']}/interest", {"note": "愿意前往"})
    target = redirect_target(response)
    match = session.scalars(
        select(Match).where(Match.need_id == need["id"], Match.talent_id == talent_id)
    ).one()
    assert target == f"/matches/{match.id}" and match.status == "interested"
    assert "页面测试：人才主动报名" in browser.get(target).text


def test_interest_in_a_closed_need_one_knows_nothing_of_is_404(
    web: WebFactory, api: Api, session: Session
) -> None:
    need = api.post_need("site1", "页面测试：已关闭的需求")
    api.call("PATCH", f"/api/v1/needs/{need['id']}", "site1", json={"status": "closed"})
    before = row_counts(session)
    response = web("talent1").post(f"/suggestions/{need['id']}/interest")
    assert response.status_code == 404
    assert "页面测试：已关闭的需求" not in response.text
    assert row_counts(session) == before


@pytest.mark.parametrize("role", ["site1", "county"])
def test_only_talents_express_interest(
    web: WebFactory, api: Api, session: Session, role: str
) -> None:
    need = api.post_need("site1", "页面测试：非人才报名")
    before = row_counts(session)
    assert web(role).post(f"/suggestions/{need['id']}/interest").status_code == 403
    assert row_counts(session) == before


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_talent_forms_refuse_a_missing_or_wrong_csrf_token(
    web: WebFactory, api: Api, session: Session, token: str | None
) -> None:
    pairing = make_pairing(api, "页面测试：伪造的兴趣")
    browser = web(pairing.talent_login)
    bio = _bio(session, api, pairing.talent_login)
    before = row_counts(session)
    form = _profile_form(api, pairing.talent_login, bio="页面测试：伪造的简介")
    assert browser.post("/profile", form, csrf=token).status_code == 403
    interest = browser.post(f"/suggestions/{pairing.need_id}/interest", csrf=token)
    assert interest.status_code == 403
    assert _bio(session, api, pairing.talent_login) == bio
    assert _match_status(session, pairing.match_id) == "proposed"
    assert row_counts(session) == before
