"""Every target whose figure is not counted from matches can be entered and approved on
the pages (the county coordinator's form, the prefecture's approval), and the progress
page then shows it on the target's row — the row of the figure it restates, for a
measure's duplicate."""

from __future__ import annotations

import re

import pytest

import reference
from service.usecases.programme_entries import hand_counted_targets
from service.usecases.progress import plan_keys
from tests.pages.conftest import WebFactory
from tests.pages.web import Web, redirect_target

HAND = sorted(hand_counted_targets().values(), key=lambda t: t.key)


def _entries_on_progress(zhou: Web, key: str) -> float:
    page = zhou.get("/progress", year="2021", county="532322")
    assert page.status_code == 200
    row = re.search(rf'<tr [^>]*data-key="{re.escape(key)}".*?</tr>', page.text, re.S)
    assert row, f"progress shows a row for {key}"
    cell = re.search(r'<td class="entries"[^>]*>([^<]*)</td>', row.group(0))
    assert cell
    return float(cell.group(1))


@pytest.mark.parametrize("target", HAND, ids=[t.key for t in HAND])
def test_each_hand_counted_target_is_entered_approved_and_shown_on_the_pages(
    web: WebFactory, target: object
) -> None:
    key = target.key  # type: ignore[attr-defined]
    programme = target.programme_code  # type: ignore[attr-defined]
    shown = reference.load_programmes().target(key).counted_key
    assert shown in plan_keys()
    county, zhou = web("county"), web("zhou")
    before = _entries_on_progress(zhou, shown)
    sent = county.post(
        "/entries/new",
        {
            "programme_target": f"{programme}|{key}",
            "county_code": "532322",
            "year": "2021",
            "value": "7",
            "note": "页面逐项填报",
        },
    )
    found = re.fullmatch(r"/entries/(\d+)\?created=1", redirect_target(sent))
    assert found, sent.text[:500]
    entry = int(found.group(1))
    assert _entries_on_progress(zhou, shown) == before, "a submitted entry does not count"
    assert county.post(f"/entries/{entry}/approve").status_code == 403, "not by its enterer"
    done = zhou.post(f"/entries/{entry}/approve", {"back": "review"})
    assert redirect_target(done) == "/entries/review?done=1"
    assert _entries_on_progress(zhou, shown) == before + 7
    assert zhou.post(f"/entries/{entry}/approve").status_code == 409, "a second approval"
