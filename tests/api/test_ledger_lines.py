"""Issue 11's acceptance, line by line: each of the plan's 21 lines (11 yearly goals, 10
measures) walked through the HTTP API on the test database (migrated, reference data and
the demo population loaded; each test in its own transaction, rolled back).

A test posts a need under its line (or registers, enters, or reports a training), takes it
through its review (propose → interest → accept → approve for a match; approval by the
prefecture for what the county entered), and reads ``GET /api/v1/programmes/progress``
before and after, for the county and for the prefecture. Every target's ``achieved`` must
move by exactly the expected amount: the line's target by its figure, the umbrella that
declares it (万名专家服务基层 ``rolls_up``) by the same, every other target not at all.

Only HTTP calls are made; the users a walk needs (the talent's and the site's logins) are
created by the admin through ``POST /api/v1/users``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import DEMO_PASSWORD
from tests.http_fixtures import Login

SHUANGBAI = "532322"  # 双柏县, a national poverty county
MOUDING = "532323"  # 牟定县, a national poverty county with a county hospital in the demo
YUANMOU = "532328"  # 元谋县, a provincial poverty county
CHUXIONG = "532301"  # 楚雄市, no poverty county
ENTRY_YEAR = 2021  # entries, registers and trainings name their year (within plan_years)
SHORT_START = date(2025, 4, 1)  # inside the demo talents' availability (2025–2027)
LONG_START = date(2025, 3, 1)
UMBRELLA = "wanming_experts.action_plan"
_serial = count(1)

Deltas = dict[str, float]
Headers = dict[str, str]


def match_year() -> int:
    """A match counts in the year of its approval, stamped by the clock."""
    return datetime.now(UTC).year


@dataclass
class Walk:
    """One test's HTTP session: the logins it needs and the progress it snapshots."""

    client: TestClient
    login: Login
    zhou: Headers = field(default_factory=dict)
    admin: Headers = field(default_factory=dict)
    county: Headers = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.zhou = self.login("zhou")  # the prefecture coordinator
        self.admin = self.login("admin")
        self.county = self.login("county")  # 双柏县's coordinator

    def ok(self, method: str, url: str, headers: Headers, status: int = 200, **kw: Any) -> Any:
        response = self.client.request(method, url, headers=headers, **kw)
        assert response.status_code == status, f"{method} {url}: {response.text}"
        return response.json()

    # -- progress ------------------------------------------------------------------------

    def achieved(self, year: int, county: str | None) -> dict[str, float]:
        params: dict[str, Any] = {"year": year}
        if county:
            params["county"] = county
        rows = self.ok("GET", "/api/v1/programmes/progress", self.zhou, params=params)
        out = {row["key"]: row["achieved"] for row in rows}
        assert len(out) == len(rows), "every target appears once"
        return out

    def snapshot(self, year: int, county: str) -> dict[str | None, dict[str, float]]:
        views = (county, None, *(c for c in (CHUXIONG, SHUANGBAI) if c != county))
        return {view: self.achieved(year, view) for view in views}

    def assert_moved(
        self, before: dict[str | None, dict[str, float]], year: int, county: str, deltas: Deltas
    ) -> None:
        """The county's and the prefecture's figures moved by ``deltas`` exactly; other
        counties' figures did not move at all."""
        after = self.snapshot(year, county)
        for view, figures in before.items():
            moved = deltas if view in (county, None) else {}
            expected = {key: value + moved.get(key, 0) for key, value in figures.items()}
            assert set(deltas) <= set(figures), f"unknown keys {set(deltas) - set(figures)}"
            changed = {
                k: (figures[k], after[view][k]) for k in figures if after[view][k] != expected[k]
            }
            assert not changed, f"view {view or 'prefecture'}: (before, after) off by {changed}"

    # -- logins for a walk ---------------------------------------------------------------

    def user(self, role: str, **ties: int) -> Headers:
        username = f"walk-{role}-{next(_serial)}"
        self.ok(
            "POST",
            "/api/v1/users",
            self.admin,
            201,
            json={
                "username": username,
                "password": DEMO_PASSWORD,
                "role": role,
                "display_name": f"走查{role}",
                **ties,
            },
        )
        return self.login(username)

    # -- a match under a line ------------------------------------------------------------

    def site(self, county: str, site_type: str, *, poverty_township: bool = False) -> int:
        """A new site of ``site_type`` in ``county``, where the demo's sites there are."""
        found = self.ok("GET", "/api/v1/sites", self.zhou, params={"county": county, "limit": 1})
        items = found["items"] if isinstance(found, dict) else found
        assert items, f"the demo population has a site in {county}"
        near = self.ok("GET", f"/api/v1/sites/{items[0]['id']}", self.zhou)
        created = self.ok(
            "POST",
            "/api/v1/sites",
            self.zhou,
            201,
            json={
                "name": f"走查单位{next(_serial)}",
                "site_type": site_type,
                "county_code": county,
                "lat": near["lat"],
                "lon": near["lon"],
                "poverty_township": poverty_township,
            },
        )
        return int(created["id"])

    def talent_fits(self, talent: dict[str, Any], institution_type: str | None) -> bool:
        if institution_type is None:
            return True
        profile = self.ok("GET", f"/api/v1/talents/{talent['id']}", self.zhou)
        if profile["institution_id"] is None:
            return False
        institution = self.ok("GET", f"/api/v1/institutions/{profile['institution_id']}", self.zhou)
        return bool(institution["institution_type"] == institution_type)

    def match(
        self,
        line: str,
        county: str,
        site_type: str = "township_public_institution",
        *,
        institution_type: str | None = None,
        home_county: bool = False,
        poverty_township: bool = False,
        **need: Any,
    ) -> int:
        """Post a need under ``line`` at a new site, pick a fitting candidate, and take the
        match through propose → interest → accept → approve. Returns the match id."""
        site_id = self.site(county, site_type, poverty_township=poverty_township)
        body = {
            "title": f"按行动措施 {line} 发布的需求",
            "description": "到基层一线开展技术指导和服务，按行动方案统计。",
            "skills": ["agri.extension"],
            "mode": "onsite_short",
            "start_date": SHORT_START.isoformat(),
            "end_date": (SHORT_START + timedelta(days=240)).isoformat(),
            "headcount": 1,
            "days_needed": 5,
            "site_id": site_id,
            "programme_code": line,
            **need,
        }
        posted = self.ok("POST", "/api/v1/needs", self.zhou, 201, json=body)
        found = self.ok(
            "GET", f"/api/v1/needs/{posted['id']}/candidates", self.zhou, params={"k": 100}
        )
        fitting = [
            c["talent"]
            for c in found
            if (not home_county or c["talent"]["home_county_code"] == county)
            and self.talent_fits(c["talent"], institution_type)
        ]
        assert fitting, f"no candidate for line {line} in {county} among {len(found)}"
        talent_id = fitting[0]["id"]
        proposed = self.ok(
            "POST",
            "/api/v1/matches",
            self.zhou,
            201,
            json={"need_id": posted["id"], "talent_id": talent_id},
        )
        match_id = proposed["id"]
        talent = self.user("talent", talent_id=talent_id)
        assert self.ok("POST", f"/api/v1/matches/{match_id}/interest", talent)["status"] == (
            "interested"
        )
        site = self.user("site_staff", site_id=site_id)
        assert self.ok("POST", f"/api/v1/matches/{match_id}/accept", site)["status"] == "accepted"
        approved = self.ok("POST", f"/api/v1/matches/{match_id}/approve", self.zhou)
        assert approved["status"] == "approved"
        return int(match_id)

    # -- what is not a match -------------------------------------------------------------

    def entry(self, line: str, target: str, county: str, value: int) -> int:
        """The county coordinator enters a figure; the prefecture approves it."""
        entered = self.ok(
            "POST",
            f"/api/v1/programmes/{line}/entries",
            self.county,
            201,
            json={
                "target": target,
                "county_code": county,
                "year": ENTRY_YEAR,
                "value": value,
                "note": "县人社局汇总名单",
            },
        )
        assert entered["status"] == "submitted"
        approved = self.ok("POST", f"/api/v1/programme-entries/{entered['id']}/approve", self.zhou)
        assert approved["status"] == "approved"
        return int(entered["id"])

    def register(self, kind: str, county: str) -> int:
        kinds = self.ok("GET", "/api/v1/registers/kinds", self.zhou)
        lead = next(k["lead_units"][0] for k in kinds if k["kind"] == kind)
        created = self.ok(
            "POST",
            "/api/v1/registers",
            self.county,
            201,
            json={
                "kind": kind,
                "name": f"走查登记{next(_serial)}",
                "county_code": county,
                "founded_on": f"{ENTRY_YEAR}-05-10",
                "lead_unit": lead,
            },
        )
        approved = self.ok("POST", f"/api/v1/registers/{created['id']}/approve", self.zhou)
        assert approved["status"] == "approved"
        return int(created["id"])

    def training(self, target: str, county: str, participants: int) -> int:
        created = self.ok(
            "POST",
            "/api/v1/trainings",
            self.county,
            201,
            json={
                "title": "新型职业农民培训班",
                "target": target,
                "county_code": county,
                "starts_on": f"{ENTRY_YEAR}-06-01",
                "ends_on": f"{ENTRY_YEAR}-06-05",
                "organiser": "县农业农村局",
                "participants": participants,
            },
        )
        approved = self.ok("POST", f"/api/v1/trainings/{created['id']}/approve", self.zhou)
        assert approved["status"] == "approved"
        return int(created["id"])


