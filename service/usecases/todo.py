"""Everyone's next step: the to-do list of one actor, by role (issue 12, item 1).

* site staff — proposals to answer (proposed and interested matches of their needs),
  matches to start (approved), service records due (active matches without a record in
  the last ``RECORD_DUE_DAYS`` days), open needs ending within ``NEED_ENDING_DAYS`` days;
* talents — invitations to answer (proposed matches), placements starting (approved,
  the need starting within ``STARTING_DAYS`` days);
* coordinators — approvals waiting (accepted matches in the jurisdiction, oldest
  first, with their age), programme entries waiting for the prefecture's approval
  (for those who decide them, never one's own), batch runs whose proposals still wait
  for answers or whose preview waits for confirmation;
* admins — all of a coordinator's items, failed batch runs (background jobs included),
  imports that failed (until an import of the same kind succeeds) and notification
  deliveries that failed after their last retry.

Each item names the page where the step is done. Read-only: nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from models import (
    AuditEvent,
    Match,
    MatchRun,
    Need,
    ProgrammeEntry,
    RunProposal,
    ServiceRecord,
    Site,
)
from models.enums import MatchStatus, NeedStatus, Role, RunStatus
from models.notification import Delivery, DeliveryStatus
from models.programme_entry import EntryStatus
from service import policy
from service.actor import Actor
from service.i18n import translate

RECORD_DUE_DAYS = 30
NEED_ENDING_DAYS = 14
STARTING_DAYS = 30
RUN_REVIEW_DAYS = 14
# Items listed per section; the count covers them all.
SECTION_LIMIT = 20
# Previews waiting for confirmation listed (and counted) at most.
CONFIRM_LIMIT = 5

# Section kinds, in the order a role's list shows them.
SITE_KINDS = ("site.answer", "site.start", "site.record_due", "site.need_ending")
TALENT_KINDS = ("talent.invitation", "talent.starting")
COORDINATOR_KINDS = ("coordinator.approve", "coordinator.entries", "coordinator.run_review")
ADMIN_KINDS = (
    *COORDINATOR_KINDS,
    "admin.failed_run",
    "admin.failed_import",
    "admin.failed_delivery",
)
# Failed imports older than this leave the list (the audit keeps them).
FAILED_IMPORT_DAYS = 14
# Built once: SQLAlchemy adapts every column of a fresh alias anew, which cost every page
# (the navigation counts this list) more than the query itself.
_FAILED_IMPORT = aliased(AuditEvent, name="failed_import")


@dataclass(frozen=True)
class TodoItem:
    """One step waiting for the actor: what, where it is done, and since when."""

    kind: str
    entity: str  # "match", "need", "run", "entry" or "delivery"
    entity_id: int
    title: str
    detail: str
    url: str
    status: str | None
    since: datetime | None
    due: date | None = None
    # The English words of ``title``/``detail`` when the service wrote them (a county, a
    # target of the plan, a notification); None where they are a person's own words.
    title_en: str | None = None
    detail_en: str | None = None

    def title_in(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en is not None else self.title

    def detail_in(self, locale: str) -> str:
        return self.detail_en if locale == "en" and self.detail_en is not None else self.detail

    def age_seconds(self, now: datetime) -> int | None:
        return None if self.since is None else max(0, int((now - self.since).total_seconds()))


@dataclass(frozen=True)
class TodoSection:
    kind: str
    total: int
    items: list[TodoItem]


@dataclass(frozen=True)
class TodoList:
    role: str
    generated_at: datetime
    sections: list[TodoSection] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(s.total for s in self.sections)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _matches(actor: Actor) -> Select[Any]:
    stmt = (
        select(Match)
        .join(Need, Match.need_id == Need.id)
        .join(Site, Need.site_id == Site.id)
        .options(joinedload(Match.need).joinedload(Need.site), joinedload(Match.talent))
    )
    return policy.visible_matches(actor, stmt)


def _total(session: Session, stmt: Select[Any] | Select[Any, Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def _section(
    session: Session,
    kind: str,
    stmt: Select[Any],
    item: Callable[[Match], TodoItem],
    items: bool = True,
) -> TodoSection:
    rows = session.scalars(stmt.limit(SECTION_LIMIT)).unique() if items else ()
    return TodoSection(kind, _total(session, stmt), [item(m) for m in rows])


def _match_item(kind: str, *, anchor: str = "") -> Callable[[Match], TodoItem]:
    def build(m: Match) -> TodoItem:
        return TodoItem(
            kind=kind,
            entity="match",
            entity_id=m.id,
            title=m.need.title,
            detail=f"{m.need.site.name} · {m.talent.name}",
            url=f"/matches/{m.id}{anchor}",
            status=m.status,
            since=_aware(m.updated_at),
            due=m.need.start_date,
        )

    return build


def _site_sections(
    session: Session, actor: Actor, today: date, items: bool = True
) -> list[TodoSection]:
    base = _matches(actor)
    answer = base.where(
        Match.status.in_([MatchStatus.PROPOSED.value, MatchStatus.INTERESTED.value])
    ).order_by(Match.updated_at, Match.id)
    start = base.where(Match.status == MatchStatus.APPROVED.value).order_by(
        Need.start_date, Match.id
    )
    recent = today - timedelta(days=RECORD_DUE_DAYS)
    record_due = base.where(
        Match.status == MatchStatus.ACTIVE.value,
        ~exists().where(ServiceRecord.match_id == Match.id, ServiceRecord.date >= recent),
    ).order_by(Match.updated_at, Match.id)
    return [
        _section(session, "site.answer", answer, _match_item("site.answer"), items),
        _section(session, "site.start", start, _match_item("site.start"), items),
        _section(
            session,
            "site.record_due",
            record_due,
            _match_item("site.record_due", anchor="#records"),
            items,
        ),
        _needs_ending(session, actor, today, items),
    ]


def _needs_ending(session: Session, actor: Actor, today: date, items: bool) -> TodoSection:
    stmt = policy.visible_needs(
        actor,
        select(Need)
        .join(Site, Need.site_id == Site.id)
        .options(joinedload(Need.site))
        .where(
            Need.status == NeedStatus.OPEN.value,
            Need.end_date >= today,
            Need.end_date <= today + timedelta(days=NEED_ENDING_DAYS),
        ),
    ).order_by(Need.end_date, Need.id)
    rows = session.scalars(stmt.limit(SECTION_LIMIT)).unique() if items else ()
    found = [
        TodoItem(
            kind="site.need_ending",
            entity="need",
            entity_id=n.id,
            title=n.title,
            detail=n.site.name,
            url=f"/needs/{n.id}/edit",
            status=n.status,
            since=None,
            due=n.end_date,
        )
        for n in rows
    ]
    return TodoSection("site.need_ending", _total(session, stmt), found)


def _talent_sections(
    session: Session, actor: Actor, today: date, items: bool = True
) -> list[TodoSection]:
    base = _matches(actor)
    invitations = base.where(Match.status == MatchStatus.PROPOSED.value).order_by(
        Match.updated_at, Match.id
    )
    starting = base.where(
        Match.status == MatchStatus.APPROVED.value,
        Need.start_date <= today + timedelta(days=STARTING_DAYS),
    ).order_by(Need.start_date, Match.id)
    invited = _match_item("talent.invitation")
    return [
        _section(session, "talent.invitation", invitations, invited, items),
        _section(session, "talent.starting", starting, _match_item("talent.starting"), items),
    ]


def _run_title(run: MatchRun) -> tuple[str, str]:
    """A run as a person names it (zh, en): its county (or the prefecture). When it ran
    is the item's ``since``, which the page shows in the reader's zone."""
    from service.places import county_words

    zh, en = county_words(run.county_code)
    return zh, f"{en[:1].upper()}{en[1:]}"


def _run_item(kind: str, run: MatchRun, waiting: int | None = None) -> TodoItem:
    title, title_en = _run_title(run)
    return TodoItem(
        kind=kind,
        entity="run",
        entity_id=run.id,
        title=title,
        title_en=title_en,
        detail=str(waiting) if waiting is not None else "",
        url=f"/runs/{run.id}",
        status=run.status,
        since=_aware(run.finished_at or run.started_at),
    )


def _runs_to_review(session: Session, actor: Actor, now: datetime, items: bool) -> TodoSection:
    """Recent runs whose proposals still wait for a talent's or a site's answer."""
    waiting = func.count(Match.id).label("waiting")
    stmt = (
        select(MatchRun, waiting)
        .join(Match, Match.run_id == MatchRun.id)
        .where(
            MatchRun.status == RunStatus.SUCCEEDED.value,
            MatchRun.dry_run.is_(False),
            MatchRun.started_at >= now - timedelta(days=RUN_REVIEW_DAYS),
            Match.status == MatchStatus.PROPOSED.value,
        )
        .group_by(MatchRun.id)
        .order_by(MatchRun.started_at.desc())
    )
    if policy.has_fixed_county(actor):  # as policy.visible_runs
        stmt = stmt.where(MatchRun.county_code == actor.jurisdiction)
    if not items:
        return TodoSection("coordinator.run_review", _total(session, stmt), [])
    rows = list(session.execute(stmt))
    found = [_run_item("coordinator.run_review", run, n) for run, n in rows[:SECTION_LIMIT]]
    return TodoSection("coordinator.run_review", len(rows), found)


def _failed_runs(session: Session, actor: Actor, items: bool) -> TodoSection:
    stmt = policy.visible_runs(
        actor, select(MatchRun).where(MatchRun.status == RunStatus.FAILED.value)
    ).order_by(MatchRun.started_at.desc())
    rows = session.scalars(stmt.limit(SECTION_LIMIT)) if items else ()
    found = [_run_item("admin.failed_run", r) for r in rows]
    return TodoSection("admin.failed_run", _total(session, stmt), found)


def _entries_to_approve(session: Session, actor: Actor, items: bool) -> TodoSection:
    """Submitted programme entries the actor may decide (the prefecture's coordinators
    and admins, never their own), oldest first, each with its age."""
    if not policy.may_decide_entries(actor):
        return TodoSection("coordinator.entries", 0, [])
    from service.places import county_words
    from service.usecases.county_targets import target_words

    stmt = policy.visible_entries(
        actor,
        select(ProgrammeEntry).where(
            ProgrammeEntry.status == EntryStatus.SUBMITTED.value,
            (ProgrammeEntry.entered_by.is_(None)) | (ProgrammeEntry.entered_by != actor.id),
        ),
        ProgrammeEntry.county_code,
    ).order_by(ProgrammeEntry.created_at, ProgrammeEntry.id)
    total = _total(session, stmt)
    if not items:
        return TodoSection("coordinator.entries", total, [])
    rows = list(session.scalars(stmt.limit(SECTION_LIMIT)))
    found = [
        TodoItem(
            kind="coordinator.entries",
            entity="entry",
            entity_id=e.id,
            title=target_words(e.target_key, e.target_key)[0],
            title_en=target_words(e.target_key, e.target_key)[1],
            detail=f"{county_words(e.county_code)[0]} · {e.year} · {e.value}",
            detail_en=f"{county_words(e.county_code)[1]} · {e.year} · {e.value}",
            url=f"/entries/review#entry-{e.id}",
            status=None,
            since=_aware(e.created_at),
        )
        for e in rows
    ]
    return TodoSection("coordinator.entries", total, found)


def _runs_to_confirm(session: Session, actor: Actor, now: datetime) -> Select[Any]:
    """Recent previews (dry runs) nobody has confirmed yet, newest first; the list shows
    the first ``CONFIRM_LIMIT``."""
    confirmed = select(MatchRun.preview_of).where(MatchRun.preview_of.is_not(None))
    stmt = policy.visible_runs(
        actor,
        select(MatchRun).where(
            MatchRun.status == RunStatus.SUCCEEDED.value,
            MatchRun.dry_run.is_(True),
            MatchRun.started_at >= now - timedelta(days=RUN_REVIEW_DAYS),
            MatchRun.id.not_in(confirmed),
            exists().where(RunProposal.run_id == MatchRun.id),
        ),
    ).order_by(MatchRun.started_at.desc())
    return stmt.limit(CONFIRM_LIMIT)


def _failed_deliveries(session: Session, items: bool) -> TodoSection:
    stmt = (
        select(Delivery)
        .options(joinedload(Delivery.notification))
        .where(Delivery.status == DeliveryStatus.FAILED.value)
        .order_by(Delivery.created_at.desc(), Delivery.id.desc())
    )
    rows = session.scalars(stmt.limit(SECTION_LIMIT)).unique() if items else ()
    found = [
        TodoItem(
            kind="admin.failed_delivery",
            entity="delivery",
            entity_id=d.id,
            title=d.notification.title_zh,
            title_en=d.notification.title_en,
            detail=translate(f"notify.channel.{d.channel}", "zh-CN"),
            detail_en=translate(f"notify.channel.{d.channel}", "en"),
            url="/admin/notifications",
            status=None,
            since=_aware(d.created_at),
        )
        for d in rows
    ]
    return TodoSection("admin.failed_delivery", _total(session, stmt), found)


def _failed_imports(session: Session, now: datetime, items: bool) -> TodoSection:
    """Imports refused in the last ``FAILED_IMPORT_DAYS`` days with no later successful
    import of the same kind, newest first; each links to the import page."""
    failed = _FAILED_IMPORT
    later_success = select(AuditEvent.id).where(
        AuditEvent.action == "import",
        AuditEvent.entity == failed.entity,
        AuditEvent.id > failed.id,
    )
    stmt = (
        select(failed)
        .where(
            failed.action == "import.failed",
            failed.at >= now - timedelta(days=FAILED_IMPORT_DAYS),
            ~exists(later_success),
        )
        .order_by(failed.id.desc())
    )
    rows = session.scalars(stmt.limit(SECTION_LIMIT)) if items else ()
    found = [
        TodoItem(
            kind="admin.failed_import",
            entity="import",
            entity_id=row.id,
            title=translate(f"exports.kind.{row.entity}", "zh-CN"),
            title_en=translate(f"exports.kind.{row.entity}", "en"),
            detail=str((row.after or {}).get("file") or ""),
            url="/admin/import",
            status=None,
            since=_aware(row.at),
        )
        for row in rows
    ]
    return TodoSection("admin.failed_import", _total(session, stmt), found)


def _coordinator_sections(
    session: Session, actor: Actor, now: datetime, items: bool = True
) -> list[TodoSection]:
    approve = (
        _matches(actor)
        .where(Match.status == MatchStatus.ACCEPTED.value)
        .order_by(Match.updated_at, Match.id)
    )
    review = _runs_to_review(session, actor, now, items)
    previews = _runs_to_confirm(session, actor, now)
    if items:
        confirm = [_run_item("coordinator.run_review", r) for r in session.scalars(previews)]
        waiting, listed = len(confirm), (confirm + review.items)[:SECTION_LIMIT]
    else:
        waiting, listed = _total(session, previews), []
    review = TodoSection(review.kind, review.total + waiting, listed)
    approved = _match_item("coordinator.approve")
    return [
        _section(session, "coordinator.approve", approve, approved, items),
        _entries_to_approve(session, actor, items),
        review,
    ]


def for_actor(
    *, session: Session, actor: Actor, now: datetime | None = None, items: bool = True
) -> TodoList:
    """The actor's to-do list, each section oldest (or most urgent) first. With
    ``items=False`` only the sections' totals are counted (the navigation's number, on
    every page) and no item is read."""
    now = now or datetime.now(UTC)
    today = now.date()
    if actor.role is Role.SITE_STAFF:
        sections = _site_sections(session, actor, today, items)
    elif actor.role is Role.TALENT:
        sections = _talent_sections(session, actor, today, items)
    else:
        sections = _coordinator_sections(session, actor, now, items)
        if actor.is_admin:
            sections.append(_failed_runs(session, actor, items))
            sections.append(_failed_imports(session, now, items))
            sections.append(_failed_deliveries(session, items))
    return TodoList(role=actor.role.value, generated_at=now, sections=sections)


def count_for(*, session: Session, actor: Actor, now: datetime | None = None) -> int:
    """How many steps wait for the actor: the to-do list's count, without its items."""
    return for_actor(session=session, actor=actor, now=now, items=False).count


def age_words(seconds: int, locale: str) -> str:
    """How long something has waited, in words: "3 天前" / "3 days ago"."""
    english = locale == "en"
    for size, zh, en in (
        (86400, "天", "day"),
        (3600, "小时", "hour"),
        (60, "分钟", "minute"),
    ):
        if seconds >= size:
            n = seconds // size
            return f"{n} {en}{'s' if n != 1 else ''} ago" if english else f"{n} {zh}前"
    return "just now" if english else "刚刚"
