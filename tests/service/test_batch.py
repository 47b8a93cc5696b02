"""Batch matching as a use case, an API and a command: proposals within every limit,
idempotent re-runs, decisions never overwritten, all-or-nothing, dry runs, the report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from matching.assignment import is_stable
from matching.constraints import Constraint, TalentArrays, why_not
from models import AuditEvent, County, Match, MatchEvent, MatchRun, Need, Site, User
from models.enums import MatchStatus, RunStatus
from service.actor import Actor
from service.engine import MatchingEngine
from service.errors import AppError
from service.profiles import need_profiles, talent_profiles
from service.usecases import batch
from tests.http_fixtures import Login

COUNTY_NAME = "双柏县"


def _actor(session: Session, username: str) -> Actor:
    user = session.scalars(select(User).where(User.username == username)).one()
    return Actor.of(user)


def _county_code(session: Session, name: str = COUNTY_NAME) -> str:
    return str(session.scalar(select(County.code).where(County.name == name)))


def _run_matches(session: Session, run_id: int) -> list[Match]:
    return list(session.scalars(select(Match).where(Match.run_id == run_id)))


def _match_count(session: Session) -> int:
    return int(session.scalar(select(func.count(Match.id))) or 0)


def _assert_within_limits(session: Session, matches: list[Match]) -> None:
    """Headcount, capacity (concurrent and days) and every hard constraint hold."""
    assert matches
    need_ids = sorted({m.need_id for m in matches})
    talent_ids = sorted({m.talent_id for m in matches})
    needs = {n.id: n for n in need_profiles(session, need_ids)}
    talents = {t.id: t for t in talent_profiles(session, talent_ids)}
    per_need = Counter(m.need_id for m in matches)
    per_talent = Counter(m.talent_id for m in matches)
    days = Counter[int]()
    for m in matches:
        # A long placement occupies its dates instead of spending yearly days.
        if not needs[m.need_id].long_placement:
            days[m.talent_id] += needs[m.need_id].days_needed
    for need_id, n in per_need.items():
        assert n <= needs[need_id].headcount
    for talent_id, n in per_talent.items():
        talent = talents[talent_id]
        assert n <= talent.capacity_concurrent - talent.active_matches
        assert days[talent_id] <= talent.capacity_days_per_year - talent.days_committed
    for m in matches:
        assert why_not(needs[m.need_id], talents[m.talent_id]) == []


# ------------------------------------------------------------------ use case
def test_run_writes_proposals_within_every_limit(
    session: Session, matching_engine: MatchingEngine
) -> None:
    zhou = _actor(session, "zhou")
    done = batch.run_batch(
        session=session,
        engine=matching_engine,
        actor=zhou,
        county=None,
        mode="optimal",
        dry_run=False,
    )
    run = session.get_one(MatchRun, done.run.id)
    assert run.status == RunStatus.SUCCEEDED and run.finished_at is not None
    assert run.created_by == zhou.id and run.county_code is None and not run.dry_run
    matches = _run_matches(session, run.id)
    assert len(matches) == done.report.proposed == done.report.placements > 0
    _assert_within_limits(session, matches)
    for m in matches:
        assert m.status == MatchStatus.PROPOSED and m.origin == "batch"
        assert m.breakdown and {"feature", "value", "contribution", "zh", "en"} <= set(
            m.breakdown[0]
        )
        assert m.score == pytest.approx(sum(line["contribution"] for line in m.breakdown), abs=1e-6)
    events = list(
        session.scalars(select(MatchEvent).where(MatchEvent.match_id.in_([m.id for m in matches])))
    )
    assert len(events) == len(matches)
    assert {(e.from_status, e.to_status, e.actor_id) for e in events} == {
        (None, "proposed", zhou.id)
    }
    audits = list(
        session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity == "match_run", AuditEvent.entity_id == run.id
            )
        )
    )
    assert len(audits) == 1 and audits[0].actor_id == zhou.id


def test_report_on_the_demo_population(session: Session, matching_engine: MatchingEngine) -> None:
    report = batch.run_batch(
        session=session, engine=matching_engine, actor=None, county=None, dry_run=True
    ).report
    assert report.needs == report.needs_open > 0
    assert 0 < report.fill.overall < 1
    assert report.fill.overall == pytest.approx(report.placements / report.headcount, abs=1e-4)
    assert 0 < report.priority.of_slots < 1
    assert 0 <= report.priority.of_placements <= 1
    assert report.fill.priority is not None and report.fill.other is not None
    solver = report.solver
    assert solver.objective == pytest.approx(solver.bound) and solver.gap == 0
    assert solver.status == "optimal" and solver.solve_seconds >= 0
    assert solver.optimal is not None and solver.stable is None
    unfilled = report.unfilled
    by_reason = unfilled.by_reason
    assert sum(by_reason.values()) == unfilled.count == len(unfilled.listed)
    assert by_reason.get("no_feasible_candidate", 0) > 0
    constraints = {c.value for c in Constraint}
    no_feasible = [e for e in unfilled.listed if e.reason == "no_feasible_candidate"]
    for entry in no_feasible:
        assert entry.blockers is not None and entry.constraint is not None
        assert entry.constraint.name in constraints and entry.constraint.zh
        # The named constraint is the commonest failure over the talents.
        violations = entry.blockers.violations
        assert violations[entry.constraint.name] == max(violations.values())
    assert sum(unfilled.no_feasible_by_constraint.values()) == len(no_feasible)
    for entry in unfilled.listed:
        assert entry.reason_zh and entry.reason_en and entry.missing > 0
    # What is stored is what the report says, and reads back as the same report.
    stored = batch.read_report(report.to_json())
    assert stored == report


def test_violation_counts_equal_why_not(session: Session) -> None:
    talents = talent_profiles(session)
    arrays = TalentArrays.build(talents)
    for need in need_profiles(session)[:12]:
        counts, sole = batch.violation_counts(need, arrays)
        expected: Counter[str] = Counter()
        expected_sole: Counter[str] = Counter()
        for talent in talents:
            failed = [v.constraint.value for v in why_not(need, talent)]
            expected.update(failed)
            if len(failed) == 1:
                expected_sole.update(failed)
        assert counts == dict(expected)
        assert sole == dict(expected_sole)


def test_rerun_is_idempotent(session: Session, matching_engine: MatchingEngine) -> None:
    first = batch.run_batch(session=session, engine=matching_engine, actor=None, county=None)
    before = _match_count(session)
    assert first.report.proposed > 0
    second = batch.run_batch(session=session, engine=matching_engine, actor=None, county=None)
    assert second.report.proposed == 0
    assert _match_count(session) == before
    assert second.report.needs_already_covered > 0
    pairs = session.execute(select(Match.need_id, Match.talent_id)).all()
    assert len(pairs) == len(set(pairs))


def test_decisions_are_never_overwritten(session: Session, matching_engine: MatchingEngine) -> None:
    first = batch.run_batch(session=session, engine=matching_engine, actor=None, county=None)
    declined, approved = _run_matches(session, first.run.id)[:2]
    declined.status = MatchStatus.DECLINED.value
    approved.status = MatchStatus.APPROVED.value
    session.add(
        MatchEvent(
            match_id=declined.id,
            from_status="proposed",
            to_status="declined",
            reason="test: not this season",
        )
    )
    session.commit()
    decided = {
        declined.id: (declined.need_id, declined.talent_id, "declined", declined.version),
        approved.id: (approved.need_id, approved.talent_id, "approved", approved.version),
    }

    second = batch.run_batch(session=session, engine=matching_engine, actor=None, county=None)
    session.expire_all()
    for match_id, (need_id, talent_id, status, version) in decided.items():
        row = session.get_one(Match, match_id)
        assert (row.need_id, row.talent_id, row.status, row.version) == (
            need_id,
            talent_id,
            status,
            version,
        )
        assert row.run_id == first.run.id
        again = session.scalar(
            select(func.count(Match.id)).where(
                Match.need_id == need_id, Match.talent_id == talent_id
            )
        )
        assert again == 1
    fresh = _run_matches(session, second.run.id)
    assert all((m.need_id, m.talent_id) != (declined.need_id, declined.talent_id) for m in fresh)
    # The declined slot is open again; the approved one still holds its talent.
    assert second.report.excluded_existing_pairs >= 1
    all_live = list(
        session.scalars(select(Match).where(Match.status.in_(["proposed", "approved"])))
    )
    per_talent = Counter(m.talent_id for m in all_live)
    capacity = {t.id: t.capacity_concurrent for t in talent_profiles(session, list(per_talent))}
    assert all(n <= capacity[t] for t, n in per_talent.items())


def test_failure_in_the_solver_leaves_only_a_failed_run(
    session: Session, matching_engine: MatchingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("injected solver failure")

    monkeypatch.setattr(batch.solve, "solve_assignment", broken)
    before = _match_count(session)
    with pytest.raises(RuntimeError, match="injected"):
        batch.run_batch(session=session, engine=matching_engine, actor=None, county=None)
    run = session.scalars(select(MatchRun).order_by(MatchRun.id.desc())).first()
    assert run is not None and run.status == RunStatus.FAILED
    # The coordinator reads a plain sentence; the raw error goes to the log only.
    failed = batch.report_of(run)
    assert isinstance(failed, batch.FailedReport) and failed.reason == "internal_error"
    assert "injected" not in str(run.report)
    assert _match_count(session) == before


def test_failure_midway_through_writing_leaves_nothing(
    session: Session, matching_engine: MatchingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch.write, "WRITE_CHUNK", 5)
    written: list[int] = []

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "write":
            written.append(done)
            if len(written) == 2:  # two chunks are flushed; fail before the third
                raise RuntimeError("injected failure while writing")

    before = _match_count(session)
    events_before = session.scalar(select(func.count(MatchEvent.id)))
    with pytest.raises(RuntimeError, match="while writing"):
        batch.run_batch(
            session=session, engine=matching_engine, actor=None, county=None, progress=progress
        )
    assert written == [5, 10]
    run = session.scalars(select(MatchRun).order_by(MatchRun.id.desc())).first()
    assert run is not None and run.status == RunStatus.FAILED and run.finished_at
    assert _match_count(session) == before
    assert session.scalar(select(func.count(MatchEvent.id))) == events_before
    assert session.scalar(select(func.count(Match.id)).where(Match.run_id == run.id)) == 0


def test_dry_run_writes_no_matches(session: Session, matching_engine: MatchingEngine) -> None:
    before = _match_count(session)
    done = batch.run_batch(
        session=session, engine=matching_engine, actor=None, county=None, dry_run=True
    )
    assert done.report.placements > 0 and done.report.proposed == 0
    assert _match_count(session) == before
    run = session.get_one(MatchRun, done.run.id)
    assert run.dry_run and run.status == RunStatus.SUCCEEDED and run.report


def test_stable_mode_is_stable_and_within_limits(
    session: Session, matching_engine: MatchingEngine
) -> None:
    done = batch.run_batch(
        session=session, engine=matching_engine, actor=None, county=None, mode="stable"
    )
    inst = done.instance
    assert inst is not None and inst.matching is not None
    assert inst.need_preferences is not None and inst.talent_preferences is not None
    assert is_stable(
        inst.matching,
        inst.need_preferences,
        inst.talent_preferences,
        inst.problem.need_headcount,
        inst.stable_capacity,
    )
    written = {(m.need_id, m.talent_id) for m in _run_matches(session, done.run.id)}
    expected = {(int(inst.need_ids[n]), int(inst.talent_ids[t])) for n, t in inst.matching.pairs()}
    assert written == expected and written
    _assert_within_limits(session, _run_matches(session, done.run.id))
    solver = done.report.solver
    assert solver.status == "stable" and solver.stable is not None and solver.optimal is None
    assert "no stated" in solver.stable.talent_preferences


def test_county_run_stays_in_its_county(session: Session, matching_engine: MatchingEngine) -> None:
    code = _county_code(session)
    done = batch.run_batch(
        session=session, engine=matching_engine, actor=_actor(session, "county"), county=COUNTY_NAME
    )
    assert done.run.county_code == code and done.report.county_name == COUNTY_NAME
    counties = set(
        session.scalars(
            select(Site.county_code)
            .join(Need, Need.site_id == Site.id)
            .join(Match, Match.need_id == Need.id)
            .where(Match.run_id == done.run.id)
        )
    )
    assert counties <= {code}
    open_here = session.scalar(
        select(func.count(Need.id))
        .join(Site)
        .where(Site.county_code == code, Need.status == "open")
    )
    assert done.report.needs_open == open_here


def test_county_coordinator_cannot_run_elsewhere(
    session: Session, matching_engine: MatchingEngine
) -> None:
    county = _actor(session, "county")
    other = session.scalar(select(County.code).where(County.code != county.jurisdiction))
    for target in (other, None):
        with pytest.raises(AppError) as caught:
            batch.run_batch(session=session, engine=matching_engine, actor=county, county=target)
        assert caught.value.status == 403
    with pytest.raises(AppError) as caught:
        batch.run_batch(session=session, engine=matching_engine, actor=None, county="火星县")
    assert caught.value.status == 422 and caught.value.fields[0].field == "county"
    assert session.scalar(select(func.count(MatchRun.id))) == 0


# ------------------------------------------------------------------ API
def test_api_runs_for_coordinators(client: TestClient, login: Login, session: Session) -> None:
    county_headers = login("county")
    code = _county_code(session)
    other = session.scalar(select(County.code).where(County.code != code))

    refused = client.post("/api/v1/runs", json={"county": other}, headers=county_headers)
    assert refused.status_code == 403, refused.text
    refused = client.post("/api/v1/runs", json={"county": None}, headers=county_headers)
    assert refused.status_code == 403
    assert (
        client.post("/api/v1/runs", json={"county": code}, headers=login("site1")).status_code
        == 403
    )
    bad = client.post("/api/v1/runs", json={"county": "火星县"}, headers=county_headers)
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "county"

    own = client.post(
        "/api/v1/runs",
        json={"county": COUNTY_NAME, "mode": "optimal", "dry_run": False},
        headers=county_headers,
    )
    assert own.status_code == 201, own.text
    body = own.json()
    assert body["status"] == "succeeded" and body["county_code"] == code
    assert {
        "fill_rate",
        "priority_placement_share",
        "priority_need_share",
        "unfilled_by_reason",
        "objective",
        "bound",
        "gap",
    } <= set(body["report"])

    zhou = login("zhou")
    everywhere = client.post("/api/v1/runs", json={"dry_run": True, "mode": "stable"}, headers=zhou)
    assert everywhere.status_code == 201, everywhere.text
    assert everywhere.json()["dry_run"] and everywhere.json()["county_code"] is None

    listed = client.get("/api/v1/runs", headers=county_headers).json()
    assert [r["id"] for r in listed["items"]] == [body["id"]]
    assert (
        client.get(f"/api/v1/runs/{everywhere.json()['id']}", headers=county_headers).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/runs/{body['id']}", headers=county_headers).json()["report"]
        == body["report"]
    )
    assert {r["id"] for r in client.get("/api/v1/runs", headers=zhou).json()["items"]} >= {
        body["id"],
        everywhere.json()["id"],
    }
    proposals = client.get(
        "/api/v1/matches", params={"run_id": body["id"]}, headers=county_headers
    ).json()
    assert proposals["total"] == body["report"]["proposed"]


# ------------------------------------------------------------------ CLI
@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from models.db import make_engine
    from models.migrate import upgrade
    from seed.demo import generate_population, reference_from_seed
    from seed.load import load_reference
    from seed.load_demo import load_population

    url = f"sqlite:///{tmp_path_factory.mktemp('batch-cli') / 'rencai.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference(session=session)
        load_population(
            generate_population(
                n_sites=12, n_talents=120, seed=11, reference=reference_from_seed()
            ),
            session=session,
        )
        session.commit()
    engine.dispose()
    yield url


def test_cli_match_run(cli_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from models.db import make_engine
    from service.cli import app

    monkeypatch.setenv("RENCAI_DATABASE_URL", cli_db)
    monkeypatch.setenv("RENCAI_DATA_DIR", str(tmp_path / "var"))
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        result = runner.invoke(app, ["match", "run", *args])
        assert "Traceback" not in result.output, result.output
        return result

    assert invoke("--all", "--county", COUNTY_NAME).exit_code == 2
    assert invoke().exit_code == 2
    unknown = invoke("--county", "火星县")
    assert unknown.exit_code == 2 and "county" in unknown.output

    dry = invoke("--all", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "fill rate" in dry.output and "dry run" in dry.output and "objective" in dry.output

    engine = make_engine(cli_db)
    try:
        with Session(engine) as session:
            assert _match_count(session) == 0
        real = invoke("--all", "--mode", "optimal")
        assert real.exit_code == 0, real.output
        assert "priority areas" in real.output and "unfilled needs" in real.output
        with Session(engine) as session:
            made = _match_count(session)
            assert made > 0
            run = session.scalars(select(MatchRun).order_by(MatchRun.id.desc())).first()
            assert run is not None and run.status == "succeeded" and run.report
            stored = batch.report_of(run)
            assert isinstance(stored, batch.RunReport) and stored.proposed == made

        again = invoke("--all", "--json")
        assert again.exit_code == 0, again.output
        assert '"proposed": 0' in again.output
        by_name = invoke("--county", COUNTY_NAME, "--mode", "stable")
        assert by_name.exit_code == 0, by_name.output
        with Session(engine) as session:
            pairs = session.execute(select(Match.need_id, Match.talent_id)).all()
            assert len(pairs) == len(set(pairs))
    finally:
        engine.dispose()


def test_the_engine_s_talent_arrays_give_the_database_s_blockers(
    session: Session, matching_engine: MatchingEngine
) -> None:
    """A run diagnoses short needs on the engine's talent columns (no second read of
    every talent): the same counts as columns built from the database."""
    needs = need_profiles(session)[:15]
    from_engine = batch.blocking_constraints(session, needs, matching_engine.talent_arrays(session))
    from_database = batch.blocking_constraints(session, needs)
    assert from_engine == from_database
    assert all(b.talents_checked == len(talent_profiles(session)) for b in from_engine.values())
