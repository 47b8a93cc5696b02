"""Checks on incoming profiles; each error names the profile, the field and the value."""

from __future__ import annotations

import math

from matching.errors import ProfileError
from matching.types import Mode, NeedProfile, TalentProfile, Window

LEVEL_MAX = 5


def _mode(value: object, *, where: str) -> Mode:
    try:
        return Mode(str(value))
    except ValueError:
        raise ProfileError(
            f"{where}: unknown mode {value!r}; expected one of {[m.value for m in Mode]}"
        ) from None


def _coordinates(lat: float | None, lon: float | None, *, where: str) -> None:
    if (lat is None) != (lon is None):
        raise ProfileError(f"{where}: lat={lat!r}, lon={lon!r}; give both coordinates or none")
    if lat is None or lon is None:
        return
    for name, value, bound in (("lat", lat, 90.0), ("lon", lon, 180.0)):
        if not isinstance(value, int | float) or math.isnan(value) or math.isinf(value):
            raise ProfileError(f"{where}: {name}={value!r}; expected a finite number of degrees")
        if abs(value) > bound:
            raise ProfileError(f"{where}: {name}={value!r}; expected within ±{bound:g} degrees")


def _level(value: object, *, where: str, field: str) -> None:
    if not isinstance(value, int) or not 0 <= value <= LEVEL_MAX:
        raise ProfileError(f"{where}: {field}={value!r}; expected an integer 0–{LEVEL_MAX}")


def _non_negative(value: object, *, where: str, field: str) -> None:
    if (
        not isinstance(value, int | float)
        or (isinstance(value, float) and math.isnan(value))
        or value < 0
    ):
        raise ProfileError(f"{where}: {field}={value!r}; expected a number >= 0")


def validate_need(need: NeedProfile) -> None:
    """Raise :class:`ProfileError` if ``need`` holds a value the matcher cannot use."""
    where = f"need {need.id}"
    _mode(need.mode, where=where)
    if not isinstance(need.window, Window):
        raise ProfileError(f"{where}: window={need.window!r}; expected a Window(start, end)")
    _coordinates(need.lat, need.lon, where=where)
    _level(need.min_title_level, where=where, field="min_title_level")
    _level(need.min_degree_level, where=where, field="min_degree_level")
    if not isinstance(need.headcount, int) or need.headcount < 1:
        raise ProfileError(f"{where}: headcount={need.headcount!r}; expected an integer >= 1")
    _non_negative(need.days_needed, where=where, field="days_needed")
    if need.altitude_m is not None and (
        not isinstance(need.altitude_m, int | float) or math.isnan(need.altitude_m)
    ):
        raise ProfileError(f"{where}: altitude_m={need.altitude_m!r}; expected metres or None")


def validate_talent(talent: TalentProfile) -> None:
    """Raise :class:`ProfileError` if ``talent`` holds a value the matcher cannot use."""
    where = f"talent {talent.id}"
    if not talent.modes:
        raise ProfileError(f"{where}: modes is empty; expected at least one service mode")
    for mode in talent.modes:
        _mode(mode, where=where)
    for window in talent.windows:
        if not isinstance(window, Window):
            raise ProfileError(f"{where}: windows holds {window!r}; expected Window(start, end)")
    _coordinates(talent.lat, talent.lon, where=where)
    _non_negative(talent.travel_radius_km, where=where, field="travel_radius_km")
    _level(talent.title_level, where=where, field="title_level")
    _level(talent.degree_level, where=where, field="degree_level")
    for field in ("capacity_concurrent", "active_matches", "capacity_days_per_year"):
        _non_negative(getattr(talent, field), where=where, field=field)
    _non_negative(talent.days_committed, where=where, field="days_committed")
