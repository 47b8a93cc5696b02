"""The ledger of targets not counted from matches (人工统计: 新型职业农民, 工作站, 三区,
星创天地, 急需人才, 研修班, 编制 …): a coordinator enters a county's figure for a target
and year, the prefecture approves it or returns it with a reason, and only approved
entries count.

An approved entry is never edited. A correction is a reversing entry (``reverses`` set)
that carries the corrected figure; once approved it counts as its value minus the
reversed entry's value, so the total becomes the corrected figure. Every step is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from models import AuditEvent, County, ProgrammeEntry
from models.programme_entry import EntryStatus
from reference import load_programmes
from service import audit, notify, policy
from service.actor import Actor
from service.errors import AppError, FieldError, not_found
from service.usecases import evidence

ENTITY = "programme_entry"
MAX_VALUE = 1_000_000
MAX_NOTE = 2000
_FIELDS = (
    "target_key",
    "programme_code",
    "county_code",
    "year",
    "value",
    "note",
    "status",
    "reverses",
)


@dataclass(frozen=True)
class HandTarget:
    """A target of the plan counted by entries, not from matches."""

    key: str
    programme_code: str
    text: str
    value: int | None
    unit: str | None


@dataclass
class EntryTotal:
    """The approved entries' sum for one target key, and the entries behind it."""

    value: int = 0
    entry_ids: list[int] = field(default_factory=list)


@cache
def hand_counted_targets() -> dict[str, HandTarget]:
    """Every target whose ``counting`` is null in programmes.json, by key, in plan order."""
    return {
        t.code: HandTarget(t.code, owner.code, t.text, t.value, t.unit)
        for owner, t in load_programmes().targets()
        if t.counting is None
    }


def target_text(key: str) -> str:
    """The plan's own words for a target, for a person to read."""
    target = hand_counted_targets().get(key)
    return target.text if target else key


_target_text = target_text


def _all_target_owners() -> dict[str, str]:
    return {t.code: owner.code for owner, t in load_programmes().targets()}


# -- checks -----------------------------------------------------------------------------


def _invalid(message: str, message_zh: str, name: str, why: str, value: object) -> AppError:
    return AppError(422, "validation_error", message, message_zh, [FieldError(name, why, value)])


def _check_target(programme_code: str, key: str) -> HandTarget:
    owners = _all_target_owners()
    if programme_code not in set(owners.values()):
        raise not_found("programme")
    if key not in owners:
        raise _invalid(
            f"unknown target {key!r}; expected a target key of programmes.json",
            f"未知的目标：{key}",
            "target",
            "unknown target key",
            key,
        )
    if owners[key] != programme_code:
        raise _invalid(
            f"target {key!r} belongs to programme {owners[key]!r}, not {programme_code!r}",
            f"目标 {key} 不属于该项目",
            "target",
            f"a target of programme {programme_code}",
            key,
        )
    hand = hand_counted_targets().get(key)
    if hand is None:
        raise _invalid(
            f"target {key!r} is counted from matches, not from entries; post a need under "
            "its line and approve the match instead",
            f"目标 {key} 按对接自动统计，不能手工填报",
            "target",
            "a target counted by hand (人工统计)",
            key,
        )
    return hand


def _check_figures(year: int, value: int, note: str, plan_years: Iterable[int]) -> None:
    years = tuple(plan_years)
    if year not in years:
        raise _invalid(
            f"year {year} is outside the plan; expected one of {list(years)}",
            f"年度 {year} 不在行动方案的年度范围内",
            "year",
            f"one of {list(years)}",
            year,
        )
    if value < 0 or value > MAX_VALUE:
        raise _invalid(
            f"value {value} is out of range; expected a whole number from 0 to {MAX_VALUE}",
            f"数值 {value} 无效，应为 0 到 {MAX_VALUE} 之间的整数",
            "value",
            f"0 to {MAX_VALUE}",
            value,
        )
    if len(note) > MAX_NOTE:
        raise _invalid(
            f"the note has {len(note)} characters; at most {MAX_NOTE}",
            f"说明最多 {MAX_NOTE} 个字",
            "note",
            f"at most {MAX_NOTE} characters",
            len(note),
        )


