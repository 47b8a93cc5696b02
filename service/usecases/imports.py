"""Bulk import of sites, needs and talents from the spreadsheets people hold.

All or nothing: every row is validated first (the Pydantic ``XCreate`` schemas with the
database's vocabularies as context, plus checks across rows); on any error nothing is
written and the result lists each bad cell (row, column, value, why). When every row is
valid the rows are upserted in one transaction keyed by ``external_id``, so importing
the same file again updates in place and an unchanged file changes nothing.

Headers may be the English key (``external_id``), the Chinese label (``编号``) or both as
the templates and exports write them (``编号(external_id)``). Columns the importer does
not know are errors by default, so that a misspelt optional column (``emial``) is not
silently dropped; ``allow_unknown_columns=True`` turns them into warnings.

Only the columns present in a file are written on update: an export without contact
columns, imported back, leaves the stored phone numbers alone."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from models import AvailabilityWindow, County, Institution, Need, Programme, Site, Talent, Township
from models.enums import NeedStatus
from models.schemas.need import NeedCreate
from models.schemas.site import SiteCreate
from models.schemas.talent import TalentCreate
from service.spreadsheet_safety import csv_writer
from service.usecases.tabular import Table, UnreadableTable, column_letter, read_table

Kind = Literal["sites", "needs", "talents"]
KINDS: tuple[Kind, ...] = ("sites", "needs", "talents")
Status = Literal["ok", "invalid", "unreadable"]
T = TypeVar("T")


# ---------------------------------------------------------------------------------------
# Vocabularies: a code, the Chinese or English name, an alias or a term of the plan all
# map back to the code that is stored.
# ---------------------------------------------------------------------------------------

_PARENS = re.compile(r"[（(][^）)]*[）)]")


def norm(text: str) -> str:
    """Casefold, full-width → half-width, no spaces: how names are compared."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).casefold()


@dataclass
class Vocab:
    """One vocabulary: ``codes`` in order, ``labels`` the Chinese name of each code and
    ``lookup`` every accepted spelling (normalised) → code."""

    what: str
    what_zh: str
    codes: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    lookup: dict[str, str] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)  # code → ordinal, for levels

    def add(self, code: str, zh: str, names: Iterable[str]) -> None:
        if code not in self.labels:
            self.codes.append(code)
            self.labels[code] = zh
        for name in (code, zh, *names):
            if not name:
                continue
            key = norm(name)
            # The first entry to claim a spelling keeps it: codes and Chinese names are
            # added before aliases, so an alias never steals another entry's name.
            self.lookup.setdefault(key, code)
            stripped = norm(_PARENS.sub("", name))
            if stripped:
                self.lookup.setdefault(stripped, code)

    def get(self, value: str) -> str | None:
        return self.lookup.get(norm(value))

    def hint(self, limit: int = 12) -> str:
        shown = [self.labels[c] or c for c in self.codes[:limit]]
        more = "…" if len(self.codes) > limit else ""
        return "、".join(shown) + more


@dataclass
class Vocabularies:
    site_types: Vocab
    talent_categories: Vocab
    skills: Vocab
    licences: Vocab
    languages: Vocab
    modes: Vocab
    title_levels: Vocab
    degree_levels: Vocab


def _coded(what: str, what_zh: str, entries: Iterable[Any]) -> Vocab:
    """A vocabulary from ``reference`` entries (Term, Level or ModeInfo)."""
    vocab = Vocab(what, what_zh)
    entries = list(entries)
    for entry in entries:
        vocab.add(entry.code, entry.zh, ())
    for entry in entries:
        names = [entry.en, *getattr(entry, "plan_terms", ())]
        # 三支一扶/大学生志愿者 and 能工巧匠/土专家/田秀才 name several things at once.
        zh = _PARENS.sub("", entry.zh)
        if "/" in zh:
            names.extend(part for part in zh.split("/") if part)
        vocab.add(entry.code, entry.zh, names)
        if hasattr(entry, "level"):
            vocab.levels[entry.code] = int(entry.level)
    return vocab


# Everyday words for the service modes that the reference names do not spell out.
_MODE_WORDS = {
    "onsite_long": ("挂职", "帮带", "对口服务", "长期驻点", "长期"),
    "onsite_short": ("现场指导", "短期", "关键时节", "短期现场"),
    "seasonal": ("候鸟", "候鸟型", "季节性"),
    "remote": ("远程", "线上", "互联网远程", "网络远程", "online"),
    "part_time": ("兼职",),
    "project": ("项目合作", "技术入股", "服务外包", "项目"),
}