def _walk(client: TestClient, login: Login) -> Walk:
    return Walk(client, login)


def _long(days: int = 365, **need: Any) -> dict[str, Any]:
    return {
        "mode": "onsite_long",
        "start_date": LONG_START.isoformat(),
        "end_date": (LONG_START + timedelta(days=days - 1)).isoformat(),
        "days_needed": days,
        **need,
    }


def _counted_once(walk: Walk, county: str, deltas: Deltas, act: Callable[[], object]) -> None:
    """Run ``act`` (one match) and check that it moved exactly ``deltas``."""
    year = match_year()
    before = walk.snapshot(year, county)
    act()
    walk.assert_moved(before, year, county, deltas)


def _entered(walk: Walk, county: str, deltas: Deltas, act: Callable[[], object]) -> None:
    before = walk.snapshot(ENTRY_YEAR, county)
    act()
    walk.assert_moved(before, ENTRY_YEAR, county, deltas)


# -- the 11 yearly goals -------------------------------------------------------------------


def test_line_wanming_experts_g1_experts_serve_the_grassroots(
    client: TestClient, login: Login
) -> None:
    """G1 万名专家服务基层: a renowned expert's on-site guidance at a breeding base."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {UMBRELLA: 1},
        lambda: w.match(
            "wanming_experts", SHUANGBAI, "breeding_base", required_categories=["expert"]
        ),
    )


def test_line_technicians_frontline_g2_1000_technicians_to_the_front_line(
    client: TestClient, login: Login
) -> None:
    """G2 组织1000名专业技术人员到生产一线: its own row only; the 万名专家 umbrella
    does not roll it up (README "How the ledger counts")."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {"technicians_frontline.technicians": 1},
        lambda: w.match(
            "technicians_frontline", SHUANGBAI, required_categories=["professional_technician"]
        ),
    )


