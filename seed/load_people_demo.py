"""Demo records for the people side of the plan (issue 14): recruitments, 编制 pools with
their movements, 县管乡用/县管校聘 rotations and career facts — enough service history that
every 职称 rule of 措施10 shows a real case on ``make run`` (met and not met).

Loaded after the demo population, the demo accounts and the ledger demo; separate from
all three, so the population and its digest are unchanged. Deterministic: the people are
the demo talents picked by id and 职称 level, every row carries an ``external_id`` and a
second load inserts nothing. Pool rows are written with the figures their movements
leave (the running balance), as the use cases would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    CareerFacts,
    County,
    Recruitment,
    Rotation,
    StaffingMovement,
    StaffingPool,
    Talent,
    Township,
    User,
)
from models.base import utcnow

SHUANGBAI = "双柏县"


@dataclass(frozen=True)
class _Hire:
    key: str
    who: str  # a role in the cast below
    county: str
    township: str | None
    unit: str
    post: str
    post_kind: str
    route: str
    grade: int
    degree: int
    start: date
    status: str = "approved"
    licences: tuple[str, ...] = ()
    high_level: bool = False
    series_match: bool = True
    failed_years: int = 0
    fresh_graduate: bool = False
    ended: date | None = None
    assessment: str = "pending"
    assessed: date | None = None
    reason: str | None = None


HIRES = (
    _Hire(
        "demo-rec-1",
        "master_doctor",
        SHUANGBAI,
        "鄂嘉镇",
        "鄂嘉镇中心卫生院",
        "临床医生",
        "medical_technical",
        "special_post",
        8,
        4,
        date(2021, 9, 1),
        fresh_graduate=True,
    ),
    _Hire(
        "demo-rec-2",
        "assistant_doctor",
        SHUANGBAI,
        "大麦地镇",
        "大麦地镇卫生院",
        "医技岗位",
        "medical_technical",
        "shortage",
        11,
        2,
        date(2021, 3, 1),
        licences=("assistant_physician",),
    ),
    _Hire(
        "demo-rec-3",
        "sanzhi",
        SHUANGBAI,
        "安龙堡乡",
        "安龙堡乡农业综合服务中心",
        "农技员",
        "other",
        "sanzhi_yifu",
        12,
        3,
        date(2020, 8, 1),
        assessment="qualified",
        assessed=date(2022, 7, 31),
        fresh_graduate=True,
    ),
    _Hire(
        "demo-rec-4",
        "special_teacher",
        SHUANGBAI,
        "独田乡",
        "独田乡中心学校",
        "数学教师",
        "other",
        "special_teacher",
        12,
        3,
        date(2021, 9, 1),
        assessment="basic",
        assessed=date(2024, 8, 31),
    ),
    _Hire(
        "demo-rec-5",
        "ten_year_doctor",
        SHUANGBAI,
        "爱尼山乡",
        "爱尼山乡卫生院",
        "全科医生",
        "medical_technical",
        "open",
        10,
        3,
        date(2012, 3, 1),
    ),
    _Hire(
        "demo-rec-6",
        "gap_doctor",
        SHUANGBAI,
        "独田乡",
        "独田乡卫生院",
        "临床医生",
        "medical_technical",
        "open",
        10,
        3,
        date(2011, 3, 1),
        ended=date(2018, 12, 31),
    ),
    _Hire(
        "demo-rec-7",
        "graduate",
        SHUANGBAI,
        "大麦地镇",
        "大麦地镇农业服务中心",
        "农技员",
        "other",
        "open",
        13,
        3,
        date(2025, 9, 1),
    ),
    _Hire(
        "demo-rec-8",
        "bachelor_teacher",
        "楚雄市",
        None,
        "楚雄市第一中学",
        "高中物理教师",
        "high_school_teacher",
        "shortage",
        11,
        3,
        date(2022, 8, 20),
        status="returned",
        reason="缺少连续两年公开招聘未招到人的证明材料",
    ),
    _Hire(
        "demo-rec-9",
        "highland_vet",
        "大姚县",
        "三台乡",
        "三台乡畜牧兽医站",
        "兽医",
        "other",
        "special_post",
        9,
        4,
        date(2022, 4, 1),
        high_level=True,
    ),
    _Hire(
        "demo-rec-10",
        "two_year_post",
        "武定县",
        "发窝乡",
        "发窝乡中心学校",
        "双语教师",
        "bilingual_teacher",
        "shortage",
        12,
        2,
        date(2023, 9, 1),
        failed_years=2,
        status="submitted",
    ),
)


@dataclass(frozen=True)
class _Turn:
    key: str
    who: str
    kind: str
    township: str
    employer: str
    host: str
    starts: date
    ends: date


ROTATIONS = (
    _Turn(
        "demo-rot-1",
        "teacher_11",
        "school",
        "鄂嘉镇",
        "双柏县第一中学",
        "鄂嘉镇中心小学",
        date(2024, 9, 1),
        date(2025, 7, 31),
    ),
    _Turn(
        "demo-rot-2",
        "teacher_12",
        "school",
        "大麦地镇",
        "双柏县第一中学",
        "大麦地镇中心小学",
        date(2024, 9, 1),
        date(2025, 8, 31),
    ),
    _Turn(
        "demo-rot-3",
        "gap_doctor",
        "township",
        "独田乡",
        "双柏县人民医院",
        "独田乡卫生院",
        date(2019, 2, 1),
        date(2027, 8, 31),
    ),
    _Turn(
        "demo-rot-4",
        "county_nurse",
        "township",
        "爱尼山乡",
        "双柏县人民医院",
        "爱尼山乡卫生院",
        date(2025, 3, 1),
        date(2027, 2, 28),
    ),
)

# Career facts per role: (series, regular graduate, graduated on, 中级 since).
FACTS: dict[str, tuple[str, bool, date | None, date | None]] = {
    "master_doctor": ("health", True, date(2021, 6, 30), None),
    "assistant_doctor": ("health", False, None, None),
    "sanzhi": ("agri_tech", True, date(2020, 6, 30), None),
    "ten_year_doctor": ("health", True, date(2011, 7, 1), date(2014, 6, 1)),
    "gap_doctor": ("health", True, date(2010, 7, 1), date(2012, 1, 1)),
    "graduate": ("agri_tech", True, date(2025, 6, 30), None),
    "teacher_11": ("education", True, date(2015, 7, 1), None),
    "teacher_12": ("education", True, date(2014, 7, 1), None),
    "county_nurse": ("health", False, None, None),
}
# Roles whose 职称 the rules read: 中级 for the ten-year and gap doctors and the teachers,
# none for the new graduate; anyone else: any demo talent.
TITLE_OF_ROLE = {
    "ten_year_doctor": 3,
    "gap_doctor": 3,
    "teacher_11": 3,
    "teacher_12": 3,
    "graduate": 0,
}


def _cast(session: Session) -> dict[str, int]:
    """Demo talents for each role, by id and 职称 level (talent1 plays the 特设岗位 doctor)."""
    rows = session.execute(select(Talent.id, Talent.title_level).order_by(Talent.id)).all()
    taken: set[int] = set()
    out: dict[str, int] = {}
    roles = ["master_doctor", *TITLE_OF_ROLE]
    roles += [r for r in {h.who for h in HIRES} | {t.who for t in ROTATIONS} if r not in roles]
    for role in sorted(roles, key=lambda r: (r != "master_doctor", r not in TITLE_OF_ROLE, r)):
        want = TITLE_OF_ROLE.get(role)
        found = next(
            (tid for tid, level in rows if tid not in taken and (want is None or level == want)),
            None,
        )
        if found is not None:
            out[role] = found
            taken.add(found)
    return out


def _user_id(session: Session, username: str) -> int | None:
    return session.scalar(select(User.id).where(User.username == username))


def _review(
    status: str, entered: int | None, decider: int | None, reason: str | None
) -> dict[str, Any]:
    decided = status != "submitted"
    return {
        "status": status,
        "entered_by": entered,
        "decided_by": decider if decided else None,
        "decided_at": utcnow() if decided else None,
        "return_reason": reason,
    }


class _Places:
    def __init__(self, session: Session) -> None:
        self.counties = {c.name: c.code for c in session.scalars(select(County))}
        self.townships = {(t.county_code, t.name): t.id for t in session.scalars(select(Township))}

    def township(self, county: str, name: str | None) -> int | None:
        if name is None:
            return None
        return self.townships.get((self.counties[county], name))


def _hires(
    session: Session, places: _Places, cast: dict[str, int], known: set[str]
) -> dict[str, Recruitment]:
    entered, decider = _user_id(session, "county"), _user_id(session, "zhou")
    out: dict[str, Recruitment] = {}
    for h in HIRES:
        if h.key in known or h.who not in cast:
            continue
        row = Recruitment(
            external_id=h.key,
            talent_id=cast[h.who],
            county_code=places.counties[h.county],
            township_id=places.township(h.county, h.township),
            unit=h.unit,
            post=h.post,
            post_kind=h.post_kind,
            route=h.route,
            post_grade=h.grade,
            degree_level=h.degree,
            title_level=TITLE_OF_ROLE.get(h.who, 2),
            licences=list(h.licences),
            high_level=h.high_level,
            matches_unit_series=h.series_match,
            failed_open_years=h.failed_years,
            fresh_graduate=h.fresh_graduate,
            start_date=h.start,
            ended_on=h.ended,
            term_assessment=h.assessment,
            assessed_on=h.assessed,
            **_review(h.status, entered, decider, h.reason),
        )
        session.add(row)
        out[h.key] = row
    session.flush()
    return out


def _rotations(session: Session, places: _Places, cast: dict[str, int], known: set[str]) -> int:
    entered = _user_id(session, "county")
    added = 0
    for r in ROTATIONS:
        township = places.township(SHUANGBAI, r.township)
        if r.key in known or r.who not in cast or township is None:
            continue
        session.add(
            Rotation(
                external_id=r.key,
                talent_id=cast[r.who],
                kind=r.kind,
                county_code=places.counties[SHUANGBAI],
                employer_unit=r.employer,
                host_unit=r.host,
                host_township_id=township,
                starts_on=r.starts,
                ends_on=r.ends,
                entered_by=entered,
            )
        )
        added += 1
    return added


def _facts(session: Session, cast: dict[str, int]) -> int:
    added = 0
    for role, (series, graduate, graduated, since) in FACTS.items():
        tid = cast.get(role)
        if tid is None or session.get(CareerFacts, tid) is not None:
            continue
        session.add(
            CareerFacts(
                talent_id=tid,
                series=series,
                regular_graduate=graduate,
                graduated_on=graduated,
                intermediate_since=since,
            )
        )
        added += 1
    return added


# Pools: (key, county name or None for the prefecture, sector, name).
POOLS = (
    ("demo-pool-1", SHUANGBAI, "talent", "双柏县引进人才专用事业编制"),
    ("demo-pool-2", SHUANGBAI, "school", "双柏县中小学教职工编制"),
    ("demo-pool-3", SHUANGBAI, "health", "双柏县卫生事业编制"),
    ("demo-pool-4", None, "high_level", "州级高层次人才事业编制"),
)
# Movements in the order they happened: (pool, kind, quantity, date, recruitment,
# other pool for a transfer, reason).
MOVES: tuple[tuple[str, str, int, date, str | None, str | None, str], ...] = (
    ("demo-pool-1", "approve", 12, date(2011, 1, 10), None, None, "州委编办核准引进人才专用编制"),
    ("demo-pool-1", "use", 1, date(2011, 3, 1), "demo-rec-6", None, "独田乡卫生院引进临床医生"),
    ("demo-pool-3", "approve", 6, date(2012, 1, 10), None, None, "州委编办核准卫生事业编制"),
    ("demo-pool-3", "use", 1, date(2012, 3, 1), "demo-rec-5", None, "爱尼山乡卫生院全科医生"),
    (
        "demo-pool-1",
        "return",
        1,
        date(2018, 12, 31),
        "demo-rec-6",
        None,
        "调入县人民医院，人走编收",
    ),
    ("demo-pool-4", "approve", 20, date(2020, 5, 6), None, None, "在州级事业编制总量内单独划定"),
    ("demo-pool-2", "approve", 40, date(2020, 8, 20), None, None, "中小学教职工编制总量核准"),
    ("demo-pool-2", "reserve", 3, date(2020, 8, 25), None, None, "预留周转，用于特岗教师到岗"),
    ("demo-pool-1", "use", 1, date(2021, 3, 1), "demo-rec-2", None, "紧缺人才方式引进医技人员"),
    ("demo-pool-1", "use", 1, date(2021, 9, 1), "demo-rec-1", None, "特设岗位引进硕士"),
    ("demo-pool-2", "release", 1, date(2021, 9, 1), None, None, "特岗教师到岗，周转编制释放"),
    ("demo-pool-2", "use", 1, date(2021, 9, 1), "demo-rec-4", None, "使用报备：独田乡中心学校"),
    (
        "demo-pool-1",
        "transfer_out",
        2,
        date(2022, 1, 15),
        None,
        "demo-pool-3",
        "县内跨行业调剂至卫生",
    ),
    ("demo-pool-4", "use", 1, date(2022, 4, 1), "demo-rec-9", None, "大姚县三台乡引进高层次人才"),
)
_DELTA = {  # (available, reserved, total) per unit moved
    "approve": (1, 0, 1),
    "use": (-1, 0, 0),
    "return": (1, 0, 0),
    "reserve": (-1, 1, 0),
    "release": (1, -1, 0),
    "transfer_out": (-1, 0, -1),
    "transfer_in": (1, 0, 1),
}


def _move(
    session: Session,
    pool: StaffingPool,
    kind: str,
    q: int,
    day: date,
    actor: int | None,
    **links: Any,
) -> StaffingMovement:
    da, dr, dt = _DELTA[kind]
    pool.available += da * q
    pool.reserved += dr * q
    pool.approved_total += dt * q
    row = StaffingMovement(
        pool_id=pool.id,
        kind=kind,
        quantity=q,
        on_date=day,
        available_after=pool.available,
        reserved_after=pool.reserved,
        total_after=pool.approved_total,
        actor_id=actor,
        **links,
    )
    session.add(row)
    session.flush()
    return row


def _pools(
    session: Session, places: _Places, hires: dict[str, Recruitment], known: set[str]
) -> int:
    """Pools and their movements, only on a first load (all or nothing)."""
    if any(key in known for key, *_ in POOLS):
        return 0
    pools: dict[str, StaffingPool] = {}
    for key, county, sector, name in POOLS:
        pool = StaffingPool(
            external_id=key,
            county_code=places.counties[county] if county else None,
            sector=sector,
            name=name,
        )
        session.add(pool)
        pools[key] = pool
    session.flush()
    actor = _user_id(session, "county")
    uses: dict[tuple[str, str], StaffingMovement] = {}
    for key, kind, q, day, rec_key, other, reason in MOVES:
        rec = hires.get(rec_key) if rec_key else None
        if rec_key and rec is None:
            continue
        links: dict[str, Any] = {"recruitment_id": rec.id if rec else None, "reason": reason}
        if kind == "return" and rec_key:
            links["returns_movement_id"] = uses[(key, rec_key)].id
        if other:
            links["counterpart_pool_id"] = pools[other].id
        row = _move(session, pools[key], kind, q, day, actor, **links)
        if kind == "use" and rec_key:
            uses[(key, rec_key)] = row
        if other:
            back = {"counterpart_pool_id": pools[key].id, "reason": reason}
            _move(session, pools[other], "transfer_in", q, day, actor, **back)
    return len(pools) + len(MOVES)


def load_people_demo(*, session: Session) -> int:
    """Insert the demo people records not yet present; the caller commits. Returns how
    many rows were inserted (0 when the counties or the talents are not loaded)."""
    places = _Places(session)
    if SHUANGBAI not in places.counties:
        return 0
    cast = _cast(session)
    if not cast:
        return 0
    known = {
        key
        for model in (Recruitment, Rotation, StaffingPool)
        for key in session.scalars(select(model.external_id))
        if key
    }
    hires = _hires(session, places, cast, known)
    added = len(hires)
    added += _rotations(session, places, cast, known)
    added += _facts(session, cast)
    added += _pools(session, places, hires, known)
    session.flush()
    return added
