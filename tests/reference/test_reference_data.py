"""The reference data against the plan's own text (楚才组〔2020〕4号).

The plan's text is read from ``<repo>/../shared/docs/``: CI runs a fresh clone with a copy
of ``shared/`` beside it. Tests that read it carry ``needs_plan_text`` and skip on a plain
clone; the checks of the data files on their own always run. The PDF text wraps lines and
puts spaces around numbers, so both sides are compared with every whitespace character
removed.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import pytest

from matching.types import Mode
from reference import (
    Goal,
    Measure,
    Target,
    load_categories,
    load_divisions,
    load_programmes,
    load_taxonomy,
)
from tests.conftest import PLAN_TEXT, needs_plan_text


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@cache
def plan_raw() -> str:
    if not PLAN_TEXT.is_file():
        # A test reached the plan without the marker that skips it on a plain clone.
        pytest.fail(f"the plan's text is missing ({PLAN_TEXT}); mark the test needs_plan_text")
    return PLAN_TEXT.read_text(encoding="utf-8")


@cache
def plan() -> str:
    return squash(plan_raw())


@cache
def task_table() -> str:
    """The task table (任务分解表) at the end of the plan, whitespace removed."""
    text = plan()
    return text[text.index("任务分解表") :]


@cache
def goal_bullets() -> list[str]:
    """The "——" bullets of 一（二）行动目标, in order, each joined across its wrapped lines
    and the page breaks inside it."""
    raw = plan_raw()
    section = raw[raw.index("（二）行动目标") : raw.index("二、行动措施")]
    bullets: list[list[str]] = []
    for line in section.splitlines():
        stripped = line.strip()
        if stripped.startswith("——"):
            bullets.append([stripped[2:]])
        elif bullets:
            bullets[-1].append(stripped)
    return [squash("".join(parts)) for parts in bullets]


def numbers_in(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def check_target_against(target: Target, owner_text: str) -> None:
    """The target quotes its owner and its value, unit, 左右 and 以上 are what it says."""
    assert target.text in owner_text, target.code
    if target.value is None:
        assert target.unit is None, target.code
        assert not target.approx and not target.at_least, target.code
        # A target without a number must not hide one (1-2年 durations aside).
        hidden = set(numbers_in(target.text))
        if target.duration:
            hidden -= {target.duration.min, target.duration.max}
        assert not hidden, target.code
        return
    figure = f"{target.value}{target.unit}"
    assert figure in target.text, (target.code, figure)
    assert target.approx == (f"{figure}左右" in target.text), target.code
    assert target.at_least == (f"{figure}以上" in target.text), target.code
    if target.duration:
        d = target.duration
        assert f"{d.min}-{d.max}{d.unit}" == d.text, target.code
        assert d.text in target.text, target.code


# ---------------------------------------------------------------------------------------
# The plan's meta


def test_plan_meta_as_recorded() -> None:
    meta = load_programmes().plan
    assert meta.doc_number == "楚才组〔2020〕4号"
    assert meta.issuer == "楚雄州人才工作领导小组"
    assert meta.date.isoformat() == "2020-06-01"
    assert meta.poverty_townships_count == 25
    assert f"{meta.poverty_townships_count}个贫困乡镇" == meta.poverty_townships_text


@needs_plan_text
def test_plan_meta_is_the_plans() -> None:
    meta = load_programmes().plan
    assert "2020年6月1日" in plan()
    for text in (meta.doc_number, meta.issuer, meta.printed_by, meta.title, meta.notice_title):
        assert squash(text) in plan(), text
    for basis in meta.basis:
        assert squash(basis) in plan(), basis
    assert meta.poverty_townships_text in plan()


@needs_plan_text
def test_every_target_figure_is_in_the_plan() -> None:
    for owner, target in load_programmes().targets():
        if target.value is not None:
            assert f"{target.value}{target.unit}" in plan(), (owner.code, target.code)


def test_files_carry_source_and_as_of() -> None:
    for data in (load_programmes(), load_divisions(), load_taxonomy(), load_categories()):
        assert data.source.strip()
        assert data.as_of.year >= 2020


def test_data_files_are_package_resources() -> None:
    folder = resources.files("reference").joinpath("data")
    for name in ("programmes.json", "divisions.json", "taxonomy.json", "categories.json"):
        assert folder.joinpath(name).is_file(), name


def test_loaders_are_cached() -> None:
    assert load_programmes() is load_programmes()
    assert load_divisions() is load_divisions()


# ---------------------------------------------------------------------------------------
# 行动目标: the yearly goals


@needs_plan_text
def test_every_goal_bullet_is_stored_verbatim_and_in_order() -> None:
    goals = load_programmes().goals
    bullets = goal_bullets()
    assert len(bullets) == 11
    assert [g.text for g in goals] == bullets


GOAL_FIGURES: dict[str, list[tuple[int | None, str | None, bool, bool]]] = {
    # code: [(value, unit, approx 左右, at_least 以上)]
    "wanming_experts": [(None, None, False, False)],
    "technicians_frontline": [(1000, "名", True, False)],
    "rural_professionals": [(1000, "名", False, False)],
    "new_farmers": [(1000, "名", False, False)],
    "selected_technicians": [(100, "名", False, False)],
    "rural_teacher_mentors": [(100, "名", False, False)],
    "sanzhi_yifu": [(100, "名", False, False)],
    "craftsmen": [(100, "名", True, False)],
    "workstations": [(10, "个", False, False)],
    "agri_entities": [(10, "户", False, False)],
    "blue_fire_phds": [(10, "名", False, False)],
}


def test_goal_figures_as_listed() -> None:
    goals = load_programmes().goals
    assert [g.code for g in goals] == list(GOAL_FIGURES)
    for goal in goals:
        got = [(t.value, t.unit, t.approx, t.at_least) for t in goal.targets]
        assert got == GOAL_FIGURES[goal.code], goal.code


@pytest.mark.parametrize("code", list(GOAL_FIGURES))
def test_goal_targets_match_the_text(code: str) -> None:
    goal = load_programmes().goal(code)
    for target in goal.targets:
        check_target_against(target, goal.text)
        yearly = goal.text.startswith("每年")
        assert (target.period == "yearly") == yearly, target.code
        assert target.period_basis == ("stated" if yearly else "none"), target.code
    # every number of the goal's text is one of its targets' values
    values = {t.value for t in goal.targets}
    assert set(numbers_in(goal.text)) <= values, code


def test_goal_units_are_named_as_the_plan_names_them() -> None:
    for goal in load_programmes().goals:
        if goal.organiser_text is not None:
            assert goal.organiser_text in goal.text, goal.code
        for unit in goal.lead_units:
            assert f"{unit}牵头" in goal.text or f"由{unit}组建" in goal.text, (goal.code, unit)
        for unit in goal.partner_units:
            assert f"会同{unit}" in goal.text or f"、{unit}" in goal.text, (goal.code, unit)
        for name in goal.fields + goal.site_types_text + goal.organising_systems:
            assert name in goal.text, (goal.code, name)


def test_goal_lead_units_spelled_out() -> None:
    p = load_programmes()
    frontline = p.goal("technicians_frontline")
    assert frontline.lead_units == ()
    assert frontline.organiser_text == "从农业农村、科协等行业系统组织"
    assert frontline.organising_systems == ("农业农村", "科协")
    rural = p.goal("rural_professionals")
    assert rural.lead_units == ("州人力资源和社会保障局",)
    assert rural.partner_units == (
        "州农业农村局",
        "州卫健委",
        "州教育体育局",
        "州民政局",
        "州住建局",
        "州生态环境局",
    )
    assert rural.fields == (
        "农技推广",
        "畜牧兽医",
        "农村卫生",
        "乡村教育",
        "农村事务管理",
        "乡村规划",
        "环境整治",
    )
    assert p.goal("new_farmers").fields == (
        "种植业",
        "养殖业",
        "农产品加工",
        "农村物流",
        "电子商务",
        "农业职业经理人",
    )
    assert p.goal("selected_technicians").lead_units == ("州委组织部",)
    assert p.goal("wanming_experts").site_types_text == (
        "医院",
        "品种繁育基地",
        "野生菌种植保护基地",
        "绿色蔬菜基地",
        "生态水果基地",
        "农产品检测中心",
        "野生菌交易市场",
    )


# ---------------------------------------------------------------------------------------
# 任务分解表: the ten measures


MEASURE_FIGURES: dict[int, list[tuple[int | None, str | None, bool, bool]]] = {
    1: [(10, "个", False, False), (10, "名", False, False)],
    2: [(50, "名", True, False), (10, "户", False, False), (5, "家", False, True)],
    3: [(100, "名", False, False), (100, "名", True, False)],
    4: [(100, "名", False, False), (30, "名", False, True)],
    5: [
        (100, "名", False, False),
        (1000, "名", False, False),
        (1000, "名", False, False),
        (None, None, False, False),
    ],
    6: [(20, "名", False, False), (2, "个", False, False)],
    7: [(300, "名", False, True), (20, "名", False, True)],
    8: [(None, None, False, False), (1000, "名", True, False)],
    9: [(None, None, False, False), (None, None, False, False)],
    10: [(60, "名", True, False), (None, None, False, False)],
}


def test_ten_measures_in_four_groups() -> None:
    p = load_programmes()
    assert [m.number for m in p.measures] == list(range(1, 11))
    assert [m.group.label for m in p.measures] == ["（一）"] * 3 + ["（二）"] * 4 + ["（三）"] + [
        "（四）"
    ] * 2


@needs_plan_text
def test_measure_group_headings_are_the_plans() -> None:
    p = load_programmes()
    for group in p.measure_groups:
        # the heading is in the body (二、行动措施) and, wrapped, in the table's first column
        assert group.heading in plan(), group.heading
        first = next(m for m in p.measures if m.group == group)
        assert f"{group.heading}{first.number}." in task_table(), group.heading


def test_measure_figures_as_listed() -> None:
    for measure in load_programmes().measures:
        got = [(t.value, t.unit, t.approx, t.at_least) for t in measure.targets]
        assert got == MEASURE_FIGURES[measure.number], measure.number


@needs_plan_text
@pytest.mark.parametrize("number", range(1, 11))
def test_measure_row_is_the_tables_row(number: int) -> None:
    """主要内容, 目标要求, 牵头单位 and 责任单位 follow each other in the table exactly."""
    m = load_programmes().measure(number)
    row = f"{m.number}.{m.main_content}{m.targets_text}{m.lead_text}{m.responsible_text}"
    assert row in task_table(), number
    # nothing was added: the stored texts have no whitespace the plan lacks
    for text in (m.main_content, m.targets_text, m.lead_text, m.responsible_text):
        assert text == squash(text)


@pytest.mark.parametrize("number", range(1, 11))
def test_measure_targets_match_the_text(number: int) -> None:
    m = load_programmes().measure(number)
    for target in m.targets:
        check_target_against(target, m.targets_text)
    covered: set[int] = set()
    for t in m.targets:
        if t.value is not None:
            covered.add(t.value)
        if t.duration is not None:
            covered |= {t.duration.min, t.duration.max}
    assert set(numbers_in(m.targets_text)) == covered, number


def test_measure_units_as_the_table_has_them() -> None:
    p = load_programmes()
    m5 = p.measure(5)
    assert m5.lead_units == ("州教育体育局", "州卫生健康委", "各县市")
    assert m5.responsible_units == ("州人力资源和社会保障局", "州农业农村局")
    m1 = p.measure(1)
    assert m1.lead_units == ("州科技局", "州人力资源和社会保障局", "州科协")
    assert m1.responsible_units[-1] == "各县市"
    assert p.measure(3).lead_units == ("州人力资源和社会保障局",)
    assert p.measure(4).lead_units == ("州委组织部", "团州委")
    assert p.measure(9).lead_units == ("州委编办",)
    assert p.measure(7).responsible_units == ("各县市",)
    for m in p.measures:
        assert "、".join(m.lead_units) in m.lead_text.replace("，", "、")
        assert "、".join(m.responsible_units) == m.responsible_text.replace("，", "、")


def test_measure_3_duration_is_one_to_two_years() -> None:
    target = load_programmes().measure(3).targets[0]
    assert target.duration is not None
    assert (target.duration.min, target.duration.max, target.duration.unit) == (1, 2, "年")
    assert target.counting is not None
    assert target.counting.modes == ("onsite_long",)
    assert target.counting.min_days == 365


def test_period_basis_points_to_a_goal_with_the_same_figure() -> None:
    p = load_programmes()
    for owner, target in p.targets():
        if not target.period_basis.startswith("goal:"):
            continue
        assert isinstance(owner, Measure)
        goal = p.goal(target.period_basis.removeprefix("goal:"))
        assert any(
            (t.value, t.unit) == (target.value, target.unit) and t.period == "yearly"
            for t in goal.targets
        ), target.code
        assert target.period == "yearly"
        assert goal.code in owner.related_goals


def test_goals_and_measures_point_at_each_other() -> None:
    p = load_programmes()
    for goal in p.goals:
        for number in goal.related_measures:
            assert goal.code in p.measure(number).related_goals, (goal.code, number)


def test_target_codes_are_unique_and_prefixed_by_owner() -> None:
    p = load_programmes()
    codes = [t.code for _, t in p.targets()]
    assert len(codes) == len(set(codes))
    for owner, target in p.targets():
        assert target.code.startswith(owner.code + "."), target.code


def test_counting_hints() -> None:
    p = load_programmes()
    by_code = {t.code: t for _, t in p.targets()}
    sanzhi = by_code["measure_4.sanzhi_yifu"].counting
    assert sanzhi is not None and sanzhi.talent_categories == ("sanzhi_yifu",)
    frontline = by_code["technicians_frontline.technicians"].counting
    assert frontline is not None and frontline.modes is not None
    assert "onsite_short" in frontline.modes
    # figures about staffing, seminars, applications and hiring are entered by hand
    for code in (
        "measure_9.high_level_posts",
        "measure_9.school_staffing",
        "measure_10.seminar",
        "measure_2.sanqu_talents",
        "measure_7.urgent_technicians",
        "workstations.workstations",
    ):
        assert by_code[code].counting is None, code
    gp = by_code["measure_5.gp_coverage"].counting
    assert gp is not None and gp.count == "coverage_sites" and gp.poverty_county_only


def test_every_goal_and_measure_is_a_programme_with_a_target() -> None:
    p = load_programmes()
    owners: list[Goal | Measure] = [*p.goals, *p.measures]
    assert len(owners) == 21
    assert all(o.targets for o in owners)


# ---------------------------------------------------------------------------------------
# Divisions

COUNTY_TOWN_COUNTS = {
    # name: (镇, 乡 incl. 民族乡), the published counts of the 2021+ division lists
    "楚雄市": (12, 3),
    "双柏县": (5, 3),
    "牟定县": (4, 3),
    "南华县": (6, 4),
    "姚安县": (6, 3),
    "大姚县": (8, 4),
    "永仁县": (3, 4),
    "元谋县": (3, 7),
    "武定县": (7, 4),
    "禄丰市": (11, 3),
}


def test_ten_county_level_divisions() -> None:
    d = load_divisions()
    assert d.prefecture.code == "532300"
    assert [c.name for c in d.counties] == list(COUNTY_TOWN_COUNTS)
    assert len({c.code for c in d.counties}) == 10
    for c in d.counties:
        assert c.code.startswith("5323"), c.name
        towns = sum(t.kind == "town" for t in c.townships)
        assert (towns, len(c.townships) - towns) == COUNTY_TOWN_COUNTS[c.name], c.name
    assert len(d.townships()) == 103


def test_lufeng_keeps_its_plan_era_name() -> None:
    d = load_divisions()
    lufeng = d.county("禄丰县")
    assert lufeng.name == "禄丰市" and lufeng.former_name == "禄丰县"
    assert lufeng.code == "532381" and lufeng.former_code == "532331"
    assert d.county("532331") is lufeng
    assert d.county("大姚县").former_name is None


@needs_plan_text
def test_the_plan_speaks_of_lufeng_county() -> None:
    # the plan speaks of 禄丰县 and 大姚县, hence the former name above
    assert "禄丰县老年护理院" in plan() and "大姚县老年护理院" in plan()


def test_every_point_inside_the_bounding_box_with_a_margin() -> None:
    d = load_divisions()
    points = [(t.lat, t.lon) for t in d.townships()] + [(c.lat, c.lon) for c in d.counties]
    points.append((d.prefecture.lat, d.prefecture.lon))
    for lat, lon in points:
        assert d.bbox.contains(lat, lon), (lat, lon)
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    margin = 0.05 - 1e-9
    assert d.bbox.min_lat <= min(lats) - margin and d.bbox.max_lat >= max(lats) + margin
    assert d.bbox.min_lon <= min(lons) - margin and d.bbox.max_lon >= max(lons) + margin
    assert d.bbox.covers(d.prefecture.extent)
    # the box is the prefecture's, not a whole province's
    assert d.bbox.min_lat >= 24.0 and d.bbox.max_lat <= 26.7
    assert d.bbox.min_lon >= 100.5 and d.bbox.max_lon <= 102.7
    assert not d.bbox.contains(25.04, 102.71)  # 昆明
    assert not d.bbox.contains(25.61, 100.27)  # 大理


def test_county_seats_sit_on_their_seat_township() -> None:
    d = load_divisions()
    for c in d.counties:
        seat = d.find_township(c.code, c.seat)
        assert seat is not None, c.name
        assert abs(seat.lat - c.lat) <= 0.05 and abs(seat.lon - c.lon) <= 0.05, c.name
    assert d.prefecture.seat_county == d.county("楚雄市").code


def test_altitudes_are_plausible_for_chuxiong() -> None:
    for t in load_divisions().townships():
        # the Jinsha valley floor is below 1000 m; the highest peaks are ~3657 m
        assert 800 <= t.altitude_m <= 3000, t.code


def test_exactly_25_poverty_townships_as_the_plan_says() -> None:
    d = load_divisions()
    assert len(d.poverty_townships()) == load_programmes().plan.poverty_townships_count == 25
    # the stand-in set is declared as such in the file
    assert any("stand-in" in note for note in d.notes)


def test_division_codes_and_names_unique() -> None:
    d = load_divisions()
    codes = [t.code for t in d.townships()]
    assert len(codes) == len(set(codes))
    names = [(t.county_code, t.name) for t in d.townships()]
    assert len(names) == len(set(names))
    for t in d.townships():
        assert t.name.endswith(("镇", "乡")), t.name
        assert t.en.strip() and t.name.strip()


def test_coordinates_declared_approximate() -> None:
    notes = " ".join(load_divisions().notes)
    assert "近似" in notes


# ---------------------------------------------------------------------------------------
# Taxonomy

REQUIRED_DOMAINS = [
    "农技推广",
    "畜牧兽医",
    "农村卫生",
    "乡村教育",
    "农村事务管理",
    "乡村规划",
    "环境整治",
    "种植业",
    "养殖业",
    "农产品加工",
    "农村物流",
    "电子商务",
    "农业职业经理人",
    "野生菌",
    "品种繁育",
    "农产品检测",
    "养老服务",
    "全科医学",
    "双语教学",
    "绿色蔬菜",
    "生态水果",
    "文化旅游",
    "生态环境保护",
    "健康养老",
    "职业教育",
    "幼儿教育",
    "科技成果转化",
    "舞台表演",
    "播音主持",
    "医技",
    # Not named by the plan, but asked for by sites and untaggable before (issue 15).
    "心理健康",
    "食品安全检测",
]

# Domains the plan itself names word for word.
PLAN_NAMED_DOMAINS = [
    "农技推广",
    "畜牧兽医",
    "农村卫生",
    "乡村教育",
    "农村事务管理",
    "乡村规划",
    "环境整治",
    "种植业",
    "养殖业",
    "农产品加工",
    "农村物流",
    "电子商务",
    "农业职业经理人",
    "生态环境保护",
    "健康养老",
    "职业教育",
    "舞台表演",
    "医技",
]


@needs_plan_text
def test_plan_named_domains_are_the_plans_words() -> None:
    for domain in PLAN_NAMED_DOMAINS:
        assert domain in plan(), domain


@pytest.mark.parametrize("domain", REQUIRED_DOMAINS)
def test_taxonomy_covers_domain(domain: str) -> None:
    assert load_taxonomy().find(domain) is not None, domain


def test_taxonomy_shape() -> None:
    tax = load_taxonomy()
    leaves = tax.leaves()
    assert 60 <= len(leaves) <= 90
    assert len({leaf.code for leaf in leaves}) == len(leaves)
    assert set(REQUIRED_DOMAINS) <= set(tax.plan_domains)
    for group in tax.groups:
        assert group.zh.strip() and group.en.strip()
        for leaf in group.leaves:
            assert leaf.code.startswith(group.code + ".")
            assert leaf.zh.strip() and leaf.en.strip()
            assert 1 <= len(leaf.keywords) <= 8


def test_programme_field_codes_resolve() -> None:
    tax = load_taxonomy()
    for goal in load_programmes().goals:
        for code in goal.field_codes:
            tax.leaf(code)
        # each named field of a goal maps onto one of its field codes
        for name in goal.fields:
            leaf = tax.find(name)
            if leaf is not None:
                assert leaf.code in goal.field_codes, (goal.code, name)


# ---------------------------------------------------------------------------------------
# Categories


def test_categories_cover_design_and_plan() -> None:
    cats = load_categories()
    zh = {t.zh for t in cats.talent_categories}
    for name in (
        "专家",
        "专业技术人员",
        "退休专技人员",
        "三支一扶/大学生志愿者",
        "特岗教师",
        "全科医生",
        "蓝火计划博士",
        "返乡人才",
        "退役军人",
        "能工巧匠/土专家/田秀才",
        "军队转业干部",
        "农业专家顾问团成员",
    ):
        assert name in zh, name
    site_zh = {t.zh for t in cats.site_types}
    for name in (
        "乡镇卫生院",
        "县级医院",
        "品种繁育基地",
        "野生菌种植保护基地",
        "野生菌交易市场",
        "绿色蔬菜基地",
        "生态水果基地",
        "农产品检测中心",
        "乡村学校",
        "幼儿园",
        "养老院/老年护理院",
        "乡镇政府",
        "村委会",
        "农业企业/合作社",
        "留创园",
    ):
        assert name in site_zh, name
    inst_zh = {t.zh for t in cats.institution_types}
    for name in ("三级医院", "高校", "科研院所", "国有企业", "民营企业", "社会组织", "职业学校"):
        assert name in inst_zh, name
    assert [x.zh for x in cats.title_levels] == [
        "无",
        "员级",
        "助理/初级",
        "中级",
        "副高级",
        "正高级",
    ]
    assert [x.zh for x in cats.degree_levels] == [
        "高中及以下",
        "中专",
        "大专",
        "本科",
        "硕士",
        "博士",
    ]
    lic = {t.zh for t in cats.licences}
    assert {"执业医师", "执业助理医师", "护士执业资格", "教师资格", "执业兽医"} <= lic
    assert {"普通话", "彝语"} <= {t.zh for t in cats.languages}


def test_modes_are_the_matchers_modes() -> None:
    assert [m.code for m in load_categories().modes] == [m.value for m in Mode]


@needs_plan_text
def test_plan_terms_are_the_plans_words() -> None:
    cats = load_categories()
    for kind in ("talent_categories", "site_types", "institution_types", "licences", "modes"):
        for entry in getattr(cats, kind):
            for term in entry.plan_terms:
                assert squash(term) in plan(), (kind, entry.code, term)


def test_all_names_non_empty_and_codes_unique() -> None:
    cats = load_categories()
    for kind in (
        "talent_categories",
        "site_types",
        "institution_types",
        "title_levels",
        "degree_levels",
        "licences",
        "languages",
        "modes",
    ):
        entries = getattr(cats, kind)
        assert entries, kind
        assert len({e.code for e in entries}) == len(entries), kind
        for e in entries:
            assert e.zh.strip() and e.en.strip(), (kind, e.code)
    d = load_divisions()
    for c in d.counties:
        assert c.name.strip() and c.en.strip()
