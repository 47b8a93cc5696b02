"""How the ledger counts: a match counts once, under its need's line, for the need's
county and the year of approval; nowhere else except the umbrella that rolls it up."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import reference
from models import Match, Need, Talent
from service.usecases import line_rules
from service.usecases.progress import progress
from tests.http_fixtures import Login
from tests.service.helpers import post_need
from tests.service.ledger_builders import CHUXIONG, SHUANGBAI, counted_lines, fitting_match

LINES = counted_lines()


def _achieved(session: Session, county: str | None) -> dict[str, tuple[int, list[int]]]:
    rows = progress(session=session, year=date.today().year, county=county)
    return {p.key: (p.achieved_matches, p.match_ids) for p in rows}


@pytest.mark.parametrize(("line", "target"), LINES, ids=[f"{c}-{t.key}" for c, t in LINES])
def test_a_match_under_the_line_counts_once_there_and_in_its_umbrella(
    session: Session, line: str, target: reference.Target
) -> None:
    before_county = _achieved(session, SHUANGBAI)
    before_all = _achieved(session, None)
    before_other = _achieved(session, CHUXIONG)
    match = fitting_match(session, line, target)
    after_county = _achieved(session, SHUANGBAI)
    after_all = _achieved(session, None)

    counted = target.counted_key
    umbrellas = set(reference.load_programmes().umbrellas_of(counted))
    for view_before, view_after in ((before_county, after_county), (before_all, after_all)):
        assert set(view_after) == set(view_before)
        changed = {k for k in view_after if view_after[k] != view_before[k]}
        assert changed == {counted, *umbrellas}, f"only {counted} (and its umbrella) moves"
        for key in changed:
            assert view_after[key][0] == view_before[key][0] + 1, key
            assert match.id in view_after[key][1]
    assert _achieved(session, CHUXIONG) == before_other, "another county is untouched"
    # A duplicate row never appears: the figure stated twice is one row.
    assert target.same_as is None or target.key not in after_all


def test_the_same_figure_stated_twice_counts_once(session: Session) -> None:
    plan = reference.load_programmes()
    goal_target = plan.target("selected_technicians.technicians")
    measure_target = plan.target("measure_3.selected_technicians")
    first = fitting_match(session, "selected_technicians", goal_target)
    second = fitting_match(session, "measure_3", measure_target)
    rows = {p.key: p for p in progress(session=session, county=SHUANGBAI)}
    row = rows["selected_technicians.technicians"]
    assert "measure_3.selected_technicians" not in rows
    assert row.same_as == ["measure_3.selected_technicians"]
    assert row.lines == ["selected_technicians", "measure_3"]
    assert {first.id, second.id} <= set(row.match_ids)
    # Same talent under both lines: one person, counted once.
    session.get(Match, second.id).talent_id = first.talent_id  # type: ignore[union-attr]
    session.commit()
    again = {p.key: p for p in progress(session=session, county=SHUANGBAI)}
    assert again["selected_technicians.technicians"].achieved_matches == row.achieved_matches - 1


def test_a_resembling_match_under_another_line_does_not_count(session: Session) -> None:
    """A long placement under measure 4 (三支一扶) counts under 三支一扶 only, never under
    选派 although it resembles it; a match whose need has no line counts nowhere."""
    plan = reference.load_programmes()
    fitting_match(session, "measure_4", plan.target("measure_4.sanzhi_yifu"))
    rows = {p.key: p for p in progress(session=session, county=SHUANGBAI)}
    assert rows["sanzhi_yifu.volunteers"].achieved_matches >= 1
    before = {p.key: p.achieved_matches for p in progress(session=session, county=SHUANGBAI)}
    # A match without a line counts nowhere.
    match = fitting_match(
        session, "selected_technicians", plan.target("selected_technicians.technicians")
    )
    session.get(Need, match.need_id).programme_code = None  # type: ignore[union-attr]
    session.commit()
    after = {p.key: p.achieved_matches for p in progress(session=session, county=SHUANGBAI)}
    assert after == before


def test_progress_rows_expose_keys_rolls_up_and_the_ids(
    client: TestClient, login: Login, session: Session
) -> None:
    plan = reference.load_programmes()
    match = fitting_match(
        session, "technicians_frontline", plan.target("technicians_frontline.technicians")
    )
    hospital = fitting_match(session, "measure_4", plan.target("measure_4.county_hospital_experts"))
    rows = client.get(
        "/api/v1/programmes/progress",
        params={"year": date.today().year},
        headers=login("zhou"),
    ).json()
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys)), "every target once"
    assert not any(k.startswith("measure_8.") for k in keys), "measure 8 restates goals"
    by_key = {r["key"]: r for r in rows}
    umbrella = by_key["wanming_experts.action_plan"]
    assert umbrella["rolls_up"] == ["measure_4.county_hospital_experts"]
    frontline = by_key["technicians_frontline.technicians"]
    assert match.id in frontline["match_ids"] and match.id not in umbrella["match_ids"]
    experts = by_key["measure_4.county_hospital_experts"]
    assert hospital.id in experts["match_ids"] and hospital.id in umbrella["match_ids"]
    assert frontline["achieved"] == frontline["achieved_matches"] + frontline["achieved_entries"]
    assert frontline["achieved_entries"] == 0 and frontline["entry_ids"] == []
    export = client.get(
        "/api/v1/programmes/progress.csv",
        params={"year": date.today().year, "header": "codes"},
        headers=login("zhou"),
    )
    header = export.text.lstrip("\ufeff").splitlines()[0].split(",")
    for column in ("key", "same_as", "rolls_up", "county_value", "achieved_matches", "match_ids"):
        assert column in header


def test_a_need_breaking_its_lines_rule_is_refused(client: TestClient, login: Login) -> None:
    site = login("site1")
    refused = client.post(
        "/api/v1/needs",
        json={
            "title": "短期指导",
            "description": "五天的现场指导，不是选派",
            "skills": ["agri.extension"],
            "mode": "onsite_short",
            "start_date": date.today().isoformat(),
            "end_date": date.today().isoformat(),
            "headcount": 1,
            "days_needed": 5,
            "programme_code": "selected_technicians",
        },
        headers=site,
    )
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    fields = {f["field"] for f in error["fields"]}
    assert {"mode", "days_needed", "programme_code"} <= fields
    assert "selected_technicians" in error["message"]
    # A line whose figures are entered, not matched, takes no needs.
    entered = post_need_status(client, site, programme_code="measure_7")
    assert entered == 422


def post_need_status(client: TestClient, headers: dict[str, str], **overrides: object) -> int:
    from tests.service.helpers import need_body

    return client.post("/api/v1/needs", json=need_body(**overrides), headers=headers).status_code


def test_approving_a_talent_that_breaks_the_rule_is_refused(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(
        client, site, programme_code="sanzhi_yifu", mode="onsite_long", days_needed=200
    )
    talent = session.query(Talent).filter(Talent.category == "professional_technician").first()
    assert talent is not None
    match = Match(need_id=need["id"], talent_id=talent.id, status="accepted", origin="coordinator")
    session.add(match)
    session.commit()
    refused = client.post(f"/api/v1/matches/{match.id}/approve", headers=login("zhou"))
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["fields"][0]["field"] == "talent.category"
    assert "sanzhi_yifu" in error["message"]
    assert line_rules.line_targets("sanzhi_yifu")[0].key == "sanzhi_yifu.volunteers"


def test_the_progress_file_for_people_has_words_for_headers_and_names(
    client: TestClient, login: Login
) -> None:
    """Issue 13: the progress CSV spoke English column keys to a Chinese clerk."""
    from tests.pages import code_scanner

    for lang, header, programme in (
        ("zh-CN", "目标代码", "组织1000名左右专业技术人员到生产一线"),
        ("en", "Target code", "Send about 1,000 professional technicians"),
    ):
        export = client.get(
            "/api/v1/programmes/progress.csv",
            params={"year": date.today().year, "lang": lang},
            headers=login("zhou"),
        )
        assert export.status_code == 200
        text = export.text.lstrip("\ufeff")
        assert text.splitlines()[0].split(",")[0] == header, text.splitlines()[0]
        assert programme in text
        found = code_scanner.scan_csv(export.content, "progress.csv", lang)
        assert found == [], found
