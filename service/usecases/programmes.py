"""Reading the plan's programmes and their targets."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import Programme
from models.schemas.programme import ProgrammeRead, TargetRead
from service.errors import not_found


def _read(programme: Programme) -> ProgrammeRead:
    by_seq: dict[int, TargetRead] = {}
    for target in programme.targets:
        read = by_seq.get(target.seq)
        if read is None:
            read = TargetRead(
                key=target.key,
                same_as=target.same_as,
                rolls_up=list(target.rolls_up or ()),
                text=target.text,
                value=target.value,
                unit=target.unit,
                period=target.period,
                approx=target.approx,
                at_least=target.at_least,
                counting=target.counting,
            )
            by_seq[target.seq] = read
        if target.year is not None:
            read.years.append(target.year)
    return ProgrammeRead(
        code=programme.code,
        kind=programme.kind,
        number=programme.number,
        group_title=programme.group_title,
        title=programme.title,
        content=programme.content,
        lead_units=list(programme.lead_units),
        responsible_units=list(programme.responsible_units),
        fields=list(programme.fields),
        targets=[by_seq[seq] for seq in sorted(by_seq)],
    )


def list_(*, session: Session, kind: str | None = None) -> list[ProgrammeRead]:
    stmt = (
        select(Programme)
        .options(selectinload(Programme.targets))
        .order_by(Programme.sort_order, Programme.id)
    )
    if kind is not None:
        stmt = stmt.where(Programme.kind == kind)
    return [_read(p) for p in session.scalars(stmt)]


def get_or_raise(*, session: Session, code: str) -> ProgrammeRead:
    programme = session.scalars(
        select(Programme).options(selectinload(Programme.targets)).where(Programme.code == code)
    ).one_or_none()
    if programme is None:
        raise not_found("programme")
    return _read(programme)
