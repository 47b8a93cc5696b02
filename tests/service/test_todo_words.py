"""To-do items the service names itself (a run, a failed import) read in the page's language;
a person's own words (a need's title) stay as typed."""

from __future__ import annotations

from datetime import UTC, datetime

from models import MatchRun
from service.usecases import todo


def test_a_run_is_named_by_its_area_in_either_language() -> None:
    started = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    whole = todo._run_item("admin.failed_run", MatchRun(county_code=None, started_at=started))
    assert whole.title_in("zh-CN") == "全州"
    assert whole.title_in("en") == "The whole prefecture"
    assert whole.since == started  # shown by the page in the reader's zone
    county = MatchRun(county_code="532322", started_at=started)
    item = todo._run_item("admin.failed_run", county)
    assert item.title_in("zh-CN").startswith("双柏县")
    assert item.title_in("en").startswith("Shuangbai County")


def test_a_persons_words_stay_as_typed() -> None:
    item = todo.TodoItem(
        "site.start", "match", 1, "乡村医生驻点", "某卫生院", "/matches/1", None, None
    )
    assert item.title_in("en") == "乡村医生驻点"
    assert item.detail_in("en") == "某卫生院"
