"""Progress of the plan's targets, counted once, by the line a need was posted under.

How the ledger counts (README "How the ledger counts"):

- A match (approved, active or completed) counts under one target only: the target of
  its need's line (``Need.programme_code``) whose rule need and talent keep, in the year
  of its approval and the county of its site. A match never counts under a line it
  merely resembles; the line's rule is checked when the need is posted and when the
  match is approved (``line_rules``).
- A figure the plan states twice (a goal and the measure detailing it) is one target:
  the measure's row says ``same_as`` the goal's key; matches of either line count under
  that key, and the target appears once.
- An umbrella target (万名专家服务基层) counts its own matches and those of the keys it
  ``rolls_up``, each unit once.
- Figures that are not matches (entries, registers, trainings) come from
  :func:`other_totals`, one hook that sums them per target key.
- With a county chosen, the share is measured against the county's own target for the
  year (任务分解, ``county_target``); for the prefecture, against the plan's figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

import reference
from models import (
    County,
    CountyTarget,
    Institution,
    Match,
    MatchEvent,
    Need,
    Programme,
    ProgrammeEntry,
    Recruitment,
    RegisterEntry,
    Site,
    Talent,
    Training,
)
from models import Target as TargetRow
from models.enums import MatchStatus
from service.errors import AppError, FieldError
from service.usecases import line_rules
from service.usecases.ledger_totals import register_totals
from service.usecases.programme_entries import approved_entry_totals
from service.usecases.recruitments import recruitment_totals

COUNTED_STATUSES = (
    MatchStatus.APPROVED.value,
    MatchStatus.ACTIVE.value,
    MatchStatus.COMPLETED.value,
)


@dataclass
class OtherTotal:
    """What counts toward a target besides matches (approved entries, registers,
    trainings): the value, per county, and the ids behind it (``"entry:12"``...)."""

    value: float = 0
    by_county: dict[str, float] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)


def other_totals(*, session: Session, year: int, county: str | None) -> dict[str, OtherTotal]:
    """Totals per target key from records that are not matches: approved entries
    (service/usecases/programme_entries.py), approved registers and trainings
    (service/usecases/ledger_totals.py) and approved recruitments toward 措施7
    (service/usecases/recruitments.py), each by county so a prefecture view can show its
    counties."""
    codes = [county] if county else _counties_with_records(session)
    out: dict[str, OtherTotal] = {}
    for code in codes:
        for key, entry in approved_entry_totals(session, year=year, county=code).items():
            _add_other(out, key, code, entry.value, [f"entry:{i}" for i in entry.entry_ids])
        for key, found in register_totals(session, year=year, county=code).items():
            ids = [f"register:{i}" for i in found.register_ids]
            ids += [f"training:{i}" for i in found.training_ids]
            _add_other(out, key, code, found.value, ids)
        for key, hired in recruitment_totals(session, year=year, county=code).items():
            _add_other(out, key, code, hired.value, [f"recruitment:{i}" for i in hired.ids])
    return out


def _counties_with_records(session: Session) -> list[str]:
    """The counties that have any entry, register, training or recruitment at all: the
    others add nothing, and asking four questions per county made the prefecture's page
    slow. A superset (any status, any year) so no county that counts is left out."""
    tables = (ProgrammeEntry, RegisterEntry, Training, Recruitment)
    found: set[str] = set()
    for table in tables:
        found.update(session.scalars(select(table.county_code).distinct()))
    return sorted(code for code in found if code)


def _add_other(
    out: dict[str, OtherTotal], key: str, county: str, value: float, ids: list[str]
) -> None:
    if not value and not ids:
        return
    total = out.setdefault(key, OtherTotal())
    total.value += value
    total.by_county[county] = total.by_county.get(county, 0) + value
    total.ids.extend(ids)


@dataclass
class TargetProgress:
    key: str
    programme_code: str
    programme_title: str
    programme_kind: str
    text: str
    value: float | None
    unit: str | None
    approx: bool
    at_least: bool
    year: int | None
    counted_by_hand: bool
    lines: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    rolls_up: list[str] = field(default_factory=list)
    county: str | None = None
    county_value: int | None = None
    achieved_matches: int = 0
    achieved_entries: float = 0
    achieved: float = 0
    share: float | None = None
    match_ids: list[int] = field(default_factory=list)
    entry_ids: list[str] = field(default_factory=list)
    by_county: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Counted:
    match_id: int
    talent_id: int
    site_id: int
    county: str
    year: int
    key: str


def _unit(kind: str, row: _Counted) -> int:
    return {"distinct_talents": row.talent_id, "coverage_sites": row.site_id}.get(
        kind, row.match_id
    )


def counted_matches(session: Session, county: str | None = None) -> list[_Counted]:
    """Every counted match with the one target key it counts under (duplicates resolved
    to the key they state again)."""
    approved_at = (
        select(MatchEvent.match_id, MatchEvent.at)
        .where(MatchEvent.to_status == MatchStatus.APPROVED.value)
        .subquery()
    )
    stmt = (
        select(
            Match.id,
            Match.talent_id,
            Match.created_at,
            approved_at.c.at,
            Need.programme_code,
            Need.site_id,
            Need.mode,
            Need.skills,
            Need.days_needed,
            Site.county_code,
            Site.site_type,
            Site.poverty_township,
            Talent.category,
            Talent.home_county_code,
            Institution.institution_type,
        )
        .join(Need, Match.need_id == Need.id)
        .join(Site, Need.site_id == Site.id)
        .join(Talent, Match.talent_id == Talent.id)
        .outerjoin(Institution, Talent.institution_id == Institution.id)
        .outerjoin(approved_at, approved_at.c.match_id == Match.id)
        .where(Match.status.in_(COUNTED_STATUSES), Need.programme_code.is_not(None))
    )
    if county:
        stmt = stmt.where(Site.county_code == county)
    out = []
    for r in session.execute(stmt):
        need = line_rules.NeedFacts(
            r.county_code,
            str(r.mode),
            r.site_type,
            r.days_needed,
            tuple(r.skills or ()),
            bool(r.poverty_township),
        )
        talent = line_rules.TalentFacts(r.category, r.institution_type, r.home_county_code)
        target = line_rules.counted_target(r.programme_code, need, talent)
        if target is None:
            continue
        when = r.at or r.created_at
        out.append(
            _Counted(r.id, r.talent_id, r.site_id, r.county_code, when.year, target.counted_key)
        )
    return out


def _county_values(session: Session, year: int, county: str | None) -> dict[str, int]:
    if county is None:
        return {}
    rows = session.execute(
        select(CountyTarget.target_key, CountyTarget.value).where(
            CountyTarget.year == year, CountyTarget.county_code == county
        )
    )
    return {key: value for key, value in rows}


def _tally(
    item: TargetProgress, kind: str, rows: Iterable[_Counted], others: list[OtherTotal]
) -> None:
    by_county: dict[str, set[int]] = defaultdict(set)
    ids: set[int] = set()
    for r in rows:
        by_county[r.county].add(_unit(kind, r))
        ids.add(r.match_id)
    units = set().union(*by_county.values()) if by_county else set()
    item.achieved_matches = len(units)
    item.match_ids = sorted(ids)
    totals: dict[str, float] = {c: len(v) for c, v in by_county.items()}
    for other in others:
        item.achieved_entries += other.value
        item.entry_ids.extend(other.ids)
        for c, v in other.by_county.items():
            totals[c] = totals.get(c, 0) + v
    item.achieved = item.achieved_matches + item.achieved_entries
    item.by_county = dict(sorted(totals.items()))


def check_county(session: Session, county: str | None) -> None:
    """422 naming the field, the value and the counties expected, for a county code that
    is not one of the prefecture's (an empty table would read as "nothing achieved")."""
    if not county or session.get(County, county) is not None:
        return
    codes = list(session.scalars(select(County.code).order_by(County.code)))
    expected = f"a county code of the prefecture, one of {', '.join(codes)}"
    raise AppError(
        422,
        "validation_error",
        f"unknown county {county!r}; expected {expected}",
        "没有这个县市，请从县市列表中选择",
        [FieldError("county", f"expected {expected}", county)],
    )


