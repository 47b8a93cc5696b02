"""What registers and trainings add to the plan's targets, for the progress use case to
wire in: ``register_totals(session, year=, county=)`` → ``{target code: RegisterTotal}``.

Only approved rows count. A register row counts 1 toward its kind's target in the year of
its founded date; a training counts its participants toward its target in the year it
starts. Keys are the target codes of ``reference/data/programmes.json`` (the measure
rows: ``measure_1.workstations``, ``measure_2.star_spaces``, ``measure_2.agri_entities``,
``measure_6.flexible_bases``, ``measure_5.new_farmers``, ``measure_5.rural_professionals``,
``measure_10.seminar``). 养老服务实训基地 has no target and so no key; ``kind_counts``
gives it with the other kinds."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import RegisterEntry, Training
from models.ledger import REGISTER_KINDS, TRAINING_TARGETS, LedgerStatus, RegisterKind
from service.usecases.registers import year_clause


@dataclass
class RegisterTotal:
    """One target's figure from registers and trainings, and the rows behind it."""

    value: int = 0
    register_ids: list[int] = field(default_factory=list)
    training_ids: list[int] = field(default_factory=list)


def _approved_registers(
    session: Session, year: int | None, county: str | None
) -> list[tuple[int, str]]:
    stmt = select(RegisterEntry.id, RegisterEntry.kind).where(
        RegisterEntry.status == LedgerStatus.APPROVED.value
    )
    if year is not None:
        stmt = stmt.where(year_clause(RegisterEntry.founded_on, year))
    if county:
        stmt = stmt.where(RegisterEntry.county_code == county)
    return [(row_id, kind) for row_id, kind in session.execute(stmt.order_by(RegisterEntry.id))]


def kind_counts(
    session: Session, *, year: int | None, county: str | None
) -> dict[RegisterKind, list[int]]:
    """Approved register rows by kind (every kind, 养老服务实训基地 included)."""
    out: dict[RegisterKind, list[int]] = {kind: [] for kind in RegisterKind}
    for row_id, kind in _approved_registers(session, year, county):
        out[RegisterKind(kind)].append(row_id)
    return out


def register_totals(
    session: Session, *, year: int | None, county: str | None
) -> dict[str, RegisterTotal]:
    """Approved registers and trainings by target code, for one year (None: all) and one
    county (None: the prefecture). Every target a register kind or a training may count
    toward has a key, at 0 when nothing is approved."""
    totals: dict[str, RegisterTotal] = {
        line.target: RegisterTotal() for line in REGISTER_KINDS.values() if line.target
    }
    totals.update({key: RegisterTotal() for key in TRAINING_TARGETS})
    for kind, ids in kind_counts(session, year=year, county=county).items():
        target = REGISTER_KINDS[kind].target
        if target is None:
            continue
        totals[target].value += len(ids)
        totals[target].register_ids.extend(ids)
    stmt = select(Training.id, Training.target_key, Training.participants).where(
        Training.status == LedgerStatus.APPROVED.value
    )
    if year is not None:
        stmt = stmt.where(year_clause(Training.starts_on, year))
    if county:
        stmt = stmt.where(Training.county_code == county)
    for row_id, key, participants in session.execute(stmt.order_by(Training.id)):
        total = totals.setdefault(key, RegisterTotal())
        total.value += participants
        total.training_ids.append(row_id)
    return totals
