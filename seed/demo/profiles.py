"""The demo population's tables: dates, per-category profiles of talents, and the modes,
spans and days of needs per domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from seed.demo.domains import CROPS, DOMAINS

DEMO_START = date(2025, 1, 1)
DEMO_END = date(2027, 12, 31)
PAST_END = date(2024, 6, 30)  # the windows of talents who fit nothing end before this

CROP_SEASON = dict(CROPS)

NICKNAMES: dict[str, tuple[str, ...]] = {
    "fungi": ("菌子王", "{fungus}王", "找菌能手"),
    "crops": ("{crop}专家", "{crop}大王", "田秀才"),
    "breeding": ("育苗能手", "{crop}专家"),
    "husbandry": ("{animal}王", "养殖能手", "土兽医"),
    "tourism": ("彝绣能手", "火把节总管"),
    "processing": ("{product}师傅", "加工能手"),
}
for _d in DOMAINS:
    NICKNAMES.setdefault(_d.key, ("土专家", "能人"))

TREE_CROPS = ("核桃", "花椒", "青花椒", "芒果", "石榴", "葡萄", "蓝莓")
FIELD_CROPS = ("烤烟", "冬早蔬菜", "番茄", "马铃薯", "魔芋")
ARCHETYPE_CROPS: dict[str, tuple[str, ...]] = {
    "veg_base": ("冬早蔬菜", "番茄", "马铃薯"),
    "fruit_base": ("芒果", "石榴", "葡萄", "蓝莓"),
}


# Share of talents per category (the plan's talent kinds), before the guaranteed first of each.
CATEGORY_WEIGHTS: dict[str, int] = {
    "expert": 10,
    "professional": 18,
    "retired": 8,
    "volunteer": 10,
    "teacher": 10,
    "gp": 8,
    "phd": 3,
    "returnee": 10,
    "veteran": 6,
    "craftsman": 12,
}


@dataclass(frozen=True, slots=True)
class CategoryProfile:
    age: tuple[int, int]
    title: tuple[tuple[int, int], ...]  # (level, weight)
    degree: tuple[tuple[int, int], ...]
    domains: tuple[tuple[str, int], ...]
    institution_kinds: tuple[str, ...]
    institution_share: float
    modes: tuple[str, ...]
    n_modes: tuple[int, int]
    required_mode: str | None
    radius: tuple[int, int]
    concurrent: tuple[int, int]
    days: tuple[int, int]
    home_share: float  # share with a home county in the prefecture
    yi_share: float  # share speaking Yi among those with a home county
    en_share: float
    required_always: bool = False


_ALL_DOMAINS = tuple((d.key, 1) for d in DOMAINS)

PROFILES: dict[str, CategoryProfile] = {
    "expert": CategoryProfile(
        age=(38, 62),
        title=((4, 55), (5, 45)),
        degree=((3, 15), (4, 35), (5, 50)),
        domains=(*_ALL_DOMAINS, ("health", 4), ("crops", 2), ("fungi", 2)),
        institution_kinds=("hospital3", "university", "research"),
        institution_share=0.95,
        modes=("onsite_short", "remote", "project", "part_time", "seasonal"),
        n_modes=(2, 3),
        required_mode="onsite_short",
        radius=(150, 500),
        concurrent=(1, 3),
        days=(15, 60),
        home_share=0.15,
        yi_share=0.3,
        en_share=0.5,
    ),
    "professional": CategoryProfile(
        age=(28, 55),
        title=((2, 25), (3, 50), (4, 25)),
        degree=((2, 20), (3, 65), (4, 15)),
        domains=(*_ALL_DOMAINS, ("crops", 2), ("health", 2), ("husbandry", 1)),
        institution_kinds=("hospital3", "research", "pref_inst", "soe", "university"),
        institution_share=0.4,
        modes=("onsite_long", "onsite_short", "part_time", "remote"),
        n_modes=(1, 2),
        required_mode=None,
        radius=(30, 150),
        concurrent=(1, 2),
        days=(30, 200),
        home_share=0.65,
        yi_share=0.35,
        en_share=0.1,
    ),
    "retired": CategoryProfile(
        age=(58, 74),
        title=((4, 60), (5, 40)),
        degree=((2, 20), (3, 65), (4, 15)),
        domains=(
            ("health", 4),
            ("teaching", 4),
            ("crops", 3),
            ("husbandry", 2),
            ("fungi", 1),
            ("breeding", 1),
            ("elderly", 1),
            ("testing", 1),
        ),
        institution_kinds=("hospital3", "university", "research"),
        institution_share=0.5,
        modes=("part_time", "remote", "onsite_short", "seasonal"),
        n_modes=(1, 3),
        required_mode=None,
        radius=(20, 200),
        concurrent=(1, 2),
        days=(20, 90),
        home_share=0.45,
        yi_share=0.3,
        en_share=0.05,
    ),
    "volunteer": CategoryProfile(
        age=(21, 26),
        title=((0, 70), (1, 15), (2, 15)),
        degree=((2, 30), (3, 65), (4, 5)),
        domains=(
            ("teaching", 6),
            ("health", 2),
            ("management", 4),
            ("ecommerce", 3),
            ("crops", 2),
            ("planning", 2),
            ("elderly", 1),
        ),
        institution_kinds=("social",),
        institution_share=0.2,
        modes=("onsite_long",),
        n_modes=(1, 1),
        required_mode="onsite_long",
        radius=(100, 300),
        concurrent=(1, 1),
        days=(220, 250),
        home_share=0.5,
        yi_share=0.4,
        en_share=0.3,
        required_always=True,
    ),
    "teacher": CategoryProfile(
        age=(22, 35),
        title=((1, 25), (2, 45), (3, 30)),
        degree=((2, 20), (3, 80)),
        domains=(("teaching", 1),),
        institution_kinds=(),
        institution_share=0.0,
        modes=("onsite_long", "remote", "part_time"),
        n_modes=(1, 2),
        required_mode="onsite_long",
        radius=(20, 80),
        concurrent=(1, 1),
        days=(200, 240),
        home_share=0.6,
        yi_share=0.5,
        en_share=0.2,
        required_always=True,
    ),
    "gp": CategoryProfile(
        age=(26, 50),
        title=((2, 40), (3, 45), (4, 15)),
        degree=((2, 30), (3, 65), (4, 5)),
        domains=(("health", 1),),
        institution_kinds=(),
        institution_share=0.0,
        modes=("onsite_long", "onsite_short", "part_time"),
        n_modes=(1, 2),
        required_mode=None,
        radius=(20, 80),
        concurrent=(1, 2),
        days=(100, 240),
        home_share=0.6,
        yi_share=0.45,
        en_share=0.05,
    ),
    "phd": CategoryProfile(
        age=(26, 35),
        title=((2, 30), (3, 50), (4, 20)),
        degree=((5, 1),),
        domains=(
            ("breeding", 3),
            ("fungi", 3),
            ("crops", 2),
            ("testing", 2),
            ("processing", 2),
            ("husbandry", 1),
            ("planning", 1),
        ),
        institution_kinds=("university", "research"),
        institution_share=0.9,
        modes=("project", "onsite_short", "seasonal", "remote"),
        n_modes=(2, 3),
        required_mode="project",
        radius=(100, 400),
        concurrent=(1, 2),
        days=(20, 90),
        home_share=0.1,
        yi_share=0.2,
        en_share=0.9,
    ),
    "returnee": CategoryProfile(
        age=(25, 48),
        title=((0, 70), (1, 15), (2, 15)),
        degree=((1, 20), (2, 35), (3, 40), (4, 5)),
        domains=(
            ("ecommerce", 4),
            ("processing", 2),
            ("tourism", 2),
            ("crops", 2),
            ("management", 2),
            ("husbandry", 1),
            ("fungi", 1),
        ),
        institution_kinds=("private",),
        institution_share=0.15,
        modes=("onsite_long", "project", "part_time"),
        n_modes=(1, 2),
        required_mode=None,
        radius=(15, 60),
        concurrent=(1, 2),
        days=(60, 200),
        home_share=1.0,
        yi_share=0.55,
        en_share=0.05,
    ),
    "veteran": CategoryProfile(
        age=(24, 45),
        title=((0, 85), (1, 15)),
        degree=((1, 30), (2, 40), (3, 30)),
        domains=(
            ("management", 4),
            ("husbandry", 2),
            ("crops", 2),
            ("ecommerce", 2),
            ("planning", 1),
        ),
        institution_kinds=(),
        institution_share=0.0,
        modes=("onsite_long", "part_time", "onsite_short"),
        n_modes=(1, 2),
        required_mode=None,
        radius=(10, 60),
        concurrent=(1, 1),
        days=(100, 250),
        home_share=0.85,
        yi_share=0.5,
        en_share=0.0,
    ),
    "craftsman": CategoryProfile(
        age=(35, 70),
        title=((0, 60), (1, 30), (2, 10)),
        degree=((0, 50), (1, 35), (2, 15)),
        domains=(
            ("crops", 4),
            ("fungi", 3),
            ("husbandry", 3),
            ("tourism", 2),
            ("processing", 1),
            ("breeding", 1),
        ),
        institution_kinds=(),
        institution_share=0.0,
        modes=("onsite_short", "part_time", "project"),
        n_modes=(1, 2),
        required_mode=None,
        radius=(5, 50),
        concurrent=(1, 3),
        days=(20, 100),
        home_share=1.0,
        yi_share=0.8,
        en_share=0.0,
    ),
}

NEED_MODE_WEIGHTS: dict[str, tuple[tuple[str, int], ...]] = {
    "health": (
        ("onsite_long", 35),
        ("onsite_short", 20),
        ("remote", 15),
        ("part_time", 20),
        ("seasonal", 10),
    ),
    "teaching": (("onsite_long", 50), ("part_time", 15), ("remote", 20), ("onsite_short", 15)),
    "elderly": (("onsite_long", 30), ("onsite_short", 35), ("part_time", 20), ("remote", 15)),
}
_AGRI_MODES = (
    ("onsite_short", 40),
    ("seasonal", 15),
    ("project", 15),
    ("onsite_long", 15),
    ("remote", 10),
    ("part_time", 5),
)
_OTHER_MODES = (
    ("onsite_short", 25),
    ("project", 25),
    ("remote", 15),
    ("part_time", 20),
    ("onsite_long", 15),
)
for _k in ("fungi", "crops", "breeding", "husbandry", "testing", "processing"):
    NEED_MODE_WEIGHTS[_k] = _AGRI_MODES
for _k in ("ecommerce", "planning", "tourism", "management"):
    NEED_MODE_WEIGHTS[_k] = _OTHER_MODES

# Span of a need's window (days) and days of work asked for, per mode.
NEED_SPAN: dict[str, tuple[int, int]] = {
    "onsite_long": (365, 730),
    "onsite_short": (14, 90),
    "seasonal": (60, 150),
    "remote": (90, 365),
    "part_time": (180, 365),
    "project": (180, 540),
}
NEED_DAYS: dict[str, tuple[int, int]] = {
    "onsite_long": (180, 450),
    "onsite_short": (3, 20),
    "seasonal": (30, 90),
    "remote": (10, 60),
    "part_time": (20, 80),
    "project": (30, 200),
}


# --- helpers ------------------------------------------------------------------------------
