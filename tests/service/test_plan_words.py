"""Every name of the plan a page shows (goals and measures as programmes, their contents, the
task table's group headings, targets, units, organisations) has English words in the catalogue,
so an English page never falls back to the plan's Chinese."""

from __future__ import annotations

from collections.abc import Iterator

from reference.programmes import load_programmes
from service.i18n import has_message, translate
from service.pages.render import measure_group_word, plan_word


def _plan_names() -> Iterator[tuple[str, str]]:
    """(kind, code) of each name of the plan, as the pages look them up."""
    plan = load_programmes()
    for goal in plan.goals:
        yield "programme", goal.code
        yield from (("org", u) for u in goal.lead_units + goal.partner_units)
    for measure in plan.measures:
        yield "programme", measure.code
        yield "programme_content", measure.code
        yield "measure_group", measure.group.code
        yield from (("org", u) for u in measure.lead_units + measure.responsible_units)
    for _owner, target in plan.targets():
        yield "target", target.key
        if target.unit:
            yield "unit", target.unit


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_target_programme_unit_and_organisation_has_english_words() -> None:
    names = sorted(set(_plan_names()))
    assert len([n for n in names if n[0] == "target"]) > 30
    missing = [f"{kind}.{code}" for kind, code in names if not has_message(f"{kind}.{code}", "en")]
    assert not missing, f"no English words for: {missing}"
    chinese = [
        f"{kind}.{code}" for kind, code in names if _has_cjk(translate(f"{kind}.{code}", "en"))
    ]
    assert not chinese, f"English words still in Chinese: {chinese}"


def test_a_group_heading_of_the_task_table_reads_in_the_page_language() -> None:
    group = load_programmes().measures[0].group
    assert measure_group_word(group.heading, "zh-CN") == group.heading
    english = measure_group_word(group.heading, "en")
    assert english != group.heading and not _has_cjk(english)
    assert measure_group_word("（九）不在计划里的标题", "en") == "（九）不在计划里的标题"


def test_a_target_reads_in_english_on_an_english_page() -> None:
    target = load_programmes().target("measure_8.technicians_frontline")
    assert plan_word("target", target.key, target.text, "zh-CN") == target.text
    assert plan_word("target", target.key, target.text, "en").startswith("About 1,000 technicians")
