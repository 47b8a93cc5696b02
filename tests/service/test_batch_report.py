"""The typed run report reads rows stored before it was typed: the reports in
``data/run_reports_v1.json`` were written by the untyped batch module (optimal and
stable runs, a county run and a failed run; the unfilled lists cut to a few entries of
each kind). Reading one and writing it back gives the same JSON, key order included,
and the API and the report page serve such rows unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from models import MatchRun
from models.enums import RunStatus
from service.usecases import batch
from tests.http_fixtures import Login

STORED: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "run_reports_v1.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("name", sorted(STORED))
def test_stored_reports_read_back_unchanged(name: str) -> None:
    stored = STORED[name]
    report = batch.read_report(stored)
    assert report is not None
    # Same JSON text, so the same keys in the same order at every level.
    assert json.dumps(report.to_json()) == json.dumps(stored)


def test_stored_reports_read_by_attribute() -> None:
    optimal = batch.read_report(STORED["optimal_real"])
    assert isinstance(optimal, batch.RunReport)
    raw = STORED["optimal_real"]
    assert optimal.fill.overall == raw["fill_rate"] and optimal.fill.other == raw["other_fill_rate"]
    assert optimal.priority.of_placements == raw["priority_placement_share"]
    assert optimal.unfilled.count == raw["unfilled_needs"] > len(optimal.unfilled.listed)
    assert optimal.solver.optimal is not None and optimal.solver.stable is None
    assert optimal.solver.optimal.county_shortfall == raw["county_shortfall"]
    assert optimal.options == raw["options"]
    diagnosed = [u for u in optimal.unfilled.listed if u.constraint is not None]
    assert diagnosed
    first = diagnosed[0]
    assert first.constraint is not None and first.blockers is not None
    assert first.blockers.violations[first.constraint.name] == max(
        first.blockers.violations.values()
    )
    assert any(u.blockers is None for u in optimal.unfilled.listed)

    stable = batch.read_report(STORED["stable_dry"])
    assert isinstance(stable, batch.RunReport) and stable.options is None
    assert stable.solver.stable is not None and stable.solver.optimal is None
    assert stable.solver.bound is None and stable.solver.stable.rounds >= 1

    failed = batch.read_report(STORED["failed"])
    assert isinstance(failed, batch.FailedReport) and "cannot all hold" in failed.error
    assert batch.read_report(None) is None


def _store(session: Session, report: dict[str, Any], status: RunStatus) -> int:
    run = MatchRun(
        county_code=report.get("county"),
        mode=report.get("mode", "optimal"),
        dry_run=bool(report.get("dry_run", False)),
        status=status.value,
        report=report,
    )
    session.add(run)
    session.commit()
    return run.id


def test_api_and_page_serve_old_rows_unchanged(
    client: TestClient, login: Login, session: Session
) -> None:
    headers = login("zhou")
    for name, report in STORED.items():
        failed = name == "failed"
        run_id = _store(session, report, RunStatus.FAILED if failed else RunStatus.SUCCEEDED)
        got = client.get(f"/api/v1/runs/{run_id}", headers=headers)
        assert got.status_code == 200, got.text
        assert json.dumps(got.json()["report"]) == json.dumps(report)
        page = client.get(f"/runs/{run_id}", headers=headers)
        assert page.status_code == 200, page.text
        if not failed:
            assert f"{report['fill_rate'] * 100:.1f}%" in page.text
            assert f'href="/needs/{report["unfilled"][0]["need_id"]}"' in page.text
