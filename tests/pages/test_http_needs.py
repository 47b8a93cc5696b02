"""The need pages by URL: the list, posting, editing, the detail with candidates (or a
talent's fit), why-not, proposing and a talent's decline. Each role sees what the access
rules give it; another site's or another county's need answers 404."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Match, Need, Site, User
from tests.pages.conftest import WebFactory
from tests.pages.web import ROLES, Api, need_form, redirect_target, row_counts

TITLE_1 = "页面测试：一号单位的核桃技术指导"
TITLE_2 = "页面测试：二号单位的核桃技术指导"


@dataclass
class Needs:
    site1: int  # posted by site1 (双柏县)
    site2: int  # posted by site2 (双柏县)
    elsewhere: int  # an open demo need outside 双柏县
    elsewhere_title: str


@pytest.fixture
def needs(api: Api, session: Session) -> Needs:
    site1 = api.post_need("site1", TITLE_1)["id"]
    site2 = api.post_need("site2", TITLE_2)["id"]
    county = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    other = session.scalars(
        select(Need)
        .join(Site)
        .where(Site.county_code != county, Need.status == "open")
        .order_by(Need.id)
    ).first()
    assert other is not None
    return Needs(site1=site1, site2=site2, elsewhere=other.id, elsewhere_title=other.title)


def _text(value: str) -> str:
    return html.escape(value, quote=False)


# ---------------------------------------------------------------------------------------
# Who sees which page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("zhou", 200),
        ("county", 200),
        ("site1", 200),
        ("site2", 200),
        ("talent1", 200),  # talents browse open needs
        ("talent2", 200),
    ],
)
def test_the_needs_list(web: WebFactory, needs: Needs, role: str, status: int) -> None:
    response = web(role).get("/needs")
    assert response.status_code == status
    if role == "site1":
        assert _text(TITLE_1) in response.text
        assert _text(TITLE_2) not in response.text  # another site's need is not listed
    if role == "site2":
        assert _text(TITLE_2) in response.text and _text(TITLE_1) not in response.text
    if role in ("admin", "zhou", "county") or role.startswith("talent"):
        assert _text(TITLE_2) in response.text


@pytest.mark.parametrize("role", ROLES)
def test_only_site_staff_open_the_new_need_form(web: WebFactory, role: str) -> None:
    response = web(role).get("/needs/new")
    assert response.status_code == (200 if role.startswith("site") else 403)
    if response.status_code == 200:
        assert 'name="title"' in response.text and 'name="skills"' in response.text


@pytest.mark.parametrize(
    ("role", "own", "elsewhere"),
    [
        ("admin", 200, 200),
        ("zhou", 200, 200),
        ("county", 200, 404),
        ("site1", 200, 404),
        ("site2", 404, 404),
        ("talent1", 200, 200),  # an open posting is public to talents
        ("talent2", 200, 200),
    ],
)
def test_the_need_detail(
    web: WebFactory, needs: Needs, role: str, own: int, elsewhere: int
) -> None:
    browser = web(role)
    response = browser.get(f"/needs/{needs.site1}")
    assert response.status_code == own
    if own == 200:
        assert _text(TITLE_1) in response.text
    else:
        assert _text(TITLE_1) not in response.text
    if role.startswith("talent"):
        assert "data-talent-id" not in response.text  # no other candidates for a talent
    elif own == 200:
        assert "data-talent-id" in response.text  # ranked candidates
    other = browser.get(f"/needs/{needs.elsewhere}")
    assert other.status_code == elsewhere
    assert (_text(needs.elsewhere_title) in other.text) == (elsewhere == 200)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_each_candidate_shows_their_home_county_by_name(
    web: WebFactory, session: Session, needs: Needs, lang: str
) -> None:
    """Issue 13: candidate cards read "籍贯532322" (a county code)."""
    import re

    from models import County, Talent

    page = web("site1").get(f"/needs/{needs.site1}", lang=lang).text
    cards = re.findall(r'<li class="card candidate" data-talent-id="(\d+)"(.*?)</li>', page, re.S)
    assert cards
    counties = {c.code: c for c in session.scalars(select(County))}
    shown = 0
    for talent_id, card in cards:
        talent = session.get(Talent, int(talent_id))
        assert talent is not None
        if talent.home_county_code not in counties:
            continue
        county = counties[talent.home_county_code]
        name = county.name if lang == "zh-CN" else county.name_en
        label = "籍贯：" if lang == "zh-CN" else "Home county "
        assert f'<span data-test="home-county">{label}{_text(name)}</span>' in card
        assert talent.home_county_code not in re.sub(r"<[^>]+>", " ", card)
        shown += 1
    assert shown, "the demo candidates have a home county"


def test_a_missing_need_is_404(web: WebFactory) -> None:
    assert web("admin").get("/needs/999999999").status_code == 404


@pytest.mark.parametrize(
    ("role", "own", "elsewhere"),
    [
        ("admin", 200, 200),
        ("zhou", 200, 200),
        ("county", 200, 404),
        ("site1", 200, 404),
        ("site2", 404, 404),
        ("talent1", 403, 403),
    ],
)
def test_the_edit_form(web: WebFactory, needs: Needs, role: str, own: int, elsewhere: int) -> None:
    browser = web(role)
    response = browser.get(f"/needs/{needs.site1}/edit")
    assert response.status_code == own
    if own == 200:
        assert f'value="{html.escape(TITLE_1)}"' in response.text
    assert browser.get(f"/needs/{needs.elsewhere}/edit").status_code == elsewhere


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("zhou", 200), ("county", 200), ("site1", 200), ("site2", 404)],
)
def test_why_not(web: WebFactory, api: Api, needs: Needs, role: str, status: int) -> None:
    talent_id = api.candidate("site1", needs.site1)
    response = web(role).get(f"/needs/{needs.site1}/why-not", talent_id=str(talent_id))
    assert response.status_code == status
    if status == 200:
        # The talent by name, linked to the person page; never "#169".
        assert _text(TITLE_1) in response.text and f'href="/talents/{talent_id}?' in response.text
        assert f"#{talent_id}" not in response.text


def test_why_not_for_a_talent_is_about_themselves(web: WebFactory, api: Api, needs: Needs) -> None:
    browser = web("talent1")
    me = api.me("talent1")["talent_id"]
    other = api.me("talent2")["talent_id"]
    own = browser.get(f"/needs/{needs.site1}/why-not", talent_id=str(me))
    assert own.status_code == 200 and f'href="/talents/{me}?' in own.text
    probe = browser.get(f"/needs/{needs.site1}/why-not", talent_id=str(other))
    assert probe.status_code == 404 and f"/talents/{other}" not in probe.text


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999"])
def test_why_not_with_a_bad_talent_id(web: WebFactory, needs: Needs, value: str) -> None:
    response = web("site1").get(f"/needs/{needs.site1}/why-not", talent_id=value)
    assert response.status_code == 404
    assert _text(TITLE_1) in response.text
    assert "请填写整数" not in response.text


def test_why_not_with_nothing_typed_asks_for_a_name(web: WebFactory, needs: Needs) -> None:
    response = web("site1").get(f"/needs/{needs.site1}/why-not", who="")
    assert response.status_code == 200
    assert "请输入人才姓名" in response.text and 'list="why-talent-names"' in response.text


# ---------------------------------------------------------------------------------------
# Posting and editing


def test_posting_a_need_redirects_to_it(web: WebFactory, session: Session) -> None:
    browser = web("site1")
    response = browser.post("/needs/new", need_form("页面测试：新发布的需求"))
    target = redirect_target(response)
    assert target.startswith("/needs/")
    need = session.get(Need, int(target.rsplit("/", 1)[1]))
    assert need is not None and need.title == "页面测试：新发布的需求"
    site1 = session.scalars(select(User.site_id).where(User.username == "site1")).one()
    assert need.site_id == site1
    page = browser.get(target)
    assert page.status_code == 200 and "页面测试：新发布的需求" in page.text


def test_an_invalid_need_is_shown_again_with_the_fields_named(
    web: WebFactory, session: Session
) -> None:
    before = row_counts(session)
    form = need_form("", headcount="zero")
    response = web("site1").post("/needs/new", form)
    assert response.status_code == 422
    for field in ("title", "headcount"):
        assert f'id="err-{field}"' in response.text, field
    assert "我乡核桃种植面积大" in response.text  # what was typed is kept
    assert row_counts(session) == before


@pytest.mark.parametrize("role", ["admin", "county", "talent1"])
def test_only_site_staff_post_needs(web: WebFactory, session: Session, role: str) -> None:
    before = row_counts(session)
    response = web(role).post("/needs/new", need_form("页面测试：越权发布"))
    assert response.status_code == 403
    assert row_counts(session) == before


EDITORS = {"site1": "单位人员", "county": "县级协调员", "zhou": "州级协调员", "admin": "管理员"}


@pytest.mark.parametrize("role", list(EDITORS))
def test_editing_a_need_redirects_to_it(
    web: WebFactory, session: Session, needs: Needs, role: str
) -> None:
    browser = web(role)
    # The title names the editor in words (a login name would be Latin on a Chinese page).
    title = f"页面测试：{EDITORS[role]}改过的标题"
    response = browser.post(f"/needs/{needs.site1}/edit", need_form(title))
    assert redirect_target(response) == f"/needs/{needs.site1}"
    session.expire_all()
    need = session.get(Need, needs.site1)
    assert need is not None and need.title == title
    assert title in browser.get(f"/needs/{needs.site1}").text


@pytest.mark.parametrize(
    ("role", "which"),
    [("site2", "site1"), ("talent1", "site1"), ("county", "elsewhere"), ("site1", "elsewhere")],
)
def test_editing_a_need_one_may_not_see_is_404(
    web: WebFactory, session: Session, needs: Needs, role: str, which: str
) -> None:
    need_id = needs.site1 if which == "site1" else needs.elsewhere
    before = session.get(Need, need_id)
    assert before is not None
    title = before.title
    response = web(role).post(f"/needs/{need_id}/edit", need_form("页面测试：不该写入"))
    assert response.status_code == 404
    session.expire_all()
    after = session.get(Need, need_id)
    assert after is not None and after.title == title


def test_an_invalid_edit_is_shown_again(web: WebFactory, session: Session, needs: Needs) -> None:
    response = web("site1").post(
        f"/needs/{needs.site1}/edit", need_form("页面测试：坏日期", end_date="2000-01-01")
    )
    assert response.status_code == 422
    assert "页面测试：坏日期" in response.text and 'id="err-end_date"' in response.text
    session.expire_all()
    need = session.get(Need, needs.site1)
    assert need is not None and need.title == TITLE_1


# ---------------------------------------------------------------------------------------
# Proposing and declining


def test_proposing_a_candidate_redirects_to_the_match(
    web: WebFactory, api: Api, session: Session, needs: Needs
) -> None:
    talent_id = api.candidate("site1", needs.site1)
    browser = web("site1")
    response = browser.post(f"/needs/{needs.site1}/propose", {"talent_id": str(talent_id)})
    target = redirect_target(response)
    match = session.get(Match, int(target.rsplit("/", 1)[1]))
    assert match is not None
    assert (match.need_id, match.talent_id, match.status) == (needs.site1, talent_id, "proposed")
    page = browser.get(target)
    assert page.status_code == 200 and _text(TITLE_1) in page.text


@pytest.mark.parametrize(("role", "which"), [("site2", "site1"), ("county", "elsewhere")])
def test_proposing_on_a_need_one_may_not_see_is_404(
    web: WebFactory, api: Api, session: Session, needs: Needs, role: str, which: str
) -> None:
    need_id = needs.site1 if which == "site1" else needs.elsewhere
    talent_id = api.me("talent1")["talent_id"]
    before = row_counts(session)
    response = web(role).post(f"/needs/{need_id}/propose", {"talent_id": str(talent_id)})
    assert response.status_code == 404
    assert row_counts(session) == before


def test_a_talent_declines_a_suggestion_with_a_reason(
    web: WebFactory, api: Api, session: Session, needs: Needs
) -> None:
    browser = web("talent1")
    response = browser.post(f"/needs/{needs.site1}/decline", {"reason": "时间冲突"})
    target = redirect_target(response)
    match = session.get(Match, int(target.rsplit("/", 1)[1]))
    assert match is not None and match.status == "declined"
    assert match.talent_id == api.me("talent1")["talent_id"]
    assert browser.get(target).status_code == 200


def test_declining_without_a_reason_asks_for_one(
    web: WebFactory, session: Session, needs: Needs
) -> None:
    before = row_counts(session)
    response = web("talent1").post(f"/needs/{needs.site1}/decline", {"reason": " "})
    assert response.status_code == 422
    assert _text(TITLE_1) in response.text and 'name="reason"' in response.text
    assert row_counts(session) == before


@pytest.mark.parametrize("role", ["site1", "county"])
def test_only_a_talent_declines_a_suggestion(
    web: WebFactory, session: Session, needs: Needs, role: str
) -> None:
    before = row_counts(session)
    response = web(role).post(f"/needs/{needs.site1}/decline", {"reason": "不需要"})
    assert response.status_code == 403
    assert row_counts(session) == before


# ---------------------------------------------------------------------------------------
# CSRF: every form of these pages refuses a post without the page's token


@pytest.mark.parametrize("token", [None, "forged-token"])
@pytest.mark.parametrize("form", ["new", "edit", "propose", "decline"])
def test_need_forms_refuse_a_missing_or_wrong_csrf_token(
    web: WebFactory, api: Api, session: Session, needs: Needs, form: str, token: str | None
) -> None:
    talent_id = api.candidate("site1", needs.site1)
    role, url, data = {
        "new": ("site1", "/needs/new", need_form("页面测试：伪造的提交")),
        "edit": ("site1", f"/needs/{needs.site1}/edit", need_form("页面测试：伪造的提交")),
        "propose": ("site1", f"/needs/{needs.site1}/propose", {"talent_id": str(talent_id)}),
        "decline": ("talent1", f"/needs/{needs.site1}/decline", {"reason": "伪造"}),
    }[form]
    browser = web(role)
    before = row_counts(session)
    response = browser.post(url, data, csrf=token)
    assert response.status_code == 403
    assert "csrf" in response.text.lower() or "表单已过期" in response.text
    assert row_counts(session) == before
    need = session.get(Need, needs.site1)
    assert need is not None and need.title == TITLE_1
