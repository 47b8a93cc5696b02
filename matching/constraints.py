"""Hard constraints: a pair that fails any of them is never recommended.

Two views of the same rules:

- :func:`why_not` explains one pair, one :class:`Violation` (zh + en) per failed rule;
- :class:`TalentArrays` / :class:`NeedArrays` precompute columns so that
  :func:`feasible_talents` and :func:`feasible_needs` test one profile against 100,000
  others with numpy. Tests hold the two views to the same answer.

Missing information is not a violation: a talent without availability windows has not
restricted their time, and a distance is only checked when both sides have coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from matching.geo import haversine_km
from matching.labels import category_en, category_zh, name_en, name_zh
from matching.types import Mode, NeedProfile, TalentProfile, Window

_MODES: tuple[Mode, ...] = tuple(Mode)
_MODE_BIT: dict[Mode, int] = {m: 1 << i for i, m in enumerate(_MODES)}
_NO_DAY_START = np.iinfo(np.int32).max  # padding that overlaps nothing
_NO_DAY_END = np.iinfo(np.int32).min


class Constraint(StrEnum):
    """Names of the hard constraints, as they appear in :class:`Violation`."""

    WINDOW = "window"
    MODE = "mode"
    TITLE = "title"
    DEGREE = "degree"
    LICENCE = "licence"
    DISTANCE = "distance"
    LANGUAGE = "language"
    CAPACITY_CONCURRENT = "capacity_concurrent"
    CAPACITY_DAYS = "capacity_days"
    DECLINED = "declined"
    BLOCKED = "blocked"
    CATEGORY = "category"
    LONG_PLACEMENT = "long_placement"
    OCCUPIED = "occupied"


@dataclass(frozen=True, slots=True)
class Violation:
    """One failed hard constraint, with a sentence for people in Chinese and English."""

    constraint: Constraint
    zh: str
    en: str


def _overlaps(need: NeedProfile, talent: TalentProfile) -> bool:
    return not talent.windows or any(w.overlap_days(need.window) > 0 for w in talent.windows)


def pair_distance_km(need: NeedProfile, talent: TalentProfile) -> float | None:
    """Distance between the site and the talent's base, or None if either is unknown."""
    if need.lat is None or need.lon is None or talent.lat is None or talent.lon is None:
        return None
    return float(haversine_km(need.lat, need.lon, talent.lat, talent.lon))


