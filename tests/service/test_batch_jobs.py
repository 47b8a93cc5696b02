"""Batch runs as background jobs (issue 12, item 8): a preview that writes nothing, a
confirmation that writes exactly the preview's placements (or nothing, saying why, if
the world changed), cancellation, the run page's progress, and the report as an XLSX
workbook in words. The background runner itself, progress from 0 to 100 over HTTP and
a job killed mid-way are in tests/service/test_batch_jobs_live.py."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    AuditEvent,
    County,
    Match,
    MatchEvent,
    MatchRun,
    Need,
    Notification,
    User,
)
from models.enums import MatchStatus, NeedStatus, RunStatus
from service.actor import Actor
from service.engine import MatchingEngine
from service.errors import AppError
from service.usecases import batch
from service.usecases.batch import CONSTRAINT_TEXT, REASON_TEXT
from tests.http_fixtures import Login

COUNTY_NAME = "双柏县"


def _actor(session: Session, username: str) -> Actor:
    return Actor.of(session.scalars(select(User).where(User.username == username)).one())


def _count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _counts(session: Session) -> dict[str, int]:
    return {m.__name__: _count(session, m) for m in (Match, MatchEvent, Notification, AuditEvent)}


def _preview(session: Session, engine: MatchingEngine, county: str | None = None) -> MatchRun:
    done = batch.run_batch(
        session=session,
        engine=engine,
        actor=_actor(session, "zhou"),
        county=county,
        dry_run=True,
    )
    return done.run


def _confirm(session: Session, engine: MatchingEngine, preview: MatchRun) -> MatchRun:
    run = batch.confirm(session=session, actor=_actor(session, "zhou"), preview_id=preview.id)
    assert run.status == RunStatus.QUEUED.value and run.preview_of == preview.id
    return batch.run_inline(session=session, engine=engine, run=run).run


def _pairs(rows: Any) -> set[tuple[int, int]]:
    return {(r.need_id, r.talent_id) for r in rows}


# ------------------------------------------------------------------ preview, confirm
def test_a_preview_writes_nothing_and_its_confirmation_writes_exactly_its_placements(
    session: Session, matching_engine: MatchingEngine
) -> None:
    before = _counts(session)
    preview = _preview(session, matching_engine)
    after_preview = _counts(session)
    # Only the run's own audit event: no match, no event, no notification.
    assert {k: after_preview[k] - before[k] for k in before} == {
        "Match": 0,
        "MatchEvent": 0,
        "Notification": 0,
        "AuditEvent": 1,
    }
    assert preview.status == RunStatus.SUCCEEDED.value and preview.percent == 100
    previewed = batch.proposals_of(session, preview.id)
    report = batch.report_of(preview)
    assert isinstance(report, batch.RunReport)
    assert previewed and len(previewed) == report.placements and report.proposed == 0

    confirmed = _confirm(session, matching_engine, preview)
    assert confirmed.status == RunStatus.SUCCEEDED.value, confirmed.report
    written = list(session.scalars(select(Match).where(Match.run_id == confirmed.id)))
    assert _pairs(written) == _pairs(previewed)
    assert len(written) == len(previewed)
    assert {m.status for m in written} == {MatchStatus.PROPOSED.value}
    by_pair = {(p.need_id, p.talent_id): p for p in previewed}
    assert all(m.score == pytest.approx(by_pair[(m.need_id, m.talent_id)].score) for m in written)
    stored = batch.report_of(confirmed)
    assert isinstance(stored, batch.RunReport)
    assert stored.proposed == len(previewed) and not stored.dry_run
    assert (confirmed.report or {})["confirms"] == preview.id


def test_a_preview_is_confirmed_once(session: Session, matching_engine: MatchingEngine) -> None:
    preview = _preview(session, matching_engine)
    _confirm(session, matching_engine, preview)
    with pytest.raises(AppError) as refused:
        batch.confirm(session=session, actor=_actor(session, "zhou"), preview_id=preview.id)
    assert refused.value.status == 409
    assert refused.value.fields[0].field == "run_id"


def test_a_confirmation_after_the_world_changed_writes_nothing_and_names_what_changed(
    session: Session, matching_engine: MatchingEngine
) -> None:
    preview = _preview(session, matching_engine)
    previewed = batch.proposals_of(session, preview.id)
    assert len({p.need_id for p in previewed}) >= 2
    # Between preview and confirmation, one need is closed and another gets a match.
    closed = session.get_one(Need, previewed[0].need_id)
    closed.status = NeedStatus.CLOSED.value
    other = next(p for p in previewed if p.need_id != closed.id)
    session.add(
        Match(
            need_id=other.need_id,
            talent_id=other.talent_id,
            status="proposed",
            origin="coordinator",
        )
    )
    session.commit()
    before = _count(session, Match)

    run = batch.confirm(session=session, actor=_actor(session, "zhou"), preview_id=preview.id)
    with pytest.raises(batch.WorldChanged):
        batch.run_inline(session=session, engine=matching_engine, run=run)
    session.refresh(run)
    assert run.status == RunStatus.FAILED.value
    report = run.report or {}
    assert report["reason"] == "world_changed"
    assert _count(session, Match) == before, "nothing of the preview was written"
    assert session.scalar(select(func.count(Match.id)).where(Match.run_id == run.id)) == 0
    changed = {(c["need_id"], c["reason"]) for c in report["changes"]}
    assert (closed.id, "need_not_open") in changed
    assert (other.need_id, "need_changed") in changed
    # Said in words: the need's title and why, in both languages.
    first = next(c for c in report["changes"] if c["need_id"] == closed.id)
    assert first["need"] == closed.title and "已关闭" in first["zh"] and "Closed" in first["en"]
    assert "预览" in report["error_zh"] and "changed since the preview" in report["error"]


# ------------------------------------------------------------------ cancel
def test_a_queued_run_is_cancelled_at_once_and_a_finished_one_is_not(
    session: Session, matching_engine: MatchingEngine
) -> None:
    actor = _actor(session, "zhou")
    run = batch.enqueue(session=session, engine=matching_engine, actor=actor, county=None)
    assert run.status == RunStatus.QUEUED.value
    cancelled = batch.cancel(session=session, actor=actor, run_id=run.id)
    assert cancelled.status == RunStatus.CANCELLED.value
    assert (cancelled.report or {})["reason"] == "cancelled"
    # A runner finds nothing to take.
    assert (
        batch.execute(
            sessions=batch.job.one_session(session),
            engine=matching_engine,
            run_id=run.id,
            bind=None,
        )
        is None
    )
    with pytest.raises(AppError) as refused:
        batch.cancel(session=session, actor=actor, run_id=run.id)
    assert refused.value.status == 409


def test_a_county_coordinator_cancels_only_runs_of_their_county(
    session: Session, matching_engine: MatchingEngine
) -> None:
    run = batch.enqueue(
        session=session, engine=matching_engine, actor=_actor(session, "zhou"), county=None
    )
    with pytest.raises(AppError) as refused:
        batch.cancel(session=session, actor=_actor(session, "county"), run_id=run.id)
    assert refused.value.status in (403, 404)
    assert session.get_one(MatchRun, run.id).status == RunStatus.QUEUED.value


# ------------------------------------------------------------------ pages and API
def test_a_live_run_page_refreshes_itself_shows_progress_and_offers_cancel(
    client: TestClient, login: Login, session: Session
) -> None:
    run = MatchRun(mode="optimal", status=RunStatus.RUNNING.value, percent=42)
    run.progress_phase = "candidates"
    session.add(run)
    session.commit()
    headers = login("zhou")
    page = client.get(f"/runs/{run.id}", headers=headers)
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="2">' in page.text
    assert re.search(r'<progress[^>]*max="100" value="42"', page.text)
    assert "正在查找候选人才" in page.text and 'data-action="cancel-run"' in page.text
    status = client.get(f"/api/v1/runs/{run.id}", headers=headers).json()
    assert status["progress"]["percent"] == 42 and status["progress"]["phase"] == "candidates"
    stop = client.post(f"/api/v1/runs/{run.id}/cancel", headers=headers)
    assert stop.status_code == 200 and stop.json()["progress"]["cancel_requested"] is True
    done = client.get(f"/runs/{run.id}", headers=headers)
    assert "已请求取消" in done.text


def test_preview_page_lists_the_placements_and_confirms_them(
    client: TestClient, login: Login, session: Session
) -> None:
    headers = login("zhou")
    county = str(session.scalar(select(County.code).where(County.name == COUNTY_NAME)))
    started = client.post("/api/v1/runs", json={"county": county, "dry_run": True}, headers=headers)
    assert started.status_code == 201, started.text
    preview = started.json()
    assert preview["status"] == "succeeded" and preview["progress"]["percent"] == 100
    listed = client.get(f"/api/v1/runs/{preview['id']}/proposals", headers=headers).json()
    assert listed and all(p["county"] == COUNTY_NAME for p in listed)
    page = client.get(f"/runs/{preview['id']}", headers=headers).text
    assert 'data-test="preview"' in page and 'data-action="confirm-run"' in page
    assert page.count("<tr data-need=") == len(listed)
    assert "http-equiv" not in page  # a finished run does not refresh
    confirmed = client.post(f"/api/v1/runs/{preview['id']}/confirm", headers=headers)
    assert confirmed.status_code == 201, confirmed.text
    body = confirmed.json()
    assert body["status"] == "succeeded" and body["preview_of"] == preview["id"]
    assert body["report"]["proposed"] == len(listed)
    again = client.get(f"/runs/{preview['id']}", headers=headers).text
    assert 'data-action="confirm-run"' not in again and f'href="/runs/{body["id"]}"' in again


# ------------------------------------------------------------------ the XLSX report
_SNAKE = re.compile(r"^[a-z]+(_[a-z]+)+$")


def _codes(session: Session) -> set[str]:
    counties = set(session.scalars(select(County.code)))
    statuses = {s.value for s in RunStatus} | {s.value for s in MatchStatus}
    return counties | statuses | set(REASON_TEXT) | set(CONSTRAINT_TEXT) | {"optimal", "stable"}


def _cells(data: bytes) -> list[tuple[str, Any]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [
        (sheet.title, value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_the_xlsx_report_opens_and_holds_words_not_codes(
    session: Session, matching_engine: MatchingEngine, locale: str
) -> None:
    run = batch.run_batch(
        session=session,
        engine=matching_engine,
        actor=_actor(session, "zhou"),
        county=None,
        mode="stable",
    ).run
    cells = _cells(batch.report_xlsx(session, run, locale))
    sheets = {s for s, _ in cells}
    assert len(sheets) == 3
    codes = _codes(session)
    for sheet, value in cells:
        text = str(value)
        assert text not in codes, f"{sheet}: the code {text!r} is shown"
        assert not _SNAKE.match(text), f"{sheet}: {text!r} looks like a code"
        assert not re.search(r"#\d+", text), f"{sheet}: {text!r} shows an id"
    values = {str(v) for _, v in cells}
    written = session.scalar(select(func.count(Match.id)).where(Match.run_id == run.id))
    placements = [v for s, v in cells if s in ("安排", "Placements")]
    assert written and len(placements) == 5 * (written + 1)  # header + one row each
    assert ("稳定匹配" if locale == "zh-CN" else "Stable (deferred acceptance)") in values
    assert ("全州" if locale == "zh-CN" else "Whole prefecture") in values
    county_names = set(
        session.scalars(select(County.name if locale == "zh-CN" else County.name_en))
    )
    assert values & county_names, "counties by name"
    report = batch.report_of(run)
    assert isinstance(report, batch.RunReport)
    if report.unfilled.listed:
        first = report.unfilled.listed[0]
        assert (first.reason_zh if locale == "zh-CN" else first.reason_en) in values


def test_the_xlsx_report_downloads_over_http(
    client: TestClient, login: Login, session: Session
) -> None:
    failed = MatchRun(mode="optimal", status=RunStatus.FAILED.value)
    session.add(failed)
    session.flush()
    failed.report = {
        "error": "The run was cancelled and nothing was saved.",
        "error_zh": "匹配已取消，未保存任何结果。",
        "reason": "cancelled",
        "total_seconds": 1.0,
    }
    session.commit()
    headers = login("zhou")
    response = client.get(f"/api/v1/runs/{failed.id}/report.xlsx", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    values = {str(v) for _, v in _cells(response.content)}
    assert "匹配已取消，未保存任何结果。" in values and "失败" in values
    assert "cancelled" not in values
    assert client.get(
        f"/api/v1/runs/{failed.id}/report.xlsx", headers=login("site1")
    ).status_code in (403, 404)
