"""A few registers and trainings for the demo: loaded after the demo population and the
demo accounts, and separate from both, so the population (and its pinned digest) is
unchanged. Rows are keyed by ``external_id``: a second load inserts nothing.

The rows show every state a coordinator meets: approved (counted), submitted (waiting
for the prefecture) and returned (with its reason, never counted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import County, RegisterEntry, Township, Training, User
from models.base import utcnow
from models.ledger import LedgerStatus, RegisterKind, TrainingParticipant

_APPROVED = LedgerStatus.APPROVED.value
_SUBMITTED = LedgerStatus.SUBMITTED.value
_RETURNED = LedgerStatus.RETURNED.value


@dataclass(frozen=True)
class _Register:
    external_id: str
    kind: RegisterKind
    name: str
    county: str
    founded_on: date
    lead_unit: str
    status: str
    reason: str | None = None


@dataclass(frozen=True)
class _Training:
    external_id: str
    title: str
    target: str
    county: str
    starts_on: date
    ends_on: date
    organiser: str
    participants: int
    status: str
    names: tuple[str, ...] = ()


REGISTERS = (
    _Register(
        "demo-reg-1",
        RegisterKind.WORKSTATION,
        "双柏县核桃产业专家基层科研工作站",
        "双柏县",
        date(2020, 6, 18),
        "州科技局",
        _APPROVED,
    ),
    _Register(
        "demo-reg-2",
        RegisterKind.WORKSTATION,
        "楚雄市彝药院士专家工作站",
        "楚雄市",
        date(2020, 9, 2),
        "州科协",
        _APPROVED,
    ),
    _Register(
        "demo-reg-3",
        RegisterKind.STAR_SPACE,
        "元谋县冬早蔬菜星创天地",
        "元谋县",
        date(2020, 11, 20),
        "州科技局",
        _APPROVED,
    ),
    _Register(
        "demo-reg-4",
        RegisterKind.AGRI_ENTITY,
        "双柏县妥甸镇生态养殖专业合作社",
        "双柏县",
        date(2021, 3, 9),
        "州科技局",
        _SUBMITTED,
    ),
    _Register(
        "demo-reg-5",
        RegisterKind.FLEXIBLE_BASE,
        "大姚县“候鸟型”核桃专家工作站",
        "大姚县",
        date(2020, 12, 1),
        "州人力资源和社会保障局",
        _RETURNED,
        "缺少认定文件，请补充后重新登记",
    ),
    _Register(
        "demo-reg-6",
        RegisterKind.ELDERCARE_BASE,
        "大姚县老年护理院养老服务人才实训基地",
        "大姚县",
        date(2020, 10, 15),
        "州人力资源和社会保障局",
        _APPROVED,
    ),
)

TRAININGS = (
    _Training(
        "demo-trn-1",
        "双柏县新型职业农民（核桃种植）培训班",
        "measure_5.new_farmers",
        "双柏县",
        date(2020, 4, 13),
        date(2020, 4, 17),
        "双柏县农业农村局",
        86,
        _APPROVED,
    ),
    _Training(
        "demo-trn-2",
        "高层次人才州情研修班（第一期）",
        "measure_10.seminar",
        "楚雄市",
        date(2020, 8, 24),
        date(2020, 8, 28),
        "州委组织部",
        58,
        _APPROVED,
    ),
    _Training(
        "demo-trn-3",
        "“一村一幼师”岗前培训",
        "measure_5.rural_professionals",
        "双柏县",
        date(2021, 7, 5),
        date(2021, 7, 9),
        "州教育体育局",
        3,
        _SUBMITTED,
        ("李春梅", "普艳芬", "杨丽琼"),
    ),
)


def _user_id(session: Session, username: str) -> int | None:
    return session.scalars(select(User.id).where(User.username == username)).first()


def _review(status: str, entered: int | None, decider: int | None) -> dict[str, Any]:
    decided = status != _SUBMITTED
    return {
        "status": status,
        "entered_by": entered,
        "decided_by": decider if decided else None,
        "decided_at": utcnow() if decided else None,
    }


def load_ledger_demo(*, session: Session) -> int:
    """Insert the demo registers and trainings not yet present; the caller commits.
    Returns how many rows were inserted (0 when the counties are not loaded)."""
    counties = {c.name: c.code for c in session.scalars(select(County))}
    if not counties:
        return 0
    entered, decider = _user_id(session, "county"), _user_id(session, "zhou")
    known = set(session.scalars(select(RegisterEntry.external_id))) | set(
        session.scalars(select(Training.external_id))
    )
    added = 0
    for r in REGISTERS:
        if r.external_id in known or r.county not in counties:
            continue
        township = session.scalars(
            select(Township.id).where(Township.county_code == counties[r.county]).limit(1)
        ).first()
        session.add(
            RegisterEntry(
                external_id=r.external_id,
                kind=r.kind.value,
                name=r.name,
                county_code=counties[r.county],
                township_id=township,
                founded_on=r.founded_on,
                lead_unit=r.lead_unit,
                return_reason=r.reason,
                **_review(r.status, entered, decider),
            )
        )
        added += 1
    for t in TRAININGS:
        if t.external_id in known or t.county not in counties:
            continue
        session.add(
            Training(
                external_id=t.external_id,
                title=t.title,
                target_key=t.target,
                county_code=counties[t.county],
                starts_on=t.starts_on,
                ends_on=t.ends_on,
                organiser=t.organiser,
                participants=t.participants,
                people=[TrainingParticipant(name=n) for n in t.names],
                **_review(t.status, entered, decider),
            )
        )
        added += 1
    session.flush()
    return added