# Job titles as people write them (职称 series differ by profession; the levels do not).
_TITLE_WORDS = {
    "none": ("无职称", "未评"),
    "junior": ("初级", "助理", "助教", "医师", "助理工程师", "技术员"),
    "intermediate": ("中级", "讲师", "主治医师", "工程师", "农艺师", "兽医师", "一级教师"),
    "associate_senior": (
        "副高",
        "副高级",
        "高级",
        "副教授",
        "副研究员",
        "副主任医师",
        "高级工程师",
        "高级农艺师",
        "高级兽医师",
        "高级教师",
    ),
    "senior": ("正高", "教授", "研究员", "主任医师", "正高级工程师", "推广研究员", "正高级教师"),
}
_DEGREE_WORDS = {
    "high_school": ("高中", "初中", "小学", "初中及以下"),
    "secondary_vocational": ("中职", "职高", "技校"),
    "junior_college": ("专科", "大学专科", "高职"),
    "bachelor": ("大学本科", "学士", "本科生"),
    "master": ("研究生", "硕士研究生", "硕士生"),
    "doctorate": ("博士研究生", "博士生", "博士后"),
}


@lru_cache(maxsize=1)
def load_vocabularies() -> Vocabularies:
    """The vocabularies of ``reference/data`` (versioned with the code, so cached)."""
    from reference import load_categories, load_taxonomy

    categories = load_categories()
    skills = Vocab("skill", "技能领域")
    leaves = load_taxonomy().leaves()
    for leaf in leaves:
        skills.add(leaf.code, leaf.zh, ())
    for leaf in leaves:
        skills.add(leaf.code, leaf.zh, [leaf.en, *leaf.aliases])
    modes = _coded("service mode", "服务方式", categories.modes)
    for code, words in _MODE_WORDS.items():
        modes.add(code, modes.labels.get(code, ""), words)
    title_levels = _coded("title level", "职称", categories.title_levels)
    for code, words in _TITLE_WORDS.items():
        title_levels.add(code, title_levels.labels.get(code, ""), words)
    degree_levels = _coded("degree level", "学历", categories.degree_levels)
    for code, words in _DEGREE_WORDS.items():
        degree_levels.add(code, degree_levels.labels.get(code, ""), words)
    return Vocabularies(
        site_types=_coded("site type", "单位类型", categories.site_types),
        talent_categories=_coded("talent category", "人才类别", categories.talent_categories),
        skills=skills,
        licences=_coded("licence", "执业资格", categories.licences),
        languages=_coded("language", "语言", categories.languages),
        modes=modes,
        title_levels=title_levels,
        degree_levels=degree_levels,
    )