def progress(
    *,
    session: Session,
    year: int | None = None,
    county: str | None = None,
    programme: str | None = None,
) -> list[TargetProgress]:
    """One row per target (duplicates folded into the row they state again) for
    ``year``; ``county`` restricts every figure to that county and brings its target."""
    year = year or date.today().year
    check_county(session, county)
    counted = counted_matches(session, county)
    others = other_totals(session=session, year=year, county=county)
    county_values = _county_values(session, year, county)
    stmt = (
        select(TargetRow, Programme)
        .join(Programme, TargetRow.programme_id == Programme.id)
        .where((TargetRow.year == year) | TargetRow.year.is_(None))
        .order_by(Programme.sort_order, TargetRow.seq)
    )
    found = list(session.execute(stmt))
    duplicates: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for target, prog in found:
        if target.same_as:
            duplicates[target.same_as].append((target.key, prog.code))
    out = []
    for target, prog in found:
        if target.same_as:
            continue
        dup = duplicates.get(target.key, [])
        lines = [prog.code, *(code for _, code in dup)]
        if programme and programme not in lines:
            continue
        item = TargetProgress(
            key=target.key,
            programme_code=prog.code,
            programme_title=prog.title,
            programme_kind=prog.kind,
            text=target.text,
            value=target.value,
            unit=target.unit,
            approx=target.approx,
            at_least=target.at_least,
            year=target.year,
            counted_by_hand=target.counting is None,
            lines=lines,
            same_as=[key for key, _ in dup],
            rolls_up=list(target.rolls_up or ()),
            county=county,
            county_value=county_values.get(target.key),
        )
        keys = {target.key, *item.rolls_up}
        rows = [
            r for r in counted if r.key in keys and (target.year is None or r.year == target.year)
        ]
        kind = (target.counting or {}).get("count", "matches")
        # Entries and registers may be filed under either row of a figure stated twice.
        other_keys = keys | set(item.same_as)
        _tally(item, kind, rows, [others[k] for k in sorted(other_keys) if k in others])
        base = item.county_value if county else target.value
        if base:
            item.share = round(item.achieved / base, 4)
        out.append(item)
    return out