def test_line_rural_professionals_g3_1000_rural_professionals(
    client: TestClient, login: Login
) -> None:
    """G3 引进或培育1000名农村专业人才: a one-year placement in rural extension."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {"rural_professionals.professionals": 1},
        lambda: w.match("rural_professionals", SHUANGBAI, **_long(365)),
    )


def test_line_new_farmers_g4_1000_new_farmers(client: TestClient, login: Login) -> None:
    """G4 培养1000名新型职业农民: counted by hand, an approved entry of 120."""
    w = Walk(client, login)
    _entered(
        w,
        SHUANGBAI,
        {"new_farmers.farmers": 120},
        lambda: w.entry("new_farmers", "new_farmers.farmers", SHUANGBAI, 120),
    )


def test_line_selected_technicians_g5_100_selected_technicians(
    client: TestClient, login: Login
) -> None:
    """G5 选派100名优秀专业技术人才 (服务1-2年): a 730-day placement."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {"selected_technicians.technicians": 1},
        lambda: w.match(
            "selected_technicians",
            SHUANGBAI,
            **_long(730, required_categories=["professional_technician"]),
        ),
    )


def test_line_rural_teacher_mentors_g6_100_rural_teacher_mentors(
    client: TestClient, login: Login
) -> None:
    """G6 组建100名乡村教师导师团队: a mentor at a rural school."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {"rural_teacher_mentors.mentors": 1},
        lambda: w.match(
            "rural_teacher_mentors",
            SHUANGBAI,
            "rural_school",
            mode="remote",
            skills=["edu.teacher_mentoring"],
            required_categories=["special_post_teacher"],
        ),
    )


def test_line_sanzhi_yifu_g7_100_sanzhi_yifu_volunteers(client: TestClient, login: Login) -> None:
    """G7 选聘和招募100名“三支一扶”、大学生志愿者: a one-year placement."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {"sanzhi_yifu.volunteers": 1},
        lambda: w.match(
            "sanzhi_yifu", SHUANGBAI, **_long(365, required_categories=["sanzhi_yifu"])
        ),
    )