# ---------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One importable column. ``attrs`` are the table attributes it writes (only those
    of columns present in a file are updated); ``example`` feeds the templates."""

    key: str
    zh: str
    attrs: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    required: bool = False
    contact: bool = False
    example: str = ""

    @property
    def header(self) -> str:
        return f"{self.zh}({self.key})"


def _c(
    key: str,
    zh: str,
    *attrs: str,
    aliases: tuple[str, ...] = (),
    required: bool = False,
    contact: bool = False,
    example: str = "",
) -> Column:
    return Column(key, zh, attrs or (key,), aliases, required, contact, example)


SITE_COLUMNS: tuple[Column, ...] = (
    _c("external_id", "编号", aliases=("单位编号", "id"), required=True),
    _c("name", "名称", aliases=("单位名称",), required=True),
    _c("site_type", "单位类型", aliases=("类型",), required=True),
    _c("county_code", "县市代码", "county_code", "lat", "lon", aliases=("县代码",)),
    _c("county", "县市", "county_code", "lat", "lon", aliases=("县", "县（市）", "所在县市")),
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
    _c("lat", "纬度", aliases=("latitude",)),
    _c("lon", "经度", aliases=("longitude", "lng")),
    _c("altitude_m", "海拔(米)", aliases=("海拔", "altitude")),
    _c("poverty_township", "贫困乡镇", aliases=("是否贫困乡镇",)),
    _c("contact_name", "联系人", contact=True),
    _c("phone", "联系电话", aliases=("电话",), contact=True),
    _c("email", "电子邮箱", aliases=("邮箱",), contact=True),
)

NEED_COLUMNS: tuple[Column, ...] = (
    _c("external_id", "编号", aliases=("需求编号", "id"), required=True),
    _c("site_external_id", "单位编号", "site_id", aliases=("site", "站点编号"), required=True),
    _c("title", "标题", aliases=("需求标题", "需求名称"), required=True),
    _c("description", "需求描述", aliases=("描述", "需求内容", "具体需求"), required=True),
    _c("skills", "技能领域", aliases=("领域", "专业领域", "技能")),
    _c("mode", "服务方式", required=True),
    _c("min_title_level", "最低职称", aliases=("职称要求",)),
    _c("min_degree_level", "最低学历", aliases=("学历要求",)),
    _c("licences", "执业资格", aliases=("资格要求", "执照")),
    _c("languages", "语言", aliases=("语言要求",)),
    _c("start_date", "开始日期", aliases=("开始时间",), required=True),
    _c("end_date", "结束日期", aliases=("结束时间",), required=True),
    _c("headcount", "人数", aliases=("需求人数",)),
    _c("days_needed", "所需天数", aliases=("天数", "服务天数")),
    _c("programme_code", "项目代码", aliases=("programme", "项目")),
    _c("status", "状态"),
)

TALENT_COLUMNS: tuple[Column, ...] = (
    _c("external_id", "编号", aliases=("人才编号", "id"), required=True),
    _c("name", "姓名", required=True),
    _c("category", "人才类别", aliases=("类别",), required=True),
    _c(
        "institution", "所在单位", "institution_id", aliases=("institution_external_id", "工作单位")
    ),
    _c("title_level", "职称"),
    _c("degree_level", "学历"),
    _c("licences", "执业资格", aliases=("执照",)),
    _c("languages", "语言"),
    _c("skills", "技能领域", aliases=("领域", "专业领域", "技能", "专长")),
    _c("bio", "个人简介", aliases=("简介",), required=True),
    _c("home_county_code", "籍贯县市代码", aliases=("籍贯代码",)),
    _c("home_county", "籍贯县市", "home_county_code", aliases=("籍贯",)),
    _c("base_lat", "常驻地纬度", aliases=("纬度",)),
    _c("base_lon", "常驻地经度", aliases=("经度",)),
    _c("travel_radius_km", "服务半径(公里)", aliases=("服务半径",)),
    _c("modes", "服务方式", required=True),
    _c("capacity_concurrent", "可同时服务数", aliases=("同时服务数",)),
    _c("capacity_days_per_year", "年服务天数", aliases=("每年服务天数",)),
    _c("windows", "可服务时段", aliases=("服务时段",)),
    _c("available_from", "可服务开始日期", "windows", aliases=("可服务开始",)),
    _c("available_to", "可服务结束日期", "windows", aliases=("可服务结束",)),
    _c("active", "是否在库", aliases=("有效",)),
    _c("phone", "联系电话", aliases=("电话", "手机"), contact=True),
    _c("email", "电子邮箱", aliases=("邮箱",), contact=True),
    _c("id_number", "身份证号", aliases=("身份证号码",), contact=True),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "sites": SITE_COLUMNS,
    "needs": NEED_COLUMNS,
    "talents": TALENT_COLUMNS,
}

# A column may be replaced by another one that gives the same thing.
_ALTERNATIVES: dict[str, dict[str, tuple[str, ...]]] = {
    "sites": {"county_code": ("county",)},
    "needs": {},
    "talents": {},
}

# Which columns a schema field's error belongs to, when it is not the field's own name.
_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "county_code": ("county_code", "county"),
    "home_county_code": ("home_county_code", "home_county"),
    "lat": ("lat", "township", "county"),
    "lon": ("lon", "township", "county"),
    "base_lat": ("base_lat", "home_county"),
    "base_lon": ("base_lon", "home_county"),
    "windows": ("windows", "available_from", "available_to"),
    "site_id": ("site_external_id",),
    "institution_id": ("institution",),
}


def _header_key(text: str) -> str:
    return norm(text).replace("*", "")


def _column_index(columns: Sequence[Column]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in columns:
        for name in (column.key, column.zh, column.header, *column.aliases):
            index.setdefault(_header_key(name), column)
    return index


_SPLIT_HEADER = re.compile(r"^(.*?)[(（]([^()（）]*)[)）]$")


def match_header(text: str, columns: Sequence[Column]) -> Column | None:
    """``编号``, ``external_id``, ``编号(external_id)`` and ``编号（external_id）`` all name
    the same column; a trailing ``*`` (a required-column marker) is ignored."""
    index = _column_index(columns)
    key = _header_key(text)
    if not key:
        return None
    if key in index:
        return index[key]
    found = _SPLIT_HEADER.match(key)
    if found:
        for part in (found.group(2), found.group(1)):
            if part and part in index:
                return index[part]
    return None


def template_headers(kind: Kind, *, include_contacts: bool = True) -> list[str]:
    return [c.header for c in COLUMNS[kind] if include_contacts or not c.contact]


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------


@dataclass
class ImportIssue:
    """One problem, located as a spreadsheet user would look for it. ``row`` is the
    spreadsheet row (header = 1), ``None`` for the file as a whole."""

    row: int | None
    column: str
    value: str
    message: str
    message_zh: str = ""
    cell: str = ""
    severity: Literal["error", "warning"] = "error"

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "cell": self.cell,
            "column": self.column,
            "value": self.value,
            "severity": self.severity,
            "message": self.message,
            "message_zh": self.message_zh,
        }

    def line(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        if self.cell:
            where += f" ({self.cell})"
        column = f" [{self.column}]" if self.column else ""
        value = f" {self.value!r}" if self.value else ""
        zh = f" / {self.message_zh}" if self.message_zh and self.message_zh != self.message else ""
        return f"{where}{column}{value}: {self.message}{zh}"


@dataclass
class ImportResult:
    kind: str
    status: Status = "ok"
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    committed: bool = False
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def exit_code(self) -> int:
        return {"ok": 0, "invalid": 1, "unreadable": 2}[self.status]

    def summary(self) -> str:
        if self.status == "unreadable":
            return "无法读取文件 / the file could not be read"
        if self.status == "invalid":
            return (
                f"{len(self.errors)} error(s) in {self.rows} row(s); nothing was imported "
                f"/ 发现 {len(self.errors)} 处错误，未导入任何数据"
            )
        return (
            f"{self.rows} {self.kind} row(s): {self.created} created, {self.updated} "
            f"updated, {self.unchanged} unchanged"
            f"{' (dry run, nothing saved)' if self.dry_run else ''} / "
            f"新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"
            f"{'（试运行，未保存）' if self.dry_run else ''}"
        )


REPORT_HEADERS = ("row", "cell", "column", "value", "severity", "message", "message_zh")


def write_report(result: ImportResult, stream: IO[str]) -> None:
    """The errors and warnings as CSV (open the stream with ``encoding="utf-8-sig"`` so
    Excel shows the Chinese)."""
    writer = csv_writer(stream, lineterminator="\r\n")
    writer.writerow(REPORT_HEADERS)
    for issue in [*result.errors, *result.warnings]:
        d = issue.as_dict()
        writer.writerow(["" if d[h] is None else d[h] for h in REPORT_HEADERS])


# ---------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------


def import_file(
    kind: Kind,
    source: bytes | str | Path,
    filename: str | None = None,
    *,
    session: Session,
    max_bytes: int | None = None,
    dry_run: bool = False,
    allow_unknown_columns: bool = False,
    progress: bool = False,
) -> ImportResult:
    """Read ``source`` (a path, or uploaded bytes with their ``filename``) and import it.
    A file that cannot be read comes back with ``status="unreadable"`` and one error."""
    try:
        table = read_table(source, filename, max_bytes=max_bytes)
    except UnreadableTable as exc:
        return ImportResult(
            kind=kind,
            status="unreadable",
            dry_run=dry_run,
            errors=[ImportIssue(None, "", "", exc.message, exc.message_zh)],
        )
    return import_table(
        kind,
        table,
        session=session,
        dry_run=dry_run,
        allow_unknown_columns=allow_unknown_columns,
        progress=progress,
    )


def import_table(
    kind: Kind,
    table: Table,
    *,
    session: Session,
    dry_run: bool = False,
    allow_unknown_columns: bool = False,
    progress: bool = False,
) -> ImportResult:
    """Validate every row of ``table``; when all are valid upsert them and commit once
    (or roll back when ``dry_run``). Nothing is written when any row is invalid."""
    if kind not in COLUMNS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    result = ImportResult(kind=kind, rows=len(table.rows), dry_run=dry_run, encoding=table.encoding)
    layout = _map_headers(kind, table, result, allow_unknown_columns=allow_unknown_columns)
    if layout is None:
        result.status = "invalid"
        return result
    context = _Context.load(session, kind)
    prepared = _validate_rows(kind, table, layout, context, result, progress=progress)
    if result.errors:
        result.status = "invalid"
        return result
    touched = {attr for column in layout.values() for attr in column.attrs}
    try:
        _upsert(kind, prepared, touched, context, session, result, progress=progress)
        if dry_run:
            session.rollback()
        else:
            session.commit()
            result.committed = True
    except SQLAlchemyError as exc:
        session.rollback()
        result.created = result.updated = result.unchanged = 0
        result.status = "invalid"
        result.errors.append(
            ImportIssue(
                None,
                "",
                "",
                f"the database refused the import, nothing was saved: "
                f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}",
                "数据库拒绝了本次导入，未保存任何数据",
            )
        )
    return result


# ---------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------


def _map_headers(
    kind: Kind, table: Table, result: ImportResult, *, allow_unknown_columns: bool
) -> dict[int, Column] | None:
    """Column index → Column. Returns ``None`` when a required column is missing or a
    column appears twice (then no row can be read reliably)."""
    columns = COLUMNS[kind]
    layout: dict[int, Column] = {}
    seen: dict[str, int] = {}
    fatal = False
    for index, header in enumerate(table.headers):
        cell = f"{column_letter(index)}1"
        if not header:
            if any(index < len(cells) and cells[index] for _, cells in table.rows):
                result.errors.append(
                    ImportIssue(
                        1,
                        f"(column {column_letter(index)})",
                        "",
                        "this column has data but no header",
                        "该列有数据但没有表头",
                        cell=cell,
                    )
                )
            continue
        column = match_header(header, columns)
        if column is None:
            issue = ImportIssue(
                1,
                header,
                header,
                f"unknown column; expected one of: {', '.join(c.key for c in columns)}",
                f"无法识别的列名；可用列名见导入模板（{'、'.join(c.zh for c in columns)}）",
                cell=cell,
                severity="warning" if allow_unknown_columns else "error",
            )
            (result.warnings if allow_unknown_columns else result.errors).append(issue)
            continue
        if column.key in seen:
            first = table.headers[seen[column.key]]
            result.errors.append(
                ImportIssue(
                    1,
                    header,
                    header,
                    f"column {column.key} appears twice (also {first!r})",
                    f"列“{column.zh}”重复出现",
                    cell=cell,
                )
            )
            fatal = True
            continue
        seen[column.key] = index
        layout[index] = column
    alternatives = _ALTERNATIVES[kind]
    for column in columns:
        if column.required and column.key not in seen:
            result.errors.append(
                ImportIssue(
                    1,
                    column.header,
                    "",
                    f"required column {column.key} ({column.zh}) is missing",
                    f"缺少必填列“{column.zh}”({column.key})",
                )
            )
            fatal = True
    for key, others in alternatives.items():
        if key not in seen and not any(o in seen for o in others):
            column = next(c for c in columns if c.key == key)
            result.errors.append(
                ImportIssue(
                    1,
                    column.header,
                    "",
                    f"a {key} or {' / '.join(others)} column is required",
                    f"需要“{column.zh}”列或其替代列",
                )
            )
            fatal = True
    if len(table.headers) == 1 and table.delimiter is not None and not layout:
        result.errors.append(
            ImportIssue(
                1,
                table.headers[0],
                table.headers[0][:80],
                "only one column was found: is the file separated by commas?",
                "只识别到一列：请确认文件以逗号分隔",
            )
        )
        fatal = True
    return None if fatal else layout


# ---------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------


@dataclass
class _Context:
    """What validation needs from the database, read once per import."""

    vocab: Vocabularies
    counties: dict[str, County]
    county_by_name: dict[str, str]
    townships: dict[tuple[str, str], Township]
    programme_codes: set[str]
    site_ids: dict[str, int] = field(default_factory=dict)
    institution_ids: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, kind: Kind) -> _Context:
        counties = {c.code: c for c in session.scalars(select(County))}
        by_name: dict[str, str] = {}
        for county in counties.values():
            for name in (county.name, county.former_name, county.name_en, county.code):
                if name:
                    by_name.setdefault(norm(name), county.code)
            # 双柏 for 双柏县, 楚雄 for 楚雄市
            short = re.sub(r"(彝族自治县|自治县|县|市)$", "", county.name)
            if short:
                by_name.setdefault(norm(short), county.code)
        townships: dict[tuple[str, str], Township] = {}
        for township in session.scalars(select(Township)):
            townships.setdefault((township.county_code, norm(township.name)), township)
            short = re.sub(
                r"(((彝|傣|傈僳|苗|白|回|哈尼|壮|民)族)?[乡镇]|街道(办事处)?)$", "", township.name
            )
            if short:
                townships.setdefault((township.county_code, norm(short)), township)
        context = cls(
            vocab=load_vocabularies(),
            counties=counties,
            county_by_name=by_name,
            townships=townships,
            programme_codes=set(session.scalars(select(Programme.code))),
        )
        if kind == "needs":
            context.site_ids = {
                ext: id_ for ext, id_ in session.execute(select(Site.external_id, Site.id))
            }
        if kind == "talents":
            for id_, ext, name in session.execute(
                select(Institution.id, Institution.external_id, Institution.name)
            ):
                context.institution_ids.setdefault(norm(name), id_)
                context.institution_ids[norm(ext)] = id_
        return context

    def schema_context(self) -> dict[str, Any]:
        return {
            "county_codes": set(self.counties),
            "site_types": set(self.vocab.site_types.codes),
            "talent_categories": set(self.vocab.talent_categories.codes),
            "skill_codes": set(self.vocab.skills.codes),
            "programme_codes": self.programme_codes,
        }


class _CellError(Exception):
    def __init__(self, key: str, message: str, message_zh: str = "") -> None:
        super().__init__(message)
        self.key = key
        self.message = message
        self.message_zh = message_zh


@dataclass
class _Row:
    """One valid row, ready to write: table attribute values (and windows)."""

    number: int
    external_id: str
    values: dict[str, Any]
    windows: list[tuple[date, date]] | None = None


class _RowReader:
    """The cells of one row by column key, plus what to report about them."""

    def __init__(
        self, number: int, cells: list[str], layout: Mapping[int, Column], headers: Sequence[str]
    ) -> None:
        self.number = number
        self.values: dict[str, str] = {}
        self.where: dict[str, tuple[str, str]] = {}  # key → (header text, cell ref)
        for index, column in layout.items():
            self.values[column.key] = cells[index] if index < len(cells) else ""
            self.where[column.key] = (headers[index], f"{column_letter(index)}{number}")
        self.present = set(self.values)
        self.errors: list[ImportIssue] = []
        self.warnings: list[ImportIssue] = []

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def issue(
        self,
        key: str,
        message: str,
        message_zh: str = "",
        *,
        warning: bool = False,
        candidates: Sequence[str] = (),
    ) -> None:
        keys = [key, *candidates]
        located = next((k for k in keys if k in self.where and self.get(k)), None)
        located = located or next((k for k in keys if k in self.where), key)
        header, cell = self.where.get(located, (located, ""))
        item = ImportIssue(
            self.number,
            header,
            self.get(located),
            message,
            message_zh,
            cell=cell,
            severity="warning" if warning else "error",
        )
        (self.warnings if warning else self.errors).append(item)

    def guard(self, key: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return fn(*args, **kwargs)
        except _CellError as exc:
            self.issue(exc.key or key, exc.message, exc.message_zh)
            return None


_TRUE = {"1", "true", "t", "yes", "y", "是", "对", "√", "✓", "有"}
_FALSE = {"0", "false", "f", "no", "n", "否", "不是", "×", "✗", "无"}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S")
_LIST_SPLIT = re.compile(r"[;；、，,|\n]+")
_RANGE_SPLIT = re.compile(r"\s*(?:~|～|〜|至|到|—|–)\s*")


def _parse_bool(key: str, text: str) -> bool:
    value = norm(text)
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _CellError(key, "expected yes/no (是/否, 1/0, true/false)", "应填“是”或“否”")


def _parse_date(key: str, text: str) -> date:
    value = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise _CellError(
        key,
        "not a date; write it as YYYY-MM-DD, e.g. 2025-03-01",
        "日期格式有误，应为 年-月-日，如 2025-03-01",
    )


def _parse_windows(key: str, text: str) -> list[dict[str, date]]:
    windows = []
    for part in re.split(r"[;；\n]+|[,，](?=\s*\d{4})", text):
        if not part.strip():
            continue
        ends = [p for p in _RANGE_SPLIT.split(part.strip()) if p]
        if len(ends) != 2:
            raise _CellError(
                key,
                f"{part.strip()!r} is not a window; write start~end, e.g. "
                "2025-03-01~2025-06-30; separate windows with ;",
                "时段格式有误，应为 开始~结束，如 2025-03-01~2025-06-30，多个时段用分号隔开",
            )
        windows.append(
            {"start_date": _parse_date(key, ends[0]), "end_date": _parse_date(key, ends[1])}
        )
    return windows


def _map_one(key: str, text: str, vocab: Vocab, *, strict: bool = True) -> str:
    code = vocab.get(text)
    if code is None:
        if not strict:
            return text.strip()  # the schema names it with its own message
        raise _CellError(
            key,
            f"unknown {vocab.what} {text.strip()!r}; expected e.g. {vocab.hint()}",
            f"无法识别的{vocab.what_zh}“{text.strip()}”，可选：{vocab.hint()}",
        )
    return code


def _map_list(key: str, text: str, vocab: Vocab, *, strict: bool = True) -> list[str]:
    out: list[str] = []
    for part in _LIST_SPLIT.split(text):
        if part.strip():
            code = _map_one(key, part, vocab, strict=strict)
            if code not in out:
                out.append(code)
    return out


def _level(key: str, text: str, vocab: Vocab) -> int:
    value = text.strip()
    if value.isdigit():
        return int(value)  # the schema checks the range
    code = _map_one(key, value, vocab)
    return vocab.levels[code]


def _county_code(row: _RowReader, ctx: _Context, code_key: str, name_key: str) -> str | None:
    code_text, name_text = row.get(code_key), row.get(name_key)
    code: str | None = None
    if code_text:
        code = code_text if code_text in ctx.counties else ctx.county_by_name.get(norm(code_text))
        if code is None:
            row.issue(
                code_key, f"unknown county code {code_text!r}", f"无法识别的县市代码“{code_text}”"
            )
            return None
    if name_text:
        by_name = ctx.county_by_name.get(norm(name_text))
        if by_name is None:
            names = "、".join(c.name for c in ctx.counties.values())
            row.issue(
                name_key,
                f"unknown county {name_text!r}; expected one of {names}",
                f"无法识别的县市“{name_text}”，应为：{names}",
            )
            return None
        if code is not None and code != by_name:
            row.issue(
                name_key,
                f"county {name_text!r} does not match county code {code_text!r}",
                f"县市“{name_text}”与县市代码“{code_text}”不一致",
            )
            return None
        code = by_name
    return code


_ZH_BY_TYPE = {
    "missing": "必填，不能为空",
    "string_too_long": "内容太长",
    "string_too_short": "内容太短或为空",
    "string_pattern_mismatch": "格式不正确",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "too_long": "项数太多",
    "too_short": "至少填写一项",
    "enum": "不是可选值之一",
    "date_from_datetime_parsing": "日期格式有误，应为 2025-03-01",
    "date_parsing": "日期格式有误，应为 2025-03-01",
    "bool_parsing": "应填“是”或“否”",
}


def _schema_errors(row: _RowReader, exc: ValidationError, fallback: str) -> None:
    for err in exc.errors(include_url=False):
        loc = [str(p) for p in err.get("loc", ())]
        field_name = loc[0] if loc else fallback
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if err.get("type") == "missing":
            message = "required; the cell is empty"
        zh = _ZH_BY_TYPE.get(str(err.get("type")), "")
        if "unknown" in message and not zh:
            zh = "不是已登记的取值（见参考数据）"
        if "before start_date" in message:
            zh = "结束日期早于开始日期"
            field_name = "windows" if field_name == "windows" else "end_date"
        candidates = _FIELD_COLUMNS.get(field_name, ())
        row.issue(field_name, message, zh, candidates=candidates)


def _validate_rows(
    kind: Kind,
    table: Table,
    layout: Mapping[int, Column],
    ctx: _Context,
    result: ImportResult,
    *,
    progress: bool,
) -> list[_Row]:
    prepare = {"sites": _prepare_site, "needs": _prepare_need, "talents": _prepare_talent}[kind]
    schema_context = ctx.schema_context()
    width = len(table.headers)
    seen: dict[str, int] = {}
    prepared: list[_Row] = []
    for number, cells in _progress(table.rows, progress, f"checking {kind}"):
        row = _RowReader(number, cells, layout, table.headers)
        extra = [c for c in cells[width:] if c]
        if extra:
            row.errors.append(
                ImportIssue(
                    number,
                    f"(column {column_letter(width)})",
                    extra[0][:80],
                    f"this row has {len(cells)} cells but the header has {width} columns "
                    "(a stray delimiter or quote?)",
                    f"本行单元格数（{len(cells)}）多于表头列数（{width}）",
                    cell=f"{column_letter(width)}{number}",
                )
            )
        external_id = row.get("external_id")
        if not external_id:
            row.issue(
                "external_id",
                "required: a stable id keyed on by re-imports",
                "编号必填（再次导入时据此更新）",
            )
        elif len(external_id) > 64:
            row.issue("external_id", "longer than 64 characters", "编号超过 64 个字符")
        elif external_id in seen:
            row.issue(
                "external_id",
                f"duplicate id: also used on row {seen[external_id]}",
                f"编号重复：与第 {seen[external_id]} 行相同",
            )
        else:
            seen[external_id] = number
        out = prepare(row, ctx, schema_context)
        result.errors.extend(row.errors)
        result.warnings.extend(row.warnings)
        if out is not None and not row.errors:
            prepared.append(out)
    return prepared


def _gather(row: _RowReader, keys: Iterable[str]) -> dict[str, Any]:
    """Non-empty cells by key; an empty cell is left out so the schema's default (or
    its "required") applies."""
    return {key: row.get(key) for key in keys if row.get(key)}


def _validate(
    row: _RowReader,
    schema: type[BaseModel],
    data: dict[str, Any],
    context: dict[str, Any],
    fallback: str,
) -> Any:
    try:
        return schema.model_validate(data, context=context)
    except ValidationError as exc:
        _schema_errors(row, exc, fallback)
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _prepare_site(row: _RowReader, ctx: _Context, context: dict[str, Any]) -> _Row | None:
    v = ctx.vocab
    data = _gather(row, ("name", "lat", "lon", "altitude_m", "contact_name", "phone", "email"))
    for key in ("contact_name", "phone", "email", "altitude_m"):
        if key in row.present and not row.get(key):
            data[key] = None
    if row.get("site_type"):
        data["site_type"] = _map_one("site_type", row.get("site_type"), v.site_types, strict=False)
    county = _county_code(row, ctx, "county_code", "county")
    if county is not None:
        data["county_code"] = county
    township: Township | None = None
    if row.get("township") and county is not None:
        township = ctx.townships.get((county, norm(row.get("township"))))
        if township is None:
            names = "、".join(
                sorted({t.name for (c, _), t in ctx.townships.items() if c == county})
            )
            row.issue(
                "township",
                f"no township {row.get('township')!r} in county {ctx.counties[county].name}",
                f"{ctx.counties[county].name}没有名为"
                f"“{row.get('township')}”的乡镇；可选：{names[:200]}",
            )
        else:
            data["township"] = township.name
    if row.get("poverty_township"):
        data["poverty_township"] = row.guard(
            "poverty_township", _parse_bool, "poverty_township", row.get("poverty_township")
        )
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
    if row.errors:
        return None
    model = _validate(row, SiteCreate, data, context, "lat")
    if model is None:
        return None
    values = {
        key: _plain(getattr(model, key))
        for key in (
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
    }
    values["township_id"] = township.id if township is not None else None
    values["poverty_township"] = bool(model.poverty_township)
    return _Row(row.number, row.get("external_id"), values)


_STATUS_WORDS = {
    NeedStatus.OPEN: ("open", "开放", "招募中", "进行中", "待对接"),
    NeedStatus.FILLED: ("filled", "已满", "已对接", "已满员"),
    NeedStatus.CLOSED: ("closed", "关闭", "已关闭", "结束", "已结束"),
}


def _prepare_need(row: _RowReader, ctx: _Context, context: dict[str, Any]) -> _Row | None:
    v = ctx.vocab
    data = _gather(row, ("title", "description", "headcount", "days_needed", "programme_code"))
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
    if row.get("mode"):
        data["mode"] = row.guard("mode", _map_one, "mode", row.get("mode"), v.modes)
    for key in ("skills", "licences", "languages"):
        text = row.get(key)
        vocab = {"skills": v.skills, "licences": v.licences, "languages": v.languages}[key]
        if text:
            data[key] = row.guard(key, _map_list, key, text, vocab, strict=key != "skills")
    for key, vocab in (("min_title_level", v.title_levels), ("min_degree_level", v.degree_levels)):
        if row.get(key):
            data[key] = row.guard(key, _level, key, row.get(key), vocab)
    for key in ("start_date", "end_date"):
        if row.get(key):
            data[key] = row.guard(key, _parse_date, key, row.get(key))
    status = NeedStatus.OPEN.value
    if row.get("status"):
        found = next(
            (s for s, words in _STATUS_WORDS.items() if norm(row.get("status")) in words), None
        )
        if found is None:
            row.issue("status", "status must be open, filled or closed", "状态应为 开放/已满/关闭")
        else:
            status = found.value
    if row.errors:
        return None
    model = _validate(row, NeedCreate, data, context, "end_date")
    if model is None or site_id is None:
        return None
    values = {
        key: _plain(getattr(model, key))
        for key in (
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
        )
    }
    values["site_id"] = site_id
    values["status"] = status
    return _Row(row.number, row.get("external_id"), values)


def _prepare_talent(row: _RowReader, ctx: _Context, context: dict[str, Any]) -> _Row | None:
    v = ctx.vocab
    data = _gather(
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
    for key in ("phone", "email", "id_number"):
        if key in row.present and not row.get(key):
            data[key] = None
    if row.get("category"):
        data["category"] = _map_one(
            "category", row.get("category"), v.talent_categories, strict=False
        )
    institution_id: int | None = None
    if row.get("institution"):
        institution_id = ctx.institution_ids.get(norm(row.get("institution")))
        if institution_id is None:
            row.issue(
                "institution",
                f"no institution {row.get('institution')!r} (by id or name)",
                f"找不到单位“{row.get('institution')}”（按编号或名称）",
            )
    for key, vocab in (("title_level", v.title_levels), ("degree_level", v.degree_levels)):
        if row.get(key):
            data[key] = row.guard(key, _level, key, row.get(key), vocab)
    for key in ("skills", "licences", "languages", "modes"):
        text = row.get(key)
        vocab = {
            "skills": v.skills,
            "licences": v.licences,
            "languages": v.languages,
            "modes": v.modes,
        }[key]
        if text:
            data[key] = row.guard(key, _map_list, key, text, vocab, strict=key != "skills")
    home = _county_code(row, ctx, "home_county_code", "home_county")
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
    windows: list[dict[str, date]] = []
    if row.get("windows"):
        windows.extend(row.guard("windows", _parse_windows, "windows", row.get("windows")) or [])
    start_text, end_text = row.get("available_from"), row.get("available_to")
    if start_text or end_text:
        if not (start_text and end_text):
            row.issue(
                "available_to" if start_text else "available_from",
                "give both available_from and available_to",
                "可服务开始和结束日期须同时填写",
            )
        else:
            start = row.guard("available_from", _parse_date, "available_from", start_text)
            end = row.guard("available_to", _parse_date, "available_to", end_text)
            if start is not None and end is not None:
                windows.append({"start_date": start, "end_date": end})
    data["windows"] = windows
    active = True
    if row.get("active"):
        active = bool(row.guard("active", _parse_bool, "active", row.get("active")))
    if row.errors:
        return None
    model = _validate(row, TalentCreate, data, context, "windows")
    if model is None:
        return None
    values = {
        key: _plain(getattr(model, key))
        for key in (
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
            "phone",
            "email",
            "id_number",
        )
    }
    if values["id_number"]:
        values["id_number"] = values["id_number"].upper()
    values["institution_id"] = institution_id
    values["active"] = active
    spans = sorted({(w.start_date, w.end_date) for w in model.windows})
    return _Row(row.number, row.get("external_id"), values, windows=spans)


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------

_MODELS: dict[str, Any] = {
    "sites": Site,
    "needs": Need,
    "talents": Talent,
}
_CHUNK = 500


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _upsert(
    kind: Kind,
    rows: list[_Row],
    touched: set[str],
    ctx: _Context,
    session: Session,
    result: ImportResult,
    *,
    progress: bool,
) -> None:
    model = _MODELS[kind]
    bar = _bar(len(rows), progress, f"writing {kind}")
    try:
        for chunk in _chunks(rows, _CHUNK):
            stmt = select(model).where(model.external_id.in_([r.external_id for r in chunk]))
            if model is Talent:
                stmt = stmt.options(selectinload(Talent.windows))
            existing = {obj.external_id: obj for obj in session.scalars(stmt)}
            for row in chunk:
                obj = existing.get(row.external_id)
                if obj is None:
                    obj = model(external_id=row.external_id, **row.values)
                    if isinstance(obj, Talent) and row.windows:
                        obj.windows = [
                            AvailabilityWindow(start_date=s, end_date=e) for s, e in row.windows
                        ]
                    session.add(obj)
                    result.created += 1
                elif _update(obj, row, touched):
                    result.updated += 1
                else:
                    result.unchanged += 1
            session.flush()
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()


def _update(obj: Site | Need | Talent, row: _Row, touched: set[str]) -> bool:
    """Set the attributes the file speaks for; True when anything changed."""
    changed = False
    for attr, value in row.values.items():
        if attr in touched and getattr(obj, attr) != value:
            setattr(obj, attr, value)
            changed = True
    if isinstance(obj, Talent) and "windows" in touched and row.windows is not None:
        current = sorted((w.start_date, w.end_date) for w in obj.windows)
        if current != row.windows:
            obj.windows = [AvailabilityWindow(start_date=s, end_date=e) for s, e in row.windows]
            changed = True
    return changed


def _progress(items: Sequence[T], enabled: bool, desc: str) -> Iterable[T]:
    if not enabled or len(items) < 200:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="row", leave=False)


def _bar(total: int, enabled: bool, desc: str) -> Any:
    if not enabled or total < 200:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="row", leave=False)