def _check_county(session: Session, actor: Actor, county_code: str) -> None:
    policy.require_coordinator(actor)
    if session.get(County, county_code) is None:
        raise _invalid(
            f"unknown county {county_code!r}",
            f"未知的县市：{county_code}",
            "county_code",
            "a county code of the prefecture",
            county_code,
        )
    if not policy.may_enter_for_county(actor, county_code):
        raise AppError(
            404,
            "not_found",
            f"county {county_code!r} is outside your jurisdiction {actor.jurisdiction!r}",
            f"县市 {county_code} 不在您的管辖范围内",
            [FieldError("county_code", "outside your jurisdiction", county_code)],
        )


def _audit(
    session: Session, actor: Actor, action: str, entry: ProgrammeEntry, **extra: object
) -> None:
    audit.record(
        session=session,
        actor=actor,
        action=action,
        entity=ENTITY,
        entity_id=entry.id,
        after={**audit.snapshot(entry, _FIELDS), **extra},
    )


# -- reading ----------------------------------------------------------------------------


def get(*, session: Session, actor: Actor, entry_id: int) -> ProgrammeEntry:
    entry = session.get(ProgrammeEntry, entry_id)
    if entry is None or not policy.can_see_entry(actor, entry.county_code):
        raise not_found("entry")
    return entry


def list_(
    *,
    session: Session,
    actor: Actor,
    status: str | None = None,
    county: str | None = None,
    year: int | None = None,
    oldest_first: bool = False,
    limit: int = 200,
    offset: int = 0,
) -> tuple[list[ProgrammeEntry], int]:
    policy.require_coordinator(actor)
    stmt = policy.visible_entries(actor, select(ProgrammeEntry), ProgrammeEntry.county_code)
    if status:
        stmt = stmt.where(ProgrammeEntry.status == status)
    if county:
        stmt = stmt.where(ProgrammeEntry.county_code == county)
    if year is not None:
        stmt = stmt.where(ProgrammeEntry.year == year)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    order = ProgrammeEntry.id.asc() if oldest_first else ProgrammeEntry.id.desc()
    rows = session.scalars(stmt.order_by(order).offset(offset).limit(limit)).all()
    return list(rows), total


def trail(*, session: Session, actor: Actor, entry_id: int) -> list[AuditEvent]:
    """The entry's audit events, oldest first."""
    get(session=session, actor=actor, entry_id=entry_id)
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == ENTITY, AuditEvent.entity_id == entry_id)
            .order_by(AuditEvent.id)
        )
    )


# Built once: SQLAlchemy adapts every column of a fresh alias anew, which cost the
# progress page more than its queries.
_REVERSED_ENTRY = aliased(ProgrammeEntry, name="reversed_entry")


def approved_entry_totals(
    session: Session, *, year: int | None, county: str | None
) -> dict[str, EntryTotal]:
    """Approved entries summed per target key, for one year and county (``None``: all).
    A reversing entry counts as its value minus the value of the entry it reverses."""
    reversed_entry = _REVERSED_ENTRY
    stmt = (
        select(
            ProgrammeEntry.id,
            ProgrammeEntry.target_key,
            ProgrammeEntry.value,
            reversed_entry.value,
        )
        .outerjoin(reversed_entry, reversed_entry.id == ProgrammeEntry.reverses)
        .where(ProgrammeEntry.status == EntryStatus.APPROVED.value)
        .order_by(ProgrammeEntry.id)
    )
    if year is not None:
        stmt = stmt.where(ProgrammeEntry.year == year)
    if county:
        stmt = stmt.where(ProgrammeEntry.county_code == county)
    totals: dict[str, EntryTotal] = {}
    for entry_id, key, value, reversed_value in session.execute(stmt):
        total = totals.setdefault(key, EntryTotal())
        total.value += value - (reversed_value or 0)
        total.entry_ids.append(entry_id)
    return totals


# -- writing ----------------------------------------------------------------------------


def submit(
    *,
    session: Session,
    actor: Actor,
    programme_code: str,
    target: str,
    county_code: str,
    year: int,
    value: int,
    note: str,
    plan_years: Iterable[int],
) -> ProgrammeEntry:
    """A coordinator enters a county's figure for a hand-counted target."""
    policy.require_coordinator(actor)
    hand = _check_target(programme_code, target)
    _check_figures(year, value, note, plan_years)
    _check_county(session, actor, county_code)
    entry = ProgrammeEntry(
        target_key=hand.key,
        programme_code=hand.programme_code,
        county_code=county_code,
        year=year,
        value=value,
        note=note.strip(),
        status=EntryStatus.SUBMITTED.value,
        entered_by=actor.id,
    )
    session.add(entry)
    session.flush()
    _audit(session, actor, "entry.submitted", entry)
    session.commit()
    return entry


