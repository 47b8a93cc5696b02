"""Hypothesis strategies for random needs and talents over small value sets, so that
constraints pass and fail often and texts repeat (the encoder cache keeps tests quick)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from matching.types import Mode, NeedProfile, TalentProfile, Window

TEXTS = (
    "全科医生，慢病随访",
    "野生菌保鲜与检测",
    "小学数学双语教学",
    "生猪疫病防治",
    "果树病虫害绿色防控",
    "农村电网维护",
)
LICENCES = ("执业医师", "教师资格", "兽医资格")
LANGUAGES = ("彝语", "普通话")
COUNTIES = ("楚雄市", "双柏县", "牟定县", "南华县")
# Points around 楚雄州 (about 24.5–26.5 N, 100.5–102.5 E).
LATS = st.floats(24.5, 26.5, allow_nan=False)
LONS = st.floats(100.5, 102.5, allow_nan=False)
BASE = date(2025, 1, 1)
CATEGORIES = ("craftsman", "retired_technician", "sanzhi_yifu", "")


@st.composite
def windows(draw: st.DrawFn) -> Window:
    start = BASE + timedelta(days=draw(st.integers(0, 330)))
    return Window(start, start + timedelta(days=draw(st.integers(0, 60))))


@st.composite
def needs(draw: st.DrawFn, id: int) -> NeedProfile:
    located = draw(st.booleans())
    return NeedProfile(
        id=id,
        text=draw(st.sampled_from(TEXTS)),
        mode=draw(st.sampled_from(list(Mode))),
        window=draw(windows()),
        county=draw(st.sampled_from(COUNTIES)),
        lat=draw(LATS) if located else None,
        lon=draw(LONS) if located else None,
        min_title_level=draw(st.integers(0, 5)),
        min_degree_level=draw(st.integers(0, 5)),
        licences=tuple(draw(st.sets(st.sampled_from(LICENCES), max_size=1))),
        languages=tuple(draw(st.sets(st.sampled_from(LANGUAGES), max_size=1))),
        days_needed=draw(st.integers(0, 60)),
        site_id=draw(st.integers(1, 4)),
        programme=draw(st.sampled_from(["1", "2", None])),
        required_categories=tuple(draw(st.sets(st.sampled_from(CATEGORIES[:-1]), max_size=2))),
        long_placement=draw(st.booleans()),
    )


@st.composite
def talents(draw: st.DrawFn, id: int, need_ids: tuple[int, ...] = ()) -> TalentProfile:
    located = draw(st.booleans())
    capacity = draw(st.integers(0, 3))
    return TalentProfile(
        id=id,
        text=draw(st.sampled_from(TEXTS)),
        modes=tuple(draw(st.sets(st.sampled_from(list(Mode)), min_size=1))),
        windows=tuple(draw(st.lists(windows(), max_size=2))),
        home_county=draw(st.sampled_from(COUNTIES)),
        lat=draw(LATS) if located else None,
        lon=draw(LONS) if located else None,
        travel_radius_km=draw(st.sampled_from([0.0, 30.0, 80.0, 300.0])),
        title_level=draw(st.integers(0, 5)),
        degree_level=draw(st.integers(0, 5)),
        licences=tuple(draw(st.sets(st.sampled_from(LICENCES)))),
        languages=tuple(draw(st.sets(st.sampled_from(LANGUAGES)))),
        capacity_concurrent=capacity,
        active_matches=draw(st.integers(0, capacity + 1)),
        capacity_days_per_year=draw(st.sampled_from([30, 100, 365])),
        days_committed=draw(st.integers(0, 100)),
        declined_need_ids=frozenset(draw(st.sets(st.sampled_from(need_ids))))
        if need_ids
        else frozenset(),
        blocked_site_ids=frozenset(draw(st.sets(st.integers(1, 4), max_size=1))),
        paired_site_ids=frozenset(draw(st.sets(st.integers(1, 4), max_size=1))),
        paired_counties=frozenset(draw(st.sets(st.sampled_from(COUNTIES), max_size=1))),
        category=draw(st.sampled_from(CATEGORIES)),
        long_placement_ok=draw(st.booleans()),
        occupied=tuple(draw(st.lists(windows(), max_size=1))),
        engaged=tuple(draw(st.lists(windows(), max_size=2))),
    )


@st.composite
def populations(draw: st.DrawFn, max_needs: int = 5, max_talents: int = 12):  # type: ignore[no-untyped-def]
    n_needs = draw(st.integers(1, max_needs))
    need_list = [draw(needs(id=100 + i)) for i in range(n_needs)]
    need_ids = tuple(n.id for n in need_list)
    n_talents = draw(st.integers(1, max_talents))
    talent_list = [draw(talents(id=1 + i, need_ids=need_ids)) for i in range(n_talents)]
    return need_list, talent_list
