"""The candidates page and the suggestions page say, in words, which scorer ranked the
list and what feedback adjusted it — never the scorer's code."""

from __future__ import annotations

from tests.pages.conftest import WebFactory
from tests.pages.web import Api


def test_the_need_page_names_the_hand_weights_then_the_feedback_in_words(
    web: WebFactory, api: Api
) -> None:
    first = api.post_need("site1", "页面测试：排序依据一")["id"]
    twin = api.post_need("site1", "页面测试：排序依据二")["id"]
    site = web("site1")
    page = site.get(f"/needs/{twin}")
    assert page.status_code == 200
    assert "排序依据：人工设定的权重" in page.text
    assert "hand" not in page.text.split("ranked-by")[1][:200]

    talent = api.candidate("site1", first)
    proposed = api.call(
        "POST", "/api/v1/matches", "site1", json={"need_id": first, "talent_id": talent}
    )
    api.act(proposed["id"], "decline", "site1", reason="距离太远")
    page = site.get(f"/needs/{twin}")
    assert "已按本站点近期婉拒、退回的原因调整：更看重距离" in page.text
    english = site.get(f"/needs/{twin}", lang="en")
    assert "more weight on distance" in english.text


def test_the_suggestions_page_names_the_scorer(web: WebFactory) -> None:
    page = web("talent1").get("/suggestions")
    assert page.status_code == 200
    assert 'class="card suggestion"' in page.text, "talent1 should have suggestions"
    assert "排序依据：人工设定的权重" in page.text