def reverse(
    *, session: Session, actor: Actor, entry_id: int, value: int, note: str
) -> ProgrammeEntry:
    """A correction of an approved entry: a new entry that replaces its figure with
    ``value`` once approved."""
    original = get(session=session, actor=actor, entry_id=entry_id)
    if original.status != EntryStatus.APPROVED.value:
        raise AppError(
            409,
            "conflict",
            f"entry {entry_id} is {original.status}; only an approved entry is corrected "
            "by a reversing entry (a returned one is edited and resubmitted)",
            "只有已批准的填报才需以冲正方式更正；被退回的填报可直接修改后重新提交",
        )
    _check_figures(original.year, value, note, [original.year])
    _check_county(session, actor, original.county_code)
    entry = ProgrammeEntry(
        target_key=original.target_key,
        programme_code=original.programme_code,
        county_code=original.county_code,
        year=original.year,
        value=value,
        note=note.strip(),
        status=EntryStatus.SUBMITTED.value,
        entered_by=actor.id,
        reverses=original.id,
    )
    session.add(entry)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise _already_reversed(entry_id) from None
    _audit(session, actor, "entry.reversal_submitted", entry, reversed_value=original.value)
    session.commit()
    return entry


def _already_reversed(entry_id: int) -> AppError:
    return AppError(
        409,
        "conflict",
        f"entry {entry_id} already has a correction waiting or approved; correct that one",
        "该填报已有待审或已批准的更正，请在那条更正上继续更正",
    )


def resubmit(
    *,
    session: Session,
    actor: Actor,
    entry_id: int,
    value: int,
    note: str,
    year: int | None = None,
    plan_years: Iterable[int] = (),
) -> ProgrammeEntry:
    """The person who entered a returned entry corrects it and sends it again."""
    entry = get(session=session, actor=actor, entry_id=entry_id)
    _require_own_returned(actor, entry)
    new_year = entry.year if year is None or entry.reverses else year
    _check_figures(new_year, value, note, (*plan_years, entry.year))
    before = audit.snapshot(entry, _FIELDS)
    try:
        done = session.execute(
            update(ProgrammeEntry)
            .where(
                ProgrammeEntry.id == entry.id,
                ProgrammeEntry.status == EntryStatus.RETURNED.value,
            )
            .values(
                status=EntryStatus.SUBMITTED.value,
                value=value,
                note=note.strip(),
                year=new_year,
                decided_by=None,
                decided_at=None,
                return_reason=None,
            )
            .execution_options(synchronize_session=False)
        )
    except IntegrityError:  # a returned correction, while another is now live
        session.rollback()
        raise _already_reversed(entry.reverses or entry_id) from None
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise _not_returned(entry_id)
    session.refresh(entry)
    audit.record(
        session=session,
        actor=actor,
        action="entry.resubmitted",
        entity=ENTITY,
        entity_id=entry.id,
        before=before,
        after=audit.snapshot(entry, _FIELDS),
    )
    session.commit()
    return entry


def _not_returned(entry_id: int) -> AppError:
    return AppError(
        409,
        "conflict",
        f"entry {entry_id} is not returned; only a returned entry is corrected and resubmitted",
        "只有被退回的填报可以修改后重新提交",
    )


def _require_own_returned(actor: Actor, entry: ProgrammeEntry) -> None:
    if entry.entered_by != actor.id:
        raise AppError(
            403,
            "forbidden",
            "only the person who entered this entry may correct it",
            "只有填报人可以修改该填报",
        )
    if entry.status != EntryStatus.RETURNED.value:
        raise _not_returned(entry.id)


