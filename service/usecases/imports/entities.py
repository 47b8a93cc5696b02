"""Each entity's rows: the cells of one site, need or talent mapped to codes and ids,
checked by the entity's ``XCreate`` schema with the database's vocabularies as context,
and turned into the table values to write. Problems are recorded on the row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from models import Township
from models.enums import NeedStatus
from models.schemas.need import NeedCreate
from models.schemas.site import SiteCreate
from models.schemas.talent import TalentCreate
from service.usecases.columns import Kind
from service.usecases.imports.cells import norm, parse_bool, parse_date, parse_windows
from service.usecases.imports.context import Context, county_code
from service.usecases.imports.lines import check_need_line
from service.usecases.imports.rows import PreparedRow, RowReader, gather, plain, validate
from service.usecases.imports.vocabulary import Vocab, level, map_list, map_one

Prepare = Callable[[RowReader, Context, dict[str, Any]], PreparedRow | None]

_SITE_VALUES = (
    "name",
    "site_type",
    "county_code",
    "lat",
    "lon",
    "altitude_m",
    "contact_name",
    "phone",
    "email",
)
_NEED_VALUES = (
    "title",
    "description",
    "skills",
    "mode",
    "min_title_level",
    "min_degree_level",
    "licences",
    "languages",
    "start_date",
    "end_date",
    "headcount",
    "days_needed",
    "programme_code",
    "required_categories",
)
_TALENT_VALUES = (
    "name",
    "category",
    "title_level",
    "degree_level",
    "licences",
    "languages",
    "skills",
    "bio",
    "home_county_code",
    "base_lat",
    "base_lon",
    "travel_radius_km",
    "modes",
    "capacity_concurrent",
    "capacity_days_per_year",
    "long_placement_ok",
    "phone",
    "email",
    "id_number",
)
_STATUS_WORDS = {
    NeedStatus.OPEN: ("open", "开放", "招募中", "征集中", "进行中", "待对接"),
    NeedStatus.FILLED: ("filled", "已满", "已对接", "已满员"),
    NeedStatus.CLOSED: ("closed", "关闭", "已关闭", "结束", "已结束"),
    NeedStatus.EXPIRED: ("expired", "已过期", "过期"),
}


@cache
def _status_words() -> dict[NeedStatus, frozenset[str]]:
    """Each status by every word a file may give it: the list above and the pages' own
    words in both languages (an export writes those)."""
    from service.i18n import LOCALES, translate

    return {
        status: frozenset(
            norm(w)
            for w in (*words, *(translate(f"need_status.{status.value}", lc) for lc in LOCALES))
        )
        for status, words in _STATUS_WORDS.items()
    }


def preparer(kind: Kind) -> Prepare:
    """The function that turns one row of ``kind`` into values to write."""
    table: dict[str, Prepare] = {
        "sites": prepare_site,
        "needs": prepare_need,
        "talents": prepare_talent,
    }
    return table[kind]


# ---------------------------------------------------------------------------------------
# Shared steps
# ---------------------------------------------------------------------------------------


def _blank_clears(row: RowReader, data: dict[str, Any], keys: tuple[str, ...]) -> None:
    """A column present in the file with an empty cell clears the stored value."""
    for key in keys:
        if key in row.present and not row.get(key):
            data[key] = None


def _map_lists(row: RowReader, data: dict[str, Any], vocabs: dict[str, Vocab]) -> None:
    for key, vocab in vocabs.items():
        text = row.get(key)
        if text:
            data[key] = row.guard(key, map_list, key, text, vocab, strict=key != "skills")


def _map_levels(row: RowReader, data: dict[str, Any], vocabs: dict[str, Vocab]) -> None:
    for key, vocab in vocabs.items():
        if row.get(key):
            data[key] = row.guard(key, level, key, row.get(key), vocab)


def _values(model: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: plain(getattr(model, key)) for key in keys}


# ---------------------------------------------------------------------------------------
# Sites
# ---------------------------------------------------------------------------------------


def prepare_site(row: RowReader, ctx: Context, context: dict[str, Any]) -> PreparedRow | None:
    v = ctx.vocab
    data = gather(row, ("name", "lat", "lon", "altitude_m", "contact_name", "phone", "email"))
    _blank_clears(row, data, ("contact_name", "phone", "email", "altitude_m"))
    if row.get("site_type"):
        data["site_type"] = map_one("site_type", row.get("site_type"), v.site_types, strict=False)
    county = county_code(row, ctx, "county_code", "county")
    if county is not None:
        data["county_code"] = county
    township = _township(row, ctx, county)
    if township is not None:
        data["township"] = township.name
    if row.get("poverty_township"):
        data["poverty_township"] = row.guard(
            "poverty_township", parse_bool, "poverty_township", row.get("poverty_township")
        )
    _place_site(row, ctx, data, county, township)
    # The schema checks the row even when a cell failed, so every problem of the file
    # is named in one pass; a cell already named is not named twice (rows.py).
    model = validate(row, SiteCreate, data, context, "lat")
    if model is None or row.errors:
        return None
    values = _values(model, _SITE_VALUES)
    values["township_id"] = township.id if township is not None else None
    values["poverty_township"] = bool(model.poverty_township)
    return PreparedRow(row.number, row.get("external_id"), values)


def _township(row: RowReader, ctx: Context, county: str | None) -> Township | None:
    """The township named in the row, looked up within its county."""
    if not row.get("township") or county is None:
        return None
    township = ctx.townships.get((county, norm(row.get("township"))))
    if township is None:
        names = "、".join(sorted({t.name for (c, _), t in ctx.townships.items() if c == county}))
        row.issue(
            "township",
            f"no township {row.get('township')!r} in county {ctx.counties[county].name}",
            f"{ctx.counties[county].name}没有名为"
            f"“{row.get('township')}”的乡镇；可选：{names[:200]}",
        )
    return township


def _place_site(
    row: RowReader,
    ctx: Context,
    data: dict[str, Any],
    county: str | None,
    township: Township | None,
) -> None:
    """Fill what the row leaves out from its township, else its county seat (a warning)."""
    if township is not None:
        data.setdefault("altitude_m", township.altitude_m)
        data.setdefault("poverty_township", township.poverty_township)
        if "lat" not in data and "lon" not in data:
            data["lat"], data["lon"] = township.lat, township.lon
    elif county is not None and "lat" not in data and "lon" not in data and not row.errors:
        data["lat"], data["lon"] = ctx.counties[county].lat, ctx.counties[county].lon
        row.issue(
            "lat",
            "no coordinates or township: placed at the county seat",
            "未填坐标和乡镇：按县城位置计",
            warning=True,
            candidates=("county",),
        )


# ---------------------------------------------------------------------------------------
# Needs
# ---------------------------------------------------------------------------------------


def prepare_need(row: RowReader, ctx: Context, context: dict[str, Any]) -> PreparedRow | None:
    v = ctx.vocab
    data = gather(row, ("title", "description", "headcount", "days_needed", "programme_code"))
    if "programme_code" in data:
        data["programme_code"] = ctx.programme(data["programme_code"])
    site_id = _need_site(row, ctx)
    if row.get("mode"):
        data["mode"] = row.guard("mode", map_one, "mode", row.get("mode"), v.modes)
    _map_lists(
        row,
        data,
        {
            "skills": v.skills,
            "licences": v.licences,
            "languages": v.languages,
            "required_categories": v.talent_categories,
        },
    )
    _map_levels(row, data, {"min_title_level": v.title_levels, "min_degree_level": v.degree_levels})
    for key in ("start_date", "end_date"):
        if row.get(key):
            data[key] = row.guard(key, parse_date, key, row.get(key))
    status = _need_status(row)
    # The schema checks the row even when a cell failed, so every problem of the file
    # is named in one pass; a cell already named is not named twice (rows.py).
    model = validate(row, NeedCreate, data, context, "end_date")
    if model is None or site_id is None or row.errors:
        return None
    values = _values(model, _NEED_VALUES)
    check_need_line(row, ctx, values)
    if row.errors:
        return None
    values["site_id"] = site_id
    values["status"] = status
    return PreparedRow(row.number, row.get("external_id"), values)


def _need_site(row: RowReader, ctx: Context) -> int | None:
    """The id of the site the need belongs to (sites are imported first)."""
    site_ext = row.get("site_external_id")
    site_id = ctx.site_ids.get(site_ext) if site_ext else None
    if site_ext and site_id is None:
        row.issue(
            "site_external_id",
            f"no site with id {site_ext!r}; import the sites first",
            f"找不到编号为“{site_ext}”的单位，请先导入单位",
        )
    elif not site_ext:
        row.issue("site_external_id", "required; the cell is empty", "必填，不能为空")
    return site_id


def _need_status(row: RowReader) -> str:
    if not row.get("status"):
        return NeedStatus.OPEN.value
    text = norm(row.get("status"))
    found = next((s for s, words in _status_words().items() if text in words), None)
    if found is None:
        row.issue(
            "status",
            "status must be open, filled, closed or expired",
            "状态应为 开放/已满/关闭/已过期",
        )
        return NeedStatus.OPEN.value
    return found.value


# ---------------------------------------------------------------------------------------
# Talents
# ---------------------------------------------------------------------------------------


def prepare_talent(row: RowReader, ctx: Context, context: dict[str, Any]) -> PreparedRow | None:
    v = ctx.vocab
    data = gather(
        row,
        (
            "name",
            "bio",
            "base_lat",
            "base_lon",
            "travel_radius_km",
            "capacity_concurrent",
            "capacity_days_per_year",
            "phone",
            "email",
            "id_number",
        ),
    )
    _blank_clears(row, data, ("phone", "email", "id_number"))
    if row.get("category"):
        data["category"] = map_one(
            "category", row.get("category"), v.talent_categories, strict=False
        )
    institution_id = _institution(row, ctx)
    _map_levels(row, data, {"title_level": v.title_levels, "degree_level": v.degree_levels})
    _map_lists(
        row,
        data,
        {"skills": v.skills, "licences": v.licences, "languages": v.languages, "modes": v.modes},
    )
    _place_talent(row, ctx, data)
    data["windows"] = _windows(row)
    if row.get("long_placement_ok"):
        data["long_placement_ok"] = bool(
            row.guard(
                "long_placement_ok", parse_bool, "long_placement_ok", row.get("long_placement_ok")
            )
        )
    active = True
    if row.get("active"):
        active = bool(row.guard("active", parse_bool, "active", row.get("active")))
    # The schema checks the row even when a cell failed, so every problem of the file
    # is named in one pass; a cell already named is not named twice (rows.py).
    model = validate(row, TalentCreate, data, context, "windows")
    if model is None or row.errors:
        return None
    values = _values(model, _TALENT_VALUES)
    if values["id_number"]:
        values["id_number"] = values["id_number"].upper()
    values["institution_id"] = institution_id
    values["active"] = active
    spans = sorted({(w.start_date, w.end_date) for w in model.windows})
    return PreparedRow(row.number, row.get("external_id"), values, windows=spans)


def _institution(row: RowReader, ctx: Context) -> int | None:
    """The institution named by id or by name, when the row names one."""
    if not row.get("institution"):
        return None
    institution_id = ctx.institution_ids.get(norm(row.get("institution")))
    if institution_id is None:
        row.issue(
            "institution",
            f"no institution {row.get('institution')!r} (by id or name)",
            f"找不到单位“{row.get('institution')}”（按编号或名称）",
        )
    return institution_id


def _place_talent(row: RowReader, ctx: Context, data: dict[str, Any]) -> None:
    """The home county; without base coordinates the talent is placed at its seat."""
    home = county_code(row, ctx, "home_county_code", "home_county")
    data["home_county_code"] = home
    if home is not None and "base_lat" not in data and "base_lon" not in data:
        data["base_lat"], data["base_lon"] = ctx.counties[home].lat, ctx.counties[home].lon
        row.issue(
            "base_lat",
            "no base coordinates: placed at the home county seat",
            "未填常驻地坐标：按籍贯县城位置计",
            warning=True,
            candidates=("home_county",),
        )


def _windows(row: RowReader) -> list[dict[str, date]]:
    """The windows cell plus the window given as available_from/available_to."""
    windows: list[dict[str, date]] = []
    if row.get("windows"):
        windows.extend(row.guard("windows", parse_windows, "windows", row.get("windows")) or [])
    start_text, end_text = row.get("available_from"), row.get("available_to")
    if not (start_text or end_text):
        return windows
    if not (start_text and end_text):
        row.issue(
            "available_to" if start_text else "available_from",
            "give both available_from and available_to",
            "可服务开始和结束日期须同时填写",
        )
        return windows
    start = row.guard("available_from", parse_date, "available_from", start_text)
    end = row.guard("available_to", parse_date, "available_to", end_text)
    if start is not None and end is not None:
        windows.append({"start_date": start, "end_date": end})
    return windows