def _window(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    if _overlaps(need, talent):
        return None
    return Violation(
        Constraint.WINDOW,
        f"服务时间不重合：需求时段 {need.window.start}～{need.window.end} 与本人可服务时段无交集",
        f"no shared time: the need runs {need.window.start} to {need.window.end}, "
        "outside every availability window of the talent",
    )


def _mode(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    if need.mode in talent.modes:
        return None
    return Violation(
        Constraint.MODE,
        f"服务方式不符：需求为{name_zh('mode', need.mode.value)}，本人可选"
        f"{'、'.join(name_zh('mode', m.value) for m in talent.modes) or '无'}",
        f"mode mismatch: the need asks for {name_en('mode', need.mode.value)}; the talent "
        f"offers {', '.join(name_en('mode', m.value) for m in talent.modes) or 'none'}",
    )


def _title(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    if talent.title_level >= need.min_title_level:
        return None
    return Violation(
        Constraint.TITLE,
        f"职称不足：要求{name_zh('title', need.min_title_level)}及以上，"
        f"本人职称：{name_zh('title', talent.title_level)}",
        f"title too low: {name_en('title', need.min_title_level)} or above required; "
        f"the talent's title: {name_en('title', talent.title_level)}",
    )


def _degree(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    if talent.degree_level >= need.min_degree_level:
        return None
    return Violation(
        Constraint.DEGREE,
        f"学历不足：要求{name_zh('degree', need.min_degree_level)}及以上，"
        f"本人学历：{name_zh('degree', talent.degree_level)}",
        f"degree too low: {name_en('degree', need.min_degree_level)} or above required; "
        f"the talent's degree: {name_en('degree', talent.degree_level)}",
    )


def _licence(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    missing_licences = [lic for lic in need.licences if lic not in talent.licences]
    if not missing_licences:
        return None
    return Violation(
        Constraint.LICENCE,
        f"缺少资格证书：{'、'.join(name_zh('licence', c) for c in missing_licences)}",
        f"missing licence: {', '.join(name_en('licence', c) for c in missing_licences)}",
    )


def _distance(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    distance = pair_distance_km(need, talent)
    if need.mode == Mode.REMOTE or distance is None or distance <= talent.travel_radius_km:
        return None
    return Violation(
        Constraint.DISTANCE,
        f"距离超出出行半径：约 {distance:.0f} 公里，本人愿意前往 "
        f"{talent.travel_radius_km:.0f} 公里以内",
        f"too far: about {distance:.0f} km away, the talent travels up to "
        f"{talent.travel_radius_km:.0f} km",
    )


def _language(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    missing_languages = [lang for lang in need.languages if lang not in talent.languages]
    if not missing_languages:
        return None
    return Violation(
        Constraint.LANGUAGE,
        f"语言不符：需要{'、'.join(name_zh('language', c) for c in missing_languages)}",
        "language: the need requires "
        f"{', '.join(name_en('language', c) for c in missing_languages)}",
    )


def _capacity_concurrent(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    if talent.active_matches < talent.capacity_concurrent:
        return None
    return Violation(
        Constraint.CAPACITY_CONCURRENT,
        f"同时服务已满：已有 {talent.active_matches} 项，上限 {talent.capacity_concurrent}",
        f"fully booked: {talent.active_matches} active matches of "
        f"{talent.capacity_concurrent} allowed",
    )


def _capacity_days(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    # A long placement occupies its dates full-time (see _occupied) instead of
    # spending days of the yearly budget, which is for short service.
    if need.long_placement:
        return None
    if talent.days_committed + need.days_needed <= talent.capacity_days_per_year:
        return None
    return Violation(
        Constraint.CAPACITY_DAYS,
        f"年度服务天数不足：已承诺 {talent.days_committed} 天，"
        f"本需求 {need.days_needed} 天，上限 {talent.capacity_days_per_year} 天",
        f"not enough days: {talent.days_committed} committed + {need.days_needed} "
        f"needed > {talent.capacity_days_per_year} per year",
    )


def _declined(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    if need.id not in talent.declined_need_ids:
        return None
    return Violation(
        Constraint.DECLINED, "本人此前已婉拒该需求", "the talent declined this need before"
    )


def _blocked(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    if need.site_id is None or need.site_id not in talent.blocked_site_ids:
        return None
    return Violation(
        Constraint.BLOCKED,
        "该站点与本人之间已设屏蔽",
        "this site and the talent are blocked from each other",
    )


def _category_names(codes: Sequence[str]) -> str:
    return "、".join(category_zh(c) for c in codes)


def _category(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    if not need.required_categories or talent.category in need.required_categories:
        return None
    return Violation(
        Constraint.CATEGORY,
        f"人才类别不符：需要：{_category_names(need.required_categories)}；"
        f"本人：{_category_names([talent.category]) if talent.category else '未填写'}",
        "talent category: the need asks for "
        f"{' or '.join(category_en(c) for c in need.required_categories)}; the talent is "
        f"{category_en(talent.category) if talent.category else 'not categorised'}",
    )


def _long_placement(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    if not need.long_placement or talent.long_placement_ok:
        return None
    return Violation(
        Constraint.LONG_PLACEMENT,
        f"本需求为长期派驻（{need.days_needed} 天，全职），本人未表示可接受长期派驻",
        f"a long placement ({need.days_needed} days, full-time); the talent is not "
        "available for long placements",
    )


def _clash(need: NeedProfile, windows: Sequence[Window]) -> Window | None:
    return next((w for w in windows if w.overlap_days(need.window) > 0), None)


def _occupied(need: NeedProfile, talent: TalentProfile) -> Violation | None:
    clash = _clash(need, talent.occupied)
    if clash is None and need.long_placement:
        clash = _clash(need, talent.engaged)
    if clash is None:
        return None
    return Violation(
        Constraint.OCCUPIED,
        f"时间冲突：本人 {clash.start}～{clash.end} 已有派驻或服务，"
        f"与需求时段 {need.window.start}～{need.window.end} 重叠（长期派驻为全职）",
        f"busy: the talent holds a placement from {clash.start} to {clash.end}, which "
        f"overlaps the need's {need.window.start} to {need.window.end} "
        "(a long placement is full-time)",
    )


# One check per constraint, in :class:`Constraint` order.
_CHECKS = (
    _window,
    _mode,
    _title,
    _degree,
    _licence,
    _distance,
    _language,
    _capacity_concurrent,
    _capacity_days,
    _declined,
    _blocked,
    _category,
    _long_placement,
    _occupied,
)


def why_not(need: NeedProfile, talent: TalentProfile) -> list[Violation]:
    """Every hard constraint the pair fails, in :class:`Constraint` order; [] if none."""
    return [v for check in _CHECKS if (v := check(need, talent)) is not None]


def _mode_bits(modes: Sequence[Mode]) -> int:
    bits = 0
    for m in modes:
        bits |= _MODE_BIT[Mode(m)]
    return bits


def _flag_columns(values: Sequence[Sequence[str]]) -> dict[str, np.ndarray]:
    """One boolean column per distinct string: row i is True if values[i] holds it."""
    columns: dict[str, np.ndarray] = {}
    for row, items in enumerate(values):
        for item in items:
            column = columns.get(item)
            if column is None:
                column = columns[item] = np.zeros(len(values), dtype=bool)
            column[row] = True
    return columns


def _rows_by_key(keys_per_row: Sequence[frozenset[int]]) -> dict[int, np.ndarray]:
    rows: dict[int, list[int]] = {}
    for row, keys in enumerate(keys_per_row):
        for key in keys:
            rows.setdefault(int(key), []).append(row)
    return {k: np.array(v, dtype=np.int64) for k, v in rows.items()}


def _nan_coord(value: float | None) -> float:
    return np.nan if value is None else float(value)


def _padded_windows(rows: Sequence[Sequence[Window]]) -> tuple[np.ndarray, np.ndarray]:
    """(N, W) ordinal start and end days; padding overlaps nothing."""
    n = len(rows)
    width = max((len(r) for r in rows), default=0) or 1
    start = np.full((n, width), _NO_DAY_START, dtype=np.int32)
    end = np.full((n, width), _NO_DAY_END, dtype=np.int32)
    for row, windows in enumerate(rows):
        for col, w in enumerate(windows):
            start[row, col] = w.start.toordinal()
            end[row, col] = w.end.toordinal()
    return start, end


def _any_overlap(start: np.ndarray, end: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """(N,) bool: some window of the row overlaps the closed day range [lo, hi]."""
    return np.asarray((np.maximum(start, lo) <= np.minimum(end, hi)).any(1))


@dataclass(frozen=True, slots=True)
class TalentArrays:
    """Constraint columns of N talents (row order = ``talents`` order)."""

    ids: np.ndarray  # (N,) int64
    mode_bits: np.ndarray  # (N,) int32
    has_windows: np.ndarray  # (N,) bool
    window_start: np.ndarray  # (N, W) int32 ordinal days, padded
    window_end: np.ndarray  # (N, W) int32
    title: np.ndarray  # (N,) int16
    degree: np.ndarray  # (N,) int16
    licences: dict[str, np.ndarray]  # licence -> (N,) bool
    languages: dict[str, np.ndarray]  # language -> (N,) bool
    lat: np.ndarray  # (N,) float64, NaN if unknown
    lon: np.ndarray  # (N,) float64
    travel_radius_km: np.ndarray  # (N,) float64
    free_slots: np.ndarray  # (N,) int64: capacity_concurrent - active_matches
    free_days: np.ndarray  # (N,) int64: capacity_days_per_year - days_committed
    declined_rows: dict[int, np.ndarray]  # need id -> rows that declined it
    blocked_rows: dict[int, np.ndarray]  # site id -> rows that blocked it
    category: np.ndarray  # (N,) str
    long_ok: np.ndarray  # (N,) bool
    occupied_start: np.ndarray  # (N, K) int32: held long placements, padded
    occupied_end: np.ndarray
    engaged_start: np.ndarray  # (N, K) int32: every held placement, padded
    engaged_end: np.ndarray

    @classmethod
    def build(cls, talents: Sequence[TalentProfile]) -> TalentArrays:
        start, end = _padded_windows([t.windows for t in talents])
        occupied_start, occupied_end = _padded_windows([t.occupied for t in talents])
        engaged_start, engaged_end = _padded_windows([t.engaged for t in talents])
        return cls(
            ids=np.array([t.id for t in talents], dtype=np.int64),
            mode_bits=np.array([_mode_bits(t.modes) for t in talents], dtype=np.int32),
            has_windows=np.array([bool(t.windows) for t in talents], dtype=bool),
            window_start=start,
            window_end=end,
            title=np.array([t.title_level for t in talents], dtype=np.int16),
            degree=np.array([t.degree_level for t in talents], dtype=np.int16),
            licences=_flag_columns([t.licences for t in talents]),
            languages=_flag_columns([t.languages for t in talents]),
            lat=np.array([_nan_coord(t.lat) for t in talents], dtype=np.float64),
            lon=np.array([_nan_coord(t.lon) for t in talents], dtype=np.float64),
            travel_radius_km=np.array([t.travel_radius_km for t in talents], dtype=np.float64),
            free_slots=np.array(
                [t.capacity_concurrent - t.active_matches for t in talents], dtype=np.int64
            ),
            free_days=np.array(
                [t.capacity_days_per_year - t.days_committed for t in talents], dtype=np.int64
            ),
            declined_rows=_rows_by_key([t.declined_need_ids for t in talents]),
            blocked_rows=_rows_by_key([t.blocked_site_ids for t in talents]),
            category=np.array([t.category for t in talents], dtype=object),
            long_ok=np.array([t.long_placement_ok for t in talents], dtype=bool),
            occupied_start=occupied_start,
            occupied_end=occupied_end,
            engaged_start=engaged_start,
            engaged_end=engaged_end,
        )

    def __len__(self) -> int:
        return int(self.ids.shape[0])


def feasible_talents(
    need: NeedProfile, arrays: TalentArrays, rows: np.ndarray | None = None
) -> np.ndarray:
    """(N,) bool: True where the talent passes every hard constraint for ``need``;
    with ``rows`` (int array), (len(rows),) for those rows only, which is how a query
    tests its few hundred retrieved candidates instead of every talent.

    Equals ``[not why_not(need, t) for t in talents]`` (taken at ``rows``) for the
    talents ``arrays`` was built from. The constraints come in three groups
    (:func:`column_conjuncts`, :func:`reach_conjunct`, :func:`window_and_list_conjuncts`)
    so that a test of every talent can narrow the rows by the cheapest group first.
    """
    ok = column_conjuncts(need, arrays, rows)
    ok &= reach_conjunct(need, arrays, rows)
    ok &= window_and_list_conjuncts(need, arrays, rows)
    return ok


def _at(column: np.ndarray, rows: np.ndarray | None) -> np.ndarray:
    return column if rows is None else column[rows]


def column_conjuncts(
    need: NeedProfile, arrays: TalentArrays, rows: np.ndarray | None = None
) -> np.ndarray:
    """(n,) bool: the constraints that compare one number per talent with the need
    (mode, title, degree, free slots, long placements or free days): the cheapest."""
    ok = (_at(arrays.mode_bits, rows) & _MODE_BIT[need.mode]) != 0
    ok &= _at(arrays.title, rows) >= need.min_title_level
    ok &= _at(arrays.degree, rows) >= need.min_degree_level
    ok &= _at(arrays.free_slots, rows) > 0
    if need.long_placement:
        ok &= _at(arrays.long_ok, rows)
    else:
        ok &= _at(arrays.free_days, rows) >= need.days_needed
    return ok


def reach_conjunct(
    need: NeedProfile, arrays: TalentArrays, rows: np.ndarray | None = None
) -> np.ndarray:
    """(n,) bool: the site lies within the talent's travel radius (remote needs, and
    a site or talent without coordinates, pass)."""
    n = len(arrays) if rows is None else len(rows)
    if need.mode == Mode.REMOTE or need.lat is None or need.lon is None:
        return np.ones(n, dtype=bool)
    distance = haversine_km(need.lat, need.lon, _at(arrays.lat, rows), _at(arrays.lon, rows))
    # NaN distance (talent without coordinates) compares False, so it passes.
    return np.asarray(~(distance > _at(arrays.travel_radius_km, rows)))


def window_and_list_conjuncts(
    need: NeedProfile, arrays: TalentArrays, rows: np.ndarray | None = None
) -> np.ndarray:
    """(n,) bool: availability windows, licences, languages, categories, held
    placements, and the talent's declines and blocks. A column is read only when the
    need has a constraint on it."""
    n = len(arrays) if rows is None else len(rows)
    lo, hi = need.window.start.toordinal(), need.window.end.toordinal()
    overlap = _any_overlap(_at(arrays.window_start, rows), _at(arrays.window_end, rows), lo, hi)
    ok = ~_at(arrays.has_windows, rows) | overlap
    for licence in need.licences:
        column = arrays.licences.get(licence)
        ok &= False if column is None else _at(column, rows)
    for language in need.languages:
        column = arrays.languages.get(language)
        ok &= False if column is None else _at(column, rows)
    if need.required_categories:
        ok &= np.isin(_at(arrays.category, rows), list(need.required_categories))
    ok &= ~_any_overlap(_at(arrays.occupied_start, rows), _at(arrays.occupied_end, rows), lo, hi)
    if need.long_placement:
        ok &= ~_any_overlap(_at(arrays.engaged_start, rows), _at(arrays.engaged_end, rows), lo, hi)
    _exclude(ok, arrays.declined_rows.get(need.id), rows)
    if need.site_id is not None:
        _exclude(ok, arrays.blocked_rows.get(need.site_id), rows)
    assert ok.shape == (n,)
    return ok


def _exclude(ok: np.ndarray, excluded: np.ndarray | None, rows: np.ndarray | None) -> None:
    """Set ``ok`` False at the ``excluded`` rows (positions of ``rows`` when given)."""
    if excluded is None:
        return
    if rows is None:
        ok[excluded] = False
    else:
        ok &= ~np.isin(rows, excluded)


@dataclass(frozen=True, slots=True)
class NeedArrays:
    """Constraint columns of M needs (row order = ``needs`` order)."""

    ids: np.ndarray  # (M,) int64
    mode_bit: np.ndarray  # (M,) int32, the single bit of the need's mode
    remote: np.ndarray  # (M,) bool
    window_start: np.ndarray  # (M,) int32 ordinal day
    window_end: np.ndarray  # (M,) int32
    min_title: np.ndarray  # (M,) int16
    min_degree: np.ndarray  # (M,) int16
    licences: dict[str, np.ndarray]  # licence -> (M,) bool: the need requires it
    languages: dict[str, np.ndarray]  # language -> (M,) bool
    lat: np.ndarray  # (M,) float64, NaN if unknown
    lon: np.ndarray  # (M,) float64
    days_needed: np.ndarray  # (M,) int64
    site_ids: np.ndarray  # (M,) int64, -1 if none
    restricted: np.ndarray  # (M,) bool: the need requires some talent category
    categories: dict[str, np.ndarray]  # category -> (M,) bool: the need accepts it
    long: np.ndarray  # (M,) bool: a long placement

    @classmethod
    def build(cls, needs: Sequence[NeedProfile]) -> NeedArrays:
        return cls(
            ids=np.array([n.id for n in needs], dtype=np.int64),
            mode_bit=np.array([_MODE_BIT[Mode(n.mode)] for n in needs], dtype=np.int32),
            remote=np.array([n.mode == Mode.REMOTE for n in needs], dtype=bool),
            window_start=np.array([n.window.start.toordinal() for n in needs], dtype=np.int32),
            window_end=np.array([n.window.end.toordinal() for n in needs], dtype=np.int32),
            min_title=np.array([n.min_title_level for n in needs], dtype=np.int16),
            min_degree=np.array([n.min_degree_level for n in needs], dtype=np.int16),
            licences=_flag_columns([n.licences for n in needs]),
            languages=_flag_columns([n.languages for n in needs]),
            lat=np.array([_nan_coord(n.lat) for n in needs], dtype=np.float64),
            lon=np.array([_nan_coord(n.lon) for n in needs], dtype=np.float64),
            days_needed=np.array([n.days_needed for n in needs], dtype=np.int64),
            site_ids=np.array([-1 if n.site_id is None else n.site_id for n in needs], np.int64),
            restricted=np.array([bool(n.required_categories) for n in needs], dtype=bool),
            categories=_flag_columns([n.required_categories for n in needs]),
            long=np.array([n.long_placement for n in needs], dtype=bool),
        )

    def __len__(self) -> int:
        return int(self.ids.shape[0])


def _windows_overlap(arrays: NeedArrays, windows: Sequence[Window]) -> np.ndarray:
    """(M,) bool: the need's dates overlap one of ``windows``."""
    hit = np.zeros(len(arrays), dtype=bool)
    for w in windows:
        lo, hi = w.start.toordinal(), w.end.toordinal()
        hit |= np.maximum(arrays.window_start, lo) <= np.minimum(arrays.window_end, hi)
    return hit


def feasible_needs(talent: TalentProfile, arrays: NeedArrays) -> np.ndarray:
    """(M,) bool: True where ``talent`` passes every hard constraint of the need.

    Equals ``[not why_not(n, talent) for n in needs]`` for the needs ``arrays`` was
    built from.
    """
    m = len(arrays)
    ok = (arrays.mode_bit & _mode_bits(talent.modes)) != 0
    if talent.windows:
        overlap = np.zeros(m, dtype=bool)
        for w in talent.windows:
            lo, hi = w.start.toordinal(), w.end.toordinal()
            overlap |= np.maximum(arrays.window_start, lo) <= np.minimum(arrays.window_end, hi)
        ok &= overlap
    ok &= arrays.min_title <= talent.title_level
    ok &= arrays.min_degree <= talent.degree_level
    for licence, required in arrays.licences.items():
        if licence not in talent.licences:
            ok &= ~required
    for language, required in arrays.languages.items():
        if language not in talent.languages:
            ok &= ~required
    if talent.lat is not None and talent.lon is not None:
        distance = haversine_km(arrays.lat, arrays.lon, talent.lat, talent.lon)
        ok &= arrays.remote | ~(distance > talent.travel_radius_km)
    if talent.active_matches >= talent.capacity_concurrent:
        ok[:] = False
    ok &= arrays.long | (
        talent.days_committed + arrays.days_needed <= talent.capacity_days_per_year
    )
    accepted = arrays.categories.get(talent.category)
    ok &= ~arrays.restricted if accepted is None else ~arrays.restricted | accepted
    if not talent.long_placement_ok:
        ok &= ~arrays.long
    ok &= ~_windows_overlap(arrays, talent.occupied)
    ok &= ~(arrays.long & _windows_overlap(arrays, talent.engaged))
    if talent.declined_need_ids:
        ok &= ~np.isin(arrays.ids, np.fromiter(talent.declined_need_ids, dtype=np.int64))
    if talent.blocked_site_ids:
        ok &= ~np.isin(arrays.site_ids, np.fromiter(talent.blocked_site_ids, dtype=np.int64))
    assert ok.shape == (m,)
    return ok