def _decide(
    session: Session, actor: Actor, entry_id: int, status: EntryStatus, reason: str | None
) -> ProgrammeEntry:
    entry = get(session=session, actor=actor, entry_id=entry_id)
    if not policy.may_decide_entries(actor):
        raise AppError(
            403,
            "forbidden",
            "only the prefecture coordinator or an admin approves or returns entries",
            "只有州级协调员或管理员可以审核填报",
        )
    if not policy.may_decide_entry(actor, entry.entered_by):
        raise AppError(
            403,
            "forbidden",
            "you entered this entry; another prefecture coordinator or an admin decides it",
            "不能审核本人填报的数据，请由其他州级协调员或管理员审核",
        )
    # A conditional update: of two approvals at once, exactly one changes the row.
    done = session.execute(
        update(ProgrammeEntry)
        .where(ProgrammeEntry.id == entry.id, ProgrammeEntry.status == EntryStatus.SUBMITTED.value)
        .values(
            status=status.value,
            decided_by=actor.id,
            decided_at=datetime.now().astimezone(),
            return_reason=reason,
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        current = session.get(ProgrammeEntry, entry_id)
        state = current.status if current else "gone"
        raise AppError(
            409,
            "conflict",
            f"entry {entry_id} is already {state}; only a submitted entry is decided",
            "该填报已审核过，不能重复审核",
        )
    session.refresh(entry)
    action = "entry.approved" if status is EntryStatus.APPROVED else "entry.returned"
    _audit(session, actor, action, entry, return_reason=reason)
    if status is EntryStatus.RETURNED and entry.entered_by is not None:
        # In the same transaction (the outbox): the person who filed it is told why.
        notify.entry_returned(
            session,
            user_ids=[entry.entered_by],
            entry_id=entry.id,
            title=_target_text(entry.target_key),
            reason=reason,
            link=f"/entries/{entry.id}",
            county_code=entry.county_code,
        )
    session.commit()
    return entry


def approve(*, session: Session, actor: Actor, entry_id: int) -> ProgrammeEntry:
    return _decide(session, actor, entry_id, EntryStatus.APPROVED, None)


def return_(*, session: Session, actor: Actor, entry_id: int, reason: str) -> ProgrammeEntry:
    reason = (reason or "").strip()
    if not reason:
        raise _invalid(
            "a returned entry needs a reason the coordinator can act on",
            "退回时请写明原因",
            "reason",
            "a non-empty reason",
            reason,
        )
    if len(reason) > MAX_NOTE:
        raise _invalid(
            f"the reason has {len(reason)} characters; at most {MAX_NOTE}",
            f"退回原因最多 {MAX_NOTE} 个字",
            "reason",
            f"at most {MAX_NOTE} characters",
            len(reason),
        )
    return _decide(session, actor, entry_id, EntryStatus.RETURNED, reason)


def attach_evidence(
    *,
    session: Session,
    actor: Actor,
    entry_id: int,
    content: bytes,
    filename: str,
    max_bytes: int,
) -> ProgrammeEntry:
    """Attach (or replace) the evidence of an entry not yet approved; only its enterer."""
    entry = get(session=session, actor=actor, entry_id=entry_id)
    if entry.entered_by != actor.id:
        raise AppError(
            403,
            "forbidden",
            "only the person who entered this entry may attach its evidence",
            "只有填报人可以上传证明材料",
        )
    if entry.status == EntryStatus.APPROVED.value:
        raise AppError(
            409,
            "conflict",
            f"entry {entry_id} is approved and cannot change; correct it with a reversing entry",
            "已批准的填报不能修改，请以冲正方式更正",
        )
    stored = evidence.store(session, content, filename, max_bytes)
    before = {"evidence_sha256": entry.evidence_sha256}
    entry.evidence_sha256 = stored.sha256
    entry.evidence_filename = stored.filename
    entry.evidence_media_type = stored.media_type
    entry.evidence_bytes = stored.size
    audit.record(
        session=session,
        actor=actor,
        action="entry.evidence_attached",
        entity=ENTITY,
        entity_id=entry.id,
        before=before,
        after={
            "evidence_sha256": stored.sha256,
            "filename": stored.filename,
            "media_type": stored.media_type,
            "bytes": stored.size,
        },
    )
    session.commit()
    return entry


def evidence_of(
    *, session: Session, actor: Actor, entry_id: int, evidence_dir: Path
) -> tuple[ProgrammeEntry, bytes]:
    entry = get(session=session, actor=actor, entry_id=entry_id)
    if entry.evidence_sha256 is None:
        raise AppError(404, "not_found", "this entry has no evidence file", "该填报没有证明材料")
    return entry, evidence.read(session, entry.evidence_sha256, legacy_dir=evidence_dir)


__all__ = [
    "EntryTotal",
    "HandTarget",
    "approve",
    "approved_entry_totals",
    "attach_evidence",
    "evidence_of",
    "get",
    "hand_counted_targets",
    "list_",
    "resubmit",
    "return_",
    "reverse",
    "submit",
    "trail",
]