def test_line_craftsmen_g8_100_craftsmen(client: TestClient, login: Login) -> None:
    """G8 培育开发100名能工巧匠和拔尖的乡土人才."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {"craftsmen.craftsmen": 1},
        lambda: w.match("craftsmen", SHUANGBAI, required_categories=["craftsman"]),
    )


def test_line_workstations_g9_10_expert_workstations(client: TestClient, login: Login) -> None:
    """G9 建设10个院士专家工作站: an approved register row counts 1."""
    w = Walk(client, login)
    _entered(
        w,
        SHUANGBAI,
        {"workstations.workstations": 1},
        lambda: w.register("workstation", SHUANGBAI),
    )


def test_line_agri_entities_g10_10_new_agricultural_entities(
    client: TestClient, login: Login
) -> None:
    """G10 培育10户新型农业经营主体: an approved register row counts 1."""
    w = Walk(client, login)
    _entered(
        w,
        SHUANGBAI,
        {"agri_entities.entities": 1},
        lambda: w.register("agri_entity", SHUANGBAI),
    )


def test_line_blue_fire_phds_g11_10_blue_fire_phds(client: TestClient, login: Login) -> None:
    """G11 争取引进10名“蓝火计划”博士."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {"blue_fire_phds.phds": 1},
        lambda: w.match("blue_fire_phds", SHUANGBAI, required_categories=["blue_fire_phd"]),
    )


# -- the 10 measures (each of its targets) -------------------------------------------------


def test_line_measure_1_workstations_and_blue_fire_phds(client: TestClient, login: Login) -> None:
    """措施1: a 蓝火计划 PhD under the measure counts on the goal's row (same_as); a
    workstation register on the workstations row."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {"blue_fire_phds.phds": 1},
        lambda: w.match("measure_1", SHUANGBAI, required_categories=["blue_fire_phd"]),
    )
    _entered(
        w,
        SHUANGBAI,
        {"workstations.workstations": 1},
        lambda: w.register("workstation", SHUANGBAI),
    )


def test_line_measure_2_sanqu_talents_agri_entities_and_star_spaces(
    client: TestClient, login: Login
) -> None:
    """措施2: 三区 talents entered (7), an agricultural entity and a 星创天地 registered."""
    w = Walk(client, login)
    _entered(
        w,
        SHUANGBAI,
        {"measure_2.sanqu_talents": 7},
        lambda: w.entry("measure_2", "measure_2.sanqu_talents", SHUANGBAI, 7),
    )
    _entered(
        w,
        SHUANGBAI,
        {"agri_entities.entities": 1},
        lambda: w.register("agri_entity", SHUANGBAI),
    )
    _entered(
        w, SHUANGBAI, {"measure_2.star_spaces": 1}, lambda: w.register("star_space", SHUANGBAI)
    )


def test_line_measure_3_selected_technicians_and_craftsmen(
    client: TestClient, login: Login
) -> None:
    """措施3: a one-year placement counts under 选派, a craftsman under 能工巧匠 — each
    on the goal's row the measure restates."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {"selected_technicians.technicians": 1},
        lambda: w.match(
            "measure_3", SHUANGBAI, **_long(365, required_categories=["professional_technician"])
        ),
    )
    _counted_once(
        w,
        SHUANGBAI,
        {"craftsmen.craftsmen": 1},
        lambda: w.match("measure_3", SHUANGBAI, required_categories=["craftsman"]),
    )


def test_line_measure_4_sanzhi_yifu_and_county_hospital_experts(
    client: TestClient, login: Login
) -> None:
    """措施4: a 三支一扶 placement; a tertiary hospital's expert at a poverty county's
    hospital (对口帮扶), which the 万名专家 umbrella rolls up."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {"sanzhi_yifu.volunteers": 1},
        lambda: w.match("measure_4", SHUANGBAI, **_long(365, required_categories=["sanzhi_yifu"])),
    )
    _counted_once(
        w,
        SHUANGBAI,
        {"measure_4.county_hospital_experts": 1, UMBRELLA: 1},
        lambda: w.match(
            "measure_4",
            SHUANGBAI,
            "county_hospital",
            institution_type="tertiary_hospital",
            skills=["health.internal_medicine"],
            required_categories=["expert", "professional_technician"],
        ),
    )


def test_line_measure_5_mentors_professionals_new_farmers_and_gp_coverage(
    client: TestClient, login: Login
) -> None:
    """措施5: a teacher mentor, a rural professional (one year), a training of 40 new
    farmers, and a 全科医生 at a poverty county's township health centre (coverage counts
    the health centre once)."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {"rural_teacher_mentors.mentors": 1},
        lambda: w.match(
            "measure_5",
            SHUANGBAI,
            "kindergarten",
            mode="remote",
            skills=["edu.teacher_mentoring"],
            required_categories=["special_post_teacher"],
        ),
    )
    _counted_once(
        w,
        SHUANGBAI,
        {"rural_professionals.professionals": 1},
        lambda: w.match("measure_5", SHUANGBAI, **_long(365, skills=["livestock.veterinary"])),
    )
    _entered(
        w,
        SHUANGBAI,
        {"new_farmers.farmers": 40},
        lambda: w.training("measure_5.new_farmers", SHUANGBAI, 40),
    )
    _counted_once(
        w,
        SHUANGBAI,
        {"measure_5.gp_coverage": 1},
        lambda: w.match(
            "measure_5",
            SHUANGBAI,
            "township_health_center",
            skills=["health.general_practice"],
            required_categories=["general_practitioner"],
        ),
    )


