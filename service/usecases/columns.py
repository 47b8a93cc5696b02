"""The column schema of the spreadsheets people exchange with the service: for each
entity the columns in order, each with its English key, its Chinese label, the type of
its cells, the table attributes it writes, the other spellings accepted on import and
whether it carries personal contact data.

The importer reads headers against this schema and the exports write under the very
same headers (``编号(external_id)`` …), so an export imports back unchanged."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Kind = Literal["sites", "needs", "talents"]
KINDS: tuple[Kind, ...] = ("sites", "needs", "talents")

# What a cell holds: ``code`` one vocabulary code (or a name the importer maps to one),
# ``codes`` several separated by ``;``, ``level`` an ordinal level (a code or a number),
# ``windows`` date ranges ``start~end`` separated by ``;``.
CellType = Literal[
    "text", "code", "codes", "level", "integer", "number", "boolean", "date", "datetime", "windows"
]


@dataclass(frozen=True)
class Column:
    """One column. ``attrs`` are the table attributes it writes on import (only those
    of columns present in a file are updated); ``exported`` is False for the columns the
    importer accepts as alternatives but the exports do not write (the code columns
    carry the same thing unambiguously)."""

    key: str
    zh: str
    attrs: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    required: bool = False
    contact: bool = False
    example: str = ""
    type: CellType = "text"
    exported: bool = True
    en: str = ""

    @property
    def header(self) -> str:
        return f"{self.zh}({self.key})"

    def header_in(self, locale: str) -> str:
        """The header an export in ``locale`` writes: ``编号(external_id)`` or
        ``Number(external_id)``; the importer reads either."""
        return f"{self.en}({self.key})" if locale == "en" and self.en else self.header


def _c(
    key: str,
    zh: str,
    *attrs: str,
    type: CellType = "text",
    aliases: tuple[str, ...] = (),
    required: bool = False,
    contact: bool = False,
    exported: bool = True,
    example: str = "",
) -> Column:
    return Column(
        key, zh, attrs or (key,), aliases, required, contact, example, type=type, exported=exported
    )


def _english(columns: tuple[Column, ...], words: dict[str, str]) -> tuple[Column, ...]:
    """The columns with their English labels. The labels are part of the file format (a file
    exported in English imports back), so they live here beside the Chinese ones rather than
    in the catalogues a translator edits."""
    missing = {c.key for c in columns} - set(words)
    if missing:
        raise ValueError(f"columns without an English label: {sorted(missing)}")
    return tuple(replace(c, en=words[c.key]) for c in columns)


SITE_COLUMNS: tuple[Column, ...] = (
    _c("external_id", "编号", aliases=("单位编号", "id"), required=True),
    _c("name", "名称", aliases=("单位名称",), required=True),
    _c("site_type", "单位类型", type="code", aliases=("类型",), required=True),
    _c("county_code", "县市代码", "county_code", "lat", "lon", type="code", aliases=("县代码",)),
    _c(
        "county",
        "县市",
        "county_code",
        "lat",
        "lon",
        aliases=("县", "县（市）", "所在县市"),
        exported=False,
    ),
    _c(
        "township",
        "乡镇",
        "township_id",
        "lat",
        "lon",
        "altitude_m",
        "poverty_township",
        aliases=("所在乡镇", "乡（镇）"),
    ),
    _c("lat", "纬度", type="number", aliases=("latitude",)),
    _c("lon", "经度", type="number", aliases=("longitude", "lng")),
    _c("altitude_m", "海拔(米)", type="number", aliases=("海拔", "altitude")),
    _c("poverty_township", "贫困乡镇", type="boolean", aliases=("是否贫困乡镇",)),
    _c("contact_name", "联系人", contact=True),
    _c("phone", "联系电话", aliases=("电话",), contact=True),
    _c("email", "电子邮箱", aliases=("邮箱",), contact=True),
)

NEED_COLUMNS: tuple[Column, ...] = (
    _c("external_id", "编号", aliases=("需求编号", "id"), required=True),
    _c("site_external_id", "单位编号", "site_id", aliases=("site", "站点编号"), required=True),
    _c("title", "标题", aliases=("需求标题", "需求名称"), required=True),
    _c("description", "需求描述", aliases=("描述", "需求内容", "具体需求"), required=True),
    _c("skills", "技能领域", type="codes", aliases=("领域", "专业领域", "技能")),
    _c("mode", "服务方式", type="code", required=True),
    _c("min_title_level", "最低职称", type="level", aliases=("职称要求",)),
    _c("min_degree_level", "最低学历", type="level", aliases=("学历要求",)),
    _c("licences", "执业资格", type="codes", aliases=("资格要求", "执照")),
    _c("languages", "语言", type="codes", aliases=("语言要求",)),
    _c("start_date", "开始日期", type="date", aliases=("开始时间",), required=True),
    _c("end_date", "结束日期", type="date", aliases=("结束时间",), required=True),
    _c("headcount", "人数", type="integer", aliases=("需求人数",)),
    _c("days_needed", "所需天数", type="integer", aliases=("天数", "服务天数")),
    _c("programme_code", "项目代码", type="code", aliases=("programme", "项目")),
    _c(
        "required_categories",
        "人才类别要求",
        type="codes",
        aliases=("需要的人才类别", "人才类别限制"),
    ),
    _c("status", "状态", type="code"),
)

TALENT_COLUMNS: tuple[Column, ...] = (
    _c("external_id", "编号", aliases=("人才编号", "id"), required=True),
    _c("name", "姓名", required=True),
    _c("category", "人才类别", type="code", aliases=("类别",), required=True),
    # The institution's 编号 (names repeat, the number does not); its name is read too.
    _c(
        "institution",
        "所在单位编号",
        "institution_id",
        aliases=("institution_external_id", "所在单位", "工作单位"),
    ),
    _c("title_level", "职称", type="level"),
    _c("degree_level", "学历", type="level"),
    _c("licences", "执业资格", type="codes", aliases=("执照",)),
    _c("languages", "语言", type="codes"),
    _c("skills", "技能领域", type="codes", aliases=("领域", "专业领域", "技能", "专长")),
    _c("bio", "个人简介", aliases=("简介",), required=True),
    _c("home_county_code", "籍贯县市代码", type="code", aliases=("籍贯代码",)),
    _c("home_county", "籍贯县市", "home_county_code", aliases=("籍贯",), exported=False),
    _c("base_lat", "常驻地纬度", type="number", aliases=("纬度",)),
    _c("base_lon", "常驻地经度", type="number", aliases=("经度",)),
    _c("travel_radius_km", "服务半径(公里)", type="number", aliases=("服务半径",)),
    _c("modes", "服务方式", type="codes", required=True),
    _c("capacity_concurrent", "可同时服务数", type="integer", aliases=("同时服务数",)),
    _c("capacity_days_per_year", "年服务天数", type="integer", aliases=("每年服务天数",)),
    _c("long_placement_ok", "可长期派驻", type="boolean", aliases=("接受长期派驻",)),
    _c("windows", "可服务时段", type="windows", aliases=("服务时段",)),
    _c(
        "available_from",
        "可服务开始日期",
        "windows",
        type="date",
        aliases=("可服务开始",),
        exported=False,
    ),
    _c(
        "available_to",
        "可服务结束日期",
        "windows",
        type="date",
        aliases=("可服务结束",),
        exported=False,
    ),
    _c("active", "是否在库", type="boolean", aliases=("有效",)),
    _c("phone", "联系电话", aliases=("电话", "手机"), contact=True),
    _c("email", "电子邮箱", aliases=("邮箱",), contact=True),
    _c("id_number", "身份证号", aliases=("身份证号码",), contact=True),
)

SITE_COLUMNS = _english(
    SITE_COLUMNS,
    {
        "external_id": "Number",
        "name": "Name",
        "site_type": "Site type",
        "county_code": "County code",
        "county": "County",
        "township": "Township",
        "lat": "Latitude",
        "lon": "Longitude",
        "altitude_m": "Altitude in metres",
        "poverty_township": "Poor township",
        "contact_name": "Contact person",
        "phone": "Phone",
        "email": "E-mail",
    },
)
NEED_COLUMNS = _english(
    NEED_COLUMNS,
    {
        "external_id": "Number",
        "site_external_id": "Site number",
        "title": "Title",
        "description": "Description",
        "skills": "Skills",
        "mode": "Service mode",
        "min_title_level": "Minimum title",
        "min_degree_level": "Minimum degree",
        "licences": "Licences",
        "languages": "Languages",
        "start_date": "Start date",
        "end_date": "End date",
        "headcount": "Headcount",
        "days_needed": "Days needed",
        "programme_code": "Programme code",
        "required_categories": "Talent categories required",
        "status": "Status",
    },
)
TALENT_COLUMNS = _english(
    TALENT_COLUMNS,
    {
        "external_id": "Number",
        "name": "Name",
        "category": "Talent category",
        "institution": "Institution number",
        "title_level": "Professional title",
        "degree_level": "Degree",
        "licences": "Licences",
        "languages": "Languages",
        "skills": "Skills",
        "bio": "Biography",
        "home_county_code": "Home county code",
        "home_county": "Home county",
        "base_lat": "Base latitude",
        "base_lon": "Base longitude",
        "travel_radius_km": "Travel radius in km",
        "modes": "Service modes",
        "capacity_concurrent": "Placements at a time",
        "capacity_days_per_year": "Days a year",
        "long_placement_ok": "Long placements accepted",
        "windows": "Availability windows",
        "available_from": "Available from",
        "available_to": "Available until",
        "active": "Active",
        "phone": "Phone",
        "email": "E-mail",
        "id_number": "ID card number",
    },
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "sites": SITE_COLUMNS,
    "needs": NEED_COLUMNS,
    "talents": TALENT_COLUMNS,
}

# Matches are exported, never imported: their columns name the need, site and talent. Their
# headers are in the reader's language (``exports.match.<key>``), times in the display zone.
MATCH_COLUMNS: tuple[Column, ...] = (
    _c("match_id", "对接编号", type="integer"),
    _c("need_external_id", "需求编号"),
    _c("need_title", "需求标题"),
    _c("site_external_id", "单位编号"),
    _c("site_name", "单位名称"),
    _c("county_code", "县市代码", type="code"),
    _c("county", "县市"),
    _c("talent_external_id", "人才编号"),
    _c("talent_name", "人才姓名"),
    _c("talent_category", "人才类别", type="code"),
    _c("status", "状态", type="code"),
    _c("score", "匹配分", type="number"),
    _c("origin", "来源", type="code"),
    _c("created_at", "创建时间", type="datetime"),
    _c("updated_at", "更新时间", type="datetime"),
)


def export_columns(kind: str, *, include_contacts: bool) -> list[Column]:
    """The columns an export of ``kind`` writes, in order."""
    return [c for c in COLUMNS[kind] if c.exported and (include_contacts or not c.contact)]


def template_headers(kind: Kind, *, include_contacts: bool = True) -> list[str]:
    return [c.header for c in COLUMNS[kind] if include_contacts or not c.contact]