def plan_keys() -> dict[str, reference.Target]:
    """The targets a county may be given a share of: every key that is no duplicate."""
    return {t.key: t for _, t in reference.load_programmes().targets() if t.same_as is None}


PROGRESS_COLUMNS = (
    "key",
    "programme",
    "lines",
    "same_as",
    "rolls_up",
    "target",
    "year",
    "value",
    "unit",
    "county",
    "county_value",
    "achieved_matches",
    "achieved_entries",
    "achieved",
    "share",
    "counted_by_hand",
    "match_ids",
    "entry_ids",
)


def progress_headers(locale: str) -> list[str]:
    """The columns of :data:`PROGRESS_COLUMNS` in the reader's language; a column holding
    codes (for API consumers) says so (目标代码 / "Target code")."""
    from service.i18n import translate

    return [translate(f"progress.col.{c}", locale) for c in PROGRESS_COLUMNS]


def _plan_word(kind: str, code: object, fallback: str, locale: str) -> str:
    from service.i18n import has_message, translate

    key = f"{kind}.{code}"
    return translate(key, "en") if locale == "en" and has_message(key, "en") else fallback


def progress_row_words(
    p: TargetProgress, locale: str, county_names: dict[str, tuple[str, str]]
) -> list[object]:
    """One row for people: programme, target, unit and county in words, yes/no spelled
    out; the code columns stay codes (their headers say so)."""
    from service.i18n import translate

    row = progress_row(p)
    at = {c: i for i, c in enumerate(PROGRESS_COLUMNS)}
    row[at["programme"]] = _plan_word("programme", p.programme_code, p.programme_title, locale)
    row[at["target"]] = _plan_word("target", p.key, p.text, locale)
    row[at["unit"]] = _plan_word("unit", p.unit, p.unit or "", locale)
    if p.county:
        pair = county_names.get(p.county, (p.county, p.county))
        row[at["county"]] = pair[1] if locale == "en" else pair[0]
    yes_no = "common.yes" if p.counted_by_hand else "common.no"
    row[at["counted_by_hand"]] = translate(yes_no, locale)
    return row


def progress_row(p: TargetProgress) -> list[object]:
    """One spreadsheet row of :data:`PROGRESS_COLUMNS`."""

    def joined(values: Iterable[object]) -> str:
        return " ".join(str(v) for v in values)

    return [
        p.key,
        p.programme_code,
        joined(p.lines),
        joined(p.same_as),
        joined(p.rolls_up),
        p.text,
        p.year or "",
        p.value if p.value is not None else "",
        p.unit or "",
        p.county or "",
        "" if p.county_value is None else p.county_value,
        p.achieved_matches,
        p.achieved_entries,
        p.achieved,
        "" if p.share is None else p.share,
        p.counted_by_hand,
        joined(p.match_ids),
        joined(p.entry_ids),
    ]