def test_line_measure_6_returnees_and_flexible_bases(client: TestClient, login: Login) -> None:
    """措施6: a returnee from the need's own county; a 候鸟型 station registered."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {"measure_6.returnees": 1},
        lambda: w.match(
            "measure_6",
            SHUANGBAI,
            home_county=True,
            mode="part_time",
            skills=["agri.crop"],
            end_date=date(2025, 10, 31).isoformat(),
            required_categories=["returnee", "veteran"],
        ),
    )
    _entered(
        w,
        SHUANGBAI,
        {"measure_6.flexible_bases": 1},
        lambda: w.register("flexible_base", SHUANGBAI),
    )


def test_line_measure_7_urgent_and_high_level_recruits(client: TestClient, login: Login) -> None:
    """措施7: recruits are entered (12 急需, 3 高层次)."""
    w = Walk(client, login)
    _entered(
        w,
        SHUANGBAI,
        {"measure_7.urgent_technicians": 12},
        lambda: w.entry("measure_7", "measure_7.urgent_technicians", SHUANGBAI, 12),
    )
    _entered(
        w,
        SHUANGBAI,
        {"measure_7.high_level": 3},
        lambda: w.entry("measure_7", "measure_7.high_level", SHUANGBAI, 3),
    )


def test_line_measure_8_wanming_experts_and_technicians_frontline(
    client: TestClient, login: Login
) -> None:
    """措施8 restates G1 and G2: under the measure they count on the goals' rows."""
    w = Walk(client, login)
    _counted_once(
        w,
        SHUANGBAI,
        {UMBRELLA: 1},
        lambda: w.match(
            "measure_8", SHUANGBAI, "green_vegetable_base", required_categories=["expert"]
        ),
    )
    _counted_once(
        w,
        SHUANGBAI,
        {"technicians_frontline.technicians": 1},
        lambda: w.match("measure_8", SHUANGBAI, required_categories=["professional_technician"]),
    )


def test_line_measure_9_staffing_posts(client: TestClient, login: Login) -> None:
    """措施9: 编制 set aside for high-level talents and school staffing, entered."""
    w = Walk(client, login)
    _entered(
        w,
        SHUANGBAI,
        {"measure_9.high_level_posts": 5},
        lambda: w.entry("measure_9", "measure_9.high_level_posts", SHUANGBAI, 5),
    )
    _entered(
        w,
        SHUANGBAI,
        {"measure_9.school_staffing": 2},
        lambda: w.entry("measure_9", "measure_9.school_staffing", SHUANGBAI, 2),
    )


def test_line_measure_10_seminar_and_model_representatives(
    client: TestClient, login: Login
) -> None:
    """措施10: a 州情研修班 of 30 and the model representatives entered (4)."""
    w = Walk(client, login)
    _entered(
        w,
        SHUANGBAI,
        {"measure_10.seminar": 30},
        lambda: w.training("measure_10.seminar", SHUANGBAI, 30),
    )
    _entered(
        w,
        SHUANGBAI,
        {"measure_10.model_representatives": 4},
        lambda: w.entry("measure_10", "measure_10.model_representatives", SHUANGBAI, 4),
    )


def test_every_plan_line_has_its_own_walk(client: TestClient, login: Login) -> None:
    """One test above per line the API lists, named after it, and 21 lines in all."""
    lines = [p["code"] for p in Walk(client, login).ok("GET", "/api/v1/programmes", {})]
    assert len(lines) == 21
    tests = [name for name in globals() if name.startswith("test_line_")]
    for code in lines:
        mine = [name for name in tests if name.startswith(f"test_line_{code}_")]
        assert len(mine) == 1, f"line {code}: tests {mine}"
    assert len(tests) == 21
