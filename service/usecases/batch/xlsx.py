"""A run's report as an XLSX workbook a coordinator reads: words, not codes — county
names, the algorithm and the status in words, each unfilled need's reason and its
commonest failed condition in words. Sheets: summary, placements (a preview's
proposed placements or the run's written proposals), unfilled needs, and, for a
confirmation refused because the world changed, what changed."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import County, Match, MatchRun, Need, RunProposal, Site, Talent
from service.i18n import translate
from service.spreadsheet_safety import xlsx_row
from service.usecases.batch.report import FailedReport, RunReport, read_report


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _when(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M")


class _Words:
    def __init__(self, session: Session, locale: str) -> None:
        self.locale = locale
        self.english = locale == "en"
        self.counties = {
            code: (name_en if self.english and name_en else name)
            for code, name, name_en in session.execute(
                select(County.code, County.name, County.name_en)
            )
        }

    def __call__(self, key: str) -> str:
        return translate(key, self.locale)

    def pick(self, zh: str | None, en: str | None) -> str:
        return (en if self.english else zh) or zh or en or ""

    def county(self, code: str | None) -> str:
        return self.counties.get(code or "", "") if code else self("runs.prefecture")


def _summary(run: MatchRun, words: _Words) -> list[tuple[str, Any]]:
    stored = read_report(run.report)
    kind = "batchjob.xlsx.kind_preview" if run.dry_run else "batchjob.xlsx.kind_run"
    rows: list[tuple[str, Any]] = [
        (words("batchjob.xlsx.scope"), words.county(run.county_code)),
        (words("runs.mode"), words(f"runs.mode.{run.mode}")),
        (words("batchjob.xlsx.kind"), words(kind)),
        (words("batchjob.xlsx.status"), words(f"runs.status.{run.status}")),
        (words("runs.started"), _when(run.started_at)),
        (words("runs.finished"), _when(run.finished_at)),
    ]
    if isinstance(stored, FailedReport):
        rows.append((words("batchjob.xlsx.error"), words.pick(stored.error_zh, stored.error)))
    if isinstance(stored, RunReport):
        rows += [
            (words("runs.needs"), stored.needs_open),
            (words("runs.headcount"), stored.headcount),
            (words("runs.placements"), stored.placements),
            (words("batchjob.xlsx.proposed"), stored.proposed),
            (words("runs.fill_rate"), _pct(stored.fill.overall)),
            (words("batchjob.xlsx.priority"), _pct(stored.priority.of_placements)),
        ]
    return rows


def placement_rows(session: Session, run: MatchRun, locale: str) -> list[dict[str, Any]]:
    """The run's placements as a person reads them: a preview's proposed placements, or
    the proposals a run wrote (need, site, county name, talent, score)."""
    words = _Words(session, locale)
    return [
        {"need_id": r[0], "need": r[1], "site": r[2], "county": r[3], "talent": r[4], "score": r[5]}
        for r in _placements(session, run, words)
    ]


def _placements(session: Session, run: MatchRun, words: _Words) -> list[list[Any]]:
    if run.dry_run:
        pairs = session.execute(
            select(RunProposal.need_id, RunProposal.talent_id, RunProposal.score)
            .where(RunProposal.run_id == run.id)
            .order_by(RunProposal.need_id, RunProposal.score.desc())
        ).all()
    else:
        pairs = session.execute(
            select(Match.need_id, Match.talent_id, Match.score)
            .where(Match.run_id == run.id)
            .order_by(Match.need_id, Match.score.desc())
        ).all()
    need_ids = sorted({p[0] for p in pairs})
    talent_ids = sorted({p[1] for p in pairs})
    needs = {
        nid: (title, site, county)
        for nid, title, site, county in session.execute(
            select(Need.id, Need.title, Site.name, Site.county_code)
            .join(Site, Need.site_id == Site.id)
            .where(Need.id.in_(need_ids))
        )
    }
    talents = {
        k: v
        for k, v in session.execute(select(Talent.id, Talent.name).where(Talent.id.in_(talent_ids)))
    }
    rows = []
    for need_id, talent_id, score in pairs:
        title, site, county = needs.get(need_id, ("", "", None))
        rows.append(
            [
                need_id,
                title,
                site,
                words.county(county),
                talents.get(talent_id, ""),
                round(score, 3),
            ]
        )
    return rows


def _unfilled(session: Session, run: MatchRun, words: _Words) -> list[list[Any]]:
    stored = read_report(run.report)
    if not isinstance(stored, RunReport):
        return []
    titles = {
        k: v
        for k, v in session.execute(
            select(Need.id, Need.title).where(
                Need.id.in_([u.need_id for u in stored.unfilled.listed])
            )
        )
    }
    rows = []
    for u in stored.unfilled.listed:
        constraint = u.constraint
        rows.append(
            [
                u.title or titles.get(u.need_id, ""),
                words.county(u.county),
                u.headcount,
                u.missing,
                words.pick(u.reason_zh, u.reason_en),
                words.pick(constraint.zh, constraint.en) if constraint else "",
            ]
        )
    return rows


def _changes(run: MatchRun, words: _Words) -> list[list[Any]]:
    listed = (run.report or {}).get("changes") or []
    return [
        [c.get("need", ""), c.get("talent", ""), words.pick(c.get("zh"), c.get("en"))]
        for c in listed
    ]


def _sheet(
    workbook: Any, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title)
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(xlsx_row(sheet, list(row)))


def report_xlsx(session: Session, run: MatchRun, locale: str) -> bytes:
    """The run's report as an XLSX workbook in ``locale`` (zh-CN or en)."""
    from openpyxl import Workbook

    words = _Words(session, locale)
    workbook = Workbook(write_only=True)
    _sheet(
        workbook,
        words("batchjob.xlsx.summary"),
        [words("batchjob.xlsx.item"), words("batchjob.xlsx.value")],
        _summary(run, words),
    )
    _sheet(
        workbook,
        words("batchjob.xlsx.placements"),
        [
            words("batchjob.need"),
            words("batchjob.site"),
            words("batchjob.xlsx.county"),
            words("batchjob.talent"),
            words("batchjob.score"),
        ],
        [row[1:] for row in _placements(session, run, words)],
    )
    _sheet(
        workbook,
        words("batchjob.xlsx.unfilled"),
        [
            words("batchjob.need"),
            words("batchjob.xlsx.county"),
            words("batchjob.xlsx.headcount"),
            words("batchjob.xlsx.missing"),
            words("runs.reason"),
            words("batchjob.xlsx.commonest"),
        ],
        _unfilled(session, run, words),
    )
    changes = _changes(run, words)
    if changes:
        _sheet(
            workbook,
            words("batchjob.xlsx.changes"),
            [words("batchjob.need"), words("batchjob.talent"), words("runs.reason")],
            changes,
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
