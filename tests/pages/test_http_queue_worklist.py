"""The approval queue as a work list (issue 13, item 5): each item shows its fit, top
reasons and the person; one item's own button decides it at once; a bulk decision is
confirmed first; the result says approved or rejected by name; the choices reset."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy.orm import Session

from models import Match
from tests.pages.conftest import WebFactory
from tests.pages.web import Api, Pairing, make_pairing, row_counts

TITLE = "页面测试：工作清单中的对接"


@pytest.fixture
def accepted(api: Api) -> Pairing:
    return make_pairing(api, TITLE, until="accepted")


def _status(session: Session, match_id: int) -> str:
    session.expire_all()
    match = session.get(Match, match_id)
    assert match is not None
    return match.status


def test_each_item_shows_fit_reasons_and_the_person(web: WebFactory, accepted: Pairing) -> None:
    page = web("county").get("/queue").text
    start = page.index(f'data-match-id="{accepted.match_id}"')
    item = page[start : page.index('class="decide-one"', start)]
    fit = re.search(r'data-fit="(\d+)"', item)
    assert fit is not None and 0 <= int(fit.group(1)) <= 100
    assert 'class="reasons top-reasons"' in item
    assert f'href="/talents/{accepted.talent_id}?need={accepted.need_id}"' in item
    assert html.escape(accepted.talent_name, quote=False) in item
    assert "语义相似度" not in item and "用词重合度" not in item
    assert "/help/reasons" in page


def test_a_bulk_decision_is_confirmed_first(
    web: WebFactory, session: Session, accepted: Pairing
) -> None:
    before = row_counts(session)
    response = web("county").post(
        "/queue",
        {
            "decision": "reject",
            "reason": "时间冲突",
            "match_ids": [str(accepted.match_id)],
            f"version_{accepted.match_id}": "1",
        },
    )
    assert response.status_code == 200
    assert 'data-test="confirm"' in response.text
    assert html.escape(accepted.talent_name, quote=False) in response.text
    assert 'name="confirm" value="yes"' in response.text
    assert _status(session, accepted.match_id) == "accepted"
    assert row_counts(session) == before


def test_going_back_from_the_confirmation_keeps_the_ticked_items(
    web: WebFactory, session: Session, accepted: Pairing
) -> None:
    """Issue 13: 返回修改 used to open a fresh queue, every tick and the reason lost."""
    browser = web("county")
    confirm = browser.post(
        "/queue",
        {
            "decision": "reject",
            "reason": "时间冲突",
            "match_ids": [str(accepted.match_id)],
            f"version_{accepted.match_id}": "1",
        },
    )
    back = re.search(r'data-test="confirm-back" href="([^"]+)"', confirm.text)
    assert back is not None
    page = browser.get(html.unescape(back.group(1)))
    assert page.status_code == 200
    start = page.text.index(f'data-match-id="{accepted.match_id}"')
    item = page.text[start : page.text.index('class="decide-one"', start)]
    assert re.search(rf'value="{accepted.match_id}" autocomplete="off" checked', item)
    assert page.text.count(" checked>") == 2, "the one ticked item and the decision"
    assert 'value="reject" autocomplete="off" checked' in page.text
    assert ">时间冲突</textarea>" in page.text
    assert _status(session, accepted.match_id) == "accepted"


def test_a_confirmed_bulk_rejection_says_rejected_and_resets(
    web: WebFactory, api: Api, session: Session, accepted: Pairing
) -> None:
    waiting = make_pairing(api, TITLE + "（另一项）", until="accepted")
    version = session.get(Match, accepted.match_id).version  # type: ignore[union-attr]
    reason = "该人才本月另有安排"
    response = web("county").post(
        "/queue",
        {
            "decision": "reject",
            "reason": reason,
            "match_ids": [str(accepted.match_id)],
            f"version_{accepted.match_id}": str(version),
            "confirm": "yes",
        },
    )
    assert response.status_code == 200
    assert _status(session, accepted.match_id) == "rejected"
    results = response.text[response.text.index('data-test="results"') :]
    results = results[: results.index("</div>")]
    assert "已驳回" in results and html.escape(accepted.talent_name, quote=False) in results
    assert "已处理" not in results and f"#{accepted.match_id}" not in results
    # The next item starts afresh: no decision ticked, no reason carried over.
    assert f'data-match-id="{waiting.match_id}"' in response.text  # still to decide
    assert re.search(r'name="decision"[^>]*checked', response.text) is None
    assert reason not in response.text.replace(results, "")


def test_one_items_button_decides_it_at_once(
    web: WebFactory, session: Session, accepted: Pairing
) -> None:
    version = session.get(Match, accepted.match_id).version  # type: ignore[union-attr]
    response = web("county").post(
        "/queue",
        {"single": f"approve:{accepted.match_id}", f"version_{accepted.match_id}": str(version)},
    )
    assert response.status_code == 200
    assert _status(session, accepted.match_id) == "approved"
    assert "已批准" in response.text


def test_one_items_rejection_needs_its_reason(
    web: WebFactory, session: Session, accepted: Pairing
) -> None:
    before = row_counts(session)
    response = web("county").post("/queue", {"single": f"reject:{accepted.match_id}"})
    assert response.status_code == 422
    assert _status(session, accepted.match_id) == "accepted"
    assert row_counts(session) == before
    response = web("county").post(
        "/queue",
        {"single": f"reject:{accepted.match_id}", f"reason_{accepted.match_id}": "专业不对口"},
    )
    assert response.status_code == 200
    assert _status(session, accepted.match_id) == "rejected"
