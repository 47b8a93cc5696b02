"""编制 pools and their ledger of movements (措施9): 核准, 使用 (中小学: 使用报备), 人走编收,
预留周转 and its release, and 调剂 between pools of one county.

Each movement is one conditional UPDATE of the pool row (``… WHERE available >= n``,
``RETURNING`` the new figures) and one movement row carrying those figures, audited, in
one transaction. The UPDATE takes the row's lock (PostgreSQL) or the write lock (SQLite)
and re-checks the balance under it, so of N concurrent uses of the last post exactly one
succeeds; the CHECK constraints on ``staffing_pool`` hold even against code that forgets.
The prefecture's pool (no county) is for high-level talent, 单独划定: it is never
transferred."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import County, Recruitment, StaffingMovement, StaffingPool
from models.people import MovementKind, PoolSector
from models.schemas.people import MovementCreate, PoolCreate, RecruitmentLeave
from service import audit, policy
from service.actor import Actor
from service.errors import AppError, FieldError
from service.places import county_words
from service.usecases import ledger_review as review

_POOL_FIELDS = ("county_code", "sector", "name", "approved_total", "available", "reserved")
_MOVE_FIELDS = (
    "pool_id",
    "kind",
    "quantity",
    "on_date",
    "recruitment_id",
    "returns_movement_id",
    "counterpart_pool_id",
    "available_after",
    "reserved_after",
    "total_after",
    "reason",
)


def _not_found(pool_id: int, actor: Actor) -> AppError:
    zh, en = county_words(actor.jurisdiction)
    return AppError(
        404,
        "not_found",
        f"staffing pool {pool_id} not found within your jurisdiction ({en})",
        f"未找到该编制池（或不在您的管辖范围{zh}内）",
        [FieldError("pool_id", "not found or outside your jurisdiction", pool_id)],
    )


def load_pool(session: Session, actor: Actor, pool_id: int) -> StaffingPool:
    policy.require_people_officer(actor)
    pool = session.get(StaffingPool, pool_id)
    if pool is None or not policy.can_reach_pool(actor, pool.county_code):
        raise _not_found(pool_id, actor)
    return pool


def create_pool(*, session: Session, actor: Actor, body: PoolCreate) -> StaffingPool:
    """A new pool at zero; commits. The prefecture's high-level pool has no county and is
    the prefecture's to open; a county's pools are its own."""
    policy.require_people_officer(actor)
    if body.county_code:
        review.check_county(session, actor, body.county_code)
        if body.sector is PoolSector.HIGH_LEVEL:
            raise review.invalid(
                "sector",
                "the high-level pool is the prefecture's (leave the county empty)",
                body.sector.value,
                "高层次人才事业编制在州级事业编制总量内单独划定，请不选县市",
            )
    elif not policy.can_reach_pool(actor, None):
        raise review.invalid(
            "county_code",
            "choose your county; only the prefecture opens the prefecture's pool",
            None,
            "请选择本县市；州级编制池仅由州级开设",
        )
    pool = StaffingPool(
        county_code=body.county_code or None,
        sector=body.sector.value,
        name=body.name.strip(),
    )
    session.add(pool)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="create",
        entity="staffing_pool",
        entity_id=pool.id,
        after=audit.snapshot(pool, _POOL_FIELDS),
    )
    session.commit()
    return pool


@dataclass(frozen=True)
class _Change:
    """How a movement changes (available, reserved, approved_total), and what must hold
    of the row before it (``needs_available``/``needs_reserved``)."""

    available: int = 0
    reserved: int = 0
    total: int = 0
    needs_available: int = 0
    needs_reserved: int = 0


def _change(kind: MovementKind, q: int) -> _Change:
    return {
        MovementKind.APPROVE: _Change(available=q, total=q),
        MovementKind.USE: _Change(available=-q, needs_available=q),
        MovementKind.RETURN: _Change(available=q),
        MovementKind.RESERVE: _Change(available=-q, reserved=q, needs_available=q),
        MovementKind.RELEASE: _Change(available=q, reserved=-q, needs_reserved=q),
        MovementKind.TRANSFER_OUT: _Change(available=-q, total=-q, needs_available=q),
        MovementKind.TRANSFER_IN: _Change(available=q, total=q),
    }[kind]


def _apply(session: Session, pool_id: int, change: _Change) -> tuple[int, int, int] | None:
    """One conditional UPDATE; the figures after it, or None when the pool lacks them."""
    stmt = (
        update(StaffingPool)
        .where(
            StaffingPool.id == pool_id,
            StaffingPool.available >= change.needs_available,
            StaffingPool.reserved >= change.needs_reserved,
        )
        .values(
            available=StaffingPool.available + change.available,
            reserved=StaffingPool.reserved + change.reserved,
            approved_total=StaffingPool.approved_total + change.total,
        )
        .returning(StaffingPool.available, StaffingPool.reserved, StaffingPool.approved_total)
        .execution_options(synchronize_session=False)
    )
    row = session.execute(stmt).first()
    return None if row is None else (row[0], row[1], row[2])


def _short(session: Session, pool_id: int, kind: MovementKind, q: int) -> AppError:
    session.rollback()
    pool = session.get(StaffingPool, pool_id)
    have = (pool.reserved if kind is MovementKind.RELEASE else pool.available) if pool else 0
    what_zh = "预留周转" if kind is MovementKind.RELEASE else "可用"
    what = "held for turnover" if kind is MovementKind.RELEASE else "available"
    return AppError(
        409,
        "insufficient_posts",
        f"quantity {q}: the pool has {have} posts {what}",
        f"数量 {q} 超出该编制池{what_zh}编制（{have} 个）",
        [FieldError("quantity", f"at most {have}", q)],
    )


def _check_links(session: Session, pool: StaffingPool, body: MovementCreate) -> int:
    """Validate what a movement names; returns the quantity it moves."""
    kind = body.kind
    if kind is MovementKind.TRANSFER_IN:
        raise review.invalid(
            "kind",
            "a transfer is posted as transfer_out from the giving pool",
            kind.value,
            "调剂请在调出的编制池登记“调剂调出”",
        )
    if body.recruitment_id is not None:
        rec = session.get(Recruitment, body.recruitment_id)
        if rec is None or (pool.county_code and rec.county_code != pool.county_code):
            raise review.invalid(
                "recruitment_id",
                f"no recruitment of county {pool.county_code} with this id",
                body.recruitment_id,
                "招聘记录不存在或不属于该编制池所在县市",
            )
    if kind is MovementKind.RETURN:
        return _returned_quantity(session, pool, body.returns_movement_id)
    if kind is MovementKind.TRANSFER_OUT:
        _check_counterpart(session, pool, body.counterpart_pool_id)
    return body.quantity


def _returned_quantity(session: Session, pool: StaffingPool, use_id: int | None) -> int:
    use = session.get(StaffingMovement, use_id) if use_id else None
    if use is None or use.pool_id != pool.id or use.kind != MovementKind.USE.value:
        raise review.invalid(
            "returns_movement_id",
            "name a use of this pool (人走编收 gives back a post that was used)",
            use_id,
            "人走编收须对应本编制池的一笔“使用”记录",
        )
    return use.quantity


def _check_counterpart(session: Session, pool: StaffingPool, other_id: int | None) -> None:
    other = session.get(StaffingPool, other_id) if other_id else None
    ok = (
        other is not None
        and other.id != pool.id
        and pool.county_code is not None
        and other.county_code == pool.county_code
    )
    if not ok:
        raise review.invalid(
            "counterpart_pool_id",
            "a transfer goes to another pool of the same county; the prefecture's pool is "
            "never transferred",
            other_id,
            "调剂仅限本县市编制总量内的另一编制池；州级高层次人才编制不参与调剂",
        )


def move(*, session: Session, actor: Actor, pool_id: int, body: MovementCreate) -> StaffingMovement:
    """Record one movement; commits once. 404 for a pool out of reach, 422 naming a wrong
    field, 409 when the pool lacks the posts (nothing written)."""
    pool = load_pool(session, actor, pool_id)
    q = _check_links(session, pool, body)
    kind = body.kind
    after = _apply(session, pool.id, _change(kind, q))
    if after is None:
        raise _short(session, pool.id, kind, q)
    row = _movement(pool.id, kind, q, body, after, actor)
    written = [row]
    if kind is MovementKind.TRANSFER_OUT and body.counterpart_pool_id:
        incoming = _change(MovementKind.TRANSFER_IN, q)
        other_after = _apply(session, body.counterpart_pool_id, incoming)
        if other_after is None:  # an increase always applies; defensive
            raise _short(session, body.counterpart_pool_id, kind, q)
        twin = _movement(
            body.counterpart_pool_id, MovementKind.TRANSFER_IN, q, body, other_after, actor
        )
        twin.counterpart_pool_id = pool.id
        written.append(twin)
    session.add_all(written)
    _flush_once(session, body)
    for moved in written:
        _audit(session, actor, moved)
    session.commit()
    return row


def _movement(
    pool_id: int,
    kind: MovementKind,
    q: int,
    body: MovementCreate,
    after: tuple[int, int, int],
    actor: Actor,
) -> StaffingMovement:
    return StaffingMovement(
        pool_id=pool_id,
        kind=kind.value,
        quantity=q,
        on_date=body.on_date,
        recruitment_id=body.recruitment_id,
        returns_movement_id=body.returns_movement_id if kind is MovementKind.RETURN else None,
        counterpart_pool_id=body.counterpart_pool_id,
        available_after=after[0],
        reserved_after=after[1],
        total_after=after[2],
        reason=body.reason.strip(),
        actor_id=actor.id,
    )


def _flush_once(session: Session, body: MovementCreate) -> None:
    """Write the movement rows; a second return of the same use breaks the unique key."""
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise AppError(
            409,
            "already_returned",
            "this use was already returned (人走编收)",
            "该笔使用已办理人走编收",
            [FieldError("returns_movement_id", "already returned", body.returns_movement_id)],
        ) from exc


def _audit(session: Session, actor: Actor, row: StaffingMovement) -> None:
    audit.record(
        session=session,
        actor=actor,
        action=f"staffing.{row.kind}",
        entity="staffing_movement",
        entity_id=row.id,
        after=audit.snapshot(row, _MOVE_FIELDS),
    )


def leave(
    *, session: Session, actor: Actor, recruitment_id: int, body: RecruitmentLeave
) -> list[StaffingMovement]:
    """The person left: the recruitment ends and every post it used comes back to its
    pool (人走编收); commits once. Returns the return movements."""
    rec = review.load_visible(session, actor, Recruitment, recruitment_id)
    policy.people_county(actor, rec.county_code)
    if body.ended_on < rec.start_date:
        raise review.invalid(
            "ended_on",
            f"must not be before the start date {rec.start_date.isoformat()}",
            body.ended_on.isoformat(),
            f"离岗日期不能早于到岗日期（{rec.start_date.isoformat()}）",
        )
    before = {"ended_on": rec.ended_on}
    rec.ended_on = body.ended_on
    returned = set(
        session.scalars(
            select(StaffingMovement.returns_movement_id).where(
                StaffingMovement.returns_movement_id.is_not(None)
            )
        )
    )
    uses = session.scalars(
        select(StaffingMovement).where(
            StaffingMovement.recruitment_id == rec.id,
            StaffingMovement.kind == MovementKind.USE.value,
        )
    ).all()
    out = []
    for use in (u for u in uses if u.id not in returned):
        change = _change(MovementKind.RETURN, use.quantity)
        after = _apply(session, use.pool_id, change)
        if after is None:  # an increase always applies; defensive
            raise _short(session, use.pool_id, MovementKind.RETURN, use.quantity)
        row = StaffingMovement(
            pool_id=use.pool_id,
            kind=MovementKind.RETURN.value,
            quantity=use.quantity,
            on_date=body.ended_on,
            recruitment_id=rec.id,
            returns_movement_id=use.id,
            available_after=after[0],
            reserved_after=after[1],
            total_after=after[2],
            reason=body.reason.strip(),
            actor_id=actor.id,
        )
        session.add(row)
        out.append(row)
    _flush_once(session, MovementCreate(kind=MovementKind.RETURN, on_date=body.ended_on))
    for row in out:
        _audit(session, actor, row)
    audit.record(
        session=session,
        actor=actor,
        action="leave",
        entity="recruitment",
        entity_id=rec.id,
        before=before,
        after={"ended_on": body.ended_on, "reason": body.reason, "returned": [r.id for r in out]},
    )
    session.commit()
    return out


@dataclass
class PoolView:
    pool: StaffingPool
    county_name: str | None

    @property
    def in_use(self) -> int:
        return self.pool.approved_total - self.pool.available - self.pool.reserved


def list_pools(*, session: Session, actor: Actor, county: str | None = None) -> list[PoolView]:
    stmt = policy.visible_pools(actor, select(StaffingPool), StaffingPool.county_code)
    if county:
        stmt = stmt.where(StaffingPool.county_code == county)
    names = dict(session.execute(select(County.code, County.name)).all())
    pools = session.scalars(
        stmt.order_by(
            StaffingPool.county_code.is_not(None), StaffingPool.county_code, StaffingPool.id
        )
    )
    return [PoolView(p, names.get(p.county_code) if p.county_code else None) for p in pools]


def movements(
    *, session: Session, actor: Actor, pool_id: int, offset: int = 0, limit: int = 200
) -> tuple[StaffingPool, list[StaffingMovement], int]:
    pool = load_pool(session, actor, pool_id)
    base = select(StaffingMovement).where(StaffingMovement.pool_id == pool.id)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.scalars(
        base.order_by(StaffingMovement.id.desc()).offset(offset).limit(limit)
    ).all()
    return pool, list(rows), total


def running_balance_ok(rows: list[StaffingMovement]) -> bool:
    """Every movement's figures are within bounds (a check the tests reuse)."""
    return all(r.available_after >= 0 and r.reserved_after >= 0 for r in rows)


def movement_label_key(kind: str, sector: str) -> str:
    if kind == MovementKind.USE.value and sector == PoolSector.SCHOOL.value:
        return "people.movement.use_school"
    return f"people.movement.{kind}"
