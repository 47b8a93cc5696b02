"""Export sites, needs, talents and matches as CSV or XLSX.

Sites, needs and talents go out under the very headers the importer reads
(``编号(external_id)`` …: the column schema of ``service.usecases.columns``) with codes
for every vocabulary, so an export imports back unchanged. Every cell is written by
``service.usecases.tabular`` (``write_csv``/``write_xlsx``). Contact fields (phone,
e-mail, 身份证号, a site's contact person) are left out unless ``include_contacts`` is
asked for: under 个人信息保护法 a bulk file of people's phone numbers is the exception,
not the default."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from models import Institution, Match, Need, Site, Talent, Township
from service import timefmt
from service.i18n import translate
from service.usecases.columns import MATCH_COLUMNS, export_columns
from service.usecases.tabular import write_csv, write_xlsx

ExportKind = Literal["matches", "needs", "talents", "sites"]
EXPORT_KINDS: tuple[ExportKind, ...] = ("matches", "needs", "talents", "sites")
Format = Literal["csv", "xlsx"]

_BATCH = 1000


@dataclass
class ExportTable:
    headers: list[str]
    rows: Iterator[list[Any]]


def _list(value: Sequence[Any] | None) -> str:
    return ";".join(str(v) for v in value or ())


def _word(kind: str, code: Any, locale: str = "zh-CN") -> Any:
    """A vocabulary code as its name, Chinese unless asked (the importer reads names as
    well as codes, so the file still imports back); an unknown code stays as it is."""
    from service.usecases.reference import labels

    if code is None or code == "":
        return code
    pair = labels().get(kind, {}).get(str(code))
    if pair is None:
        return code
    return pair[1] if locale == "en" else pair[0]


def _words(kind: str, codes: Sequence[Any] | None) -> str:
    return ";".join(str(_word(kind, c)) for c in codes or ())


def _yes_no(value: bool | None) -> str:
    return "是" if value else "否"


def _stream(session: Session, stmt: Any) -> Iterator[Any]:
    # yield_per keeps memory flat for 100,000 talents; rows come in batches.
    yield from session.execute(stmt.execution_options(yield_per=_BATCH))


def _site_rows(session: Session, keys: list[str]) -> Iterator[list[Any]]:
    stmt = (
        select(Site, Township.name)
        .outerjoin(Township, Site.township_id == Township.id)
        .order_by(Site.external_id)
    )
    for site, township in _stream(session, stmt):
        values: dict[str, Any] = {
            "external_id": site.external_id,
            "name": site.name,
            "site_type": _word("site_type", site.site_type),
            "county_code": site.county_code,
            "township": township or "",
            "lat": site.lat,
            "lon": site.lon,
            "altitude_m": site.altitude_m,
            "poverty_township": _yes_no(site.poverty_township),
            "contact_name": site.contact_name,
            "phone": site.phone,
            "email": site.email,
        }
        yield [values[k] for k in keys]


def _need_rows(session: Session, keys: list[str]) -> Iterator[list[Any]]:
    stmt = (
        select(Need, Site.external_id)
        .join(Site, Need.site_id == Site.id)
        .order_by(Need.external_id)
    )
    for need, site_ext in _stream(session, stmt):
        values: dict[str, Any] = {
            "external_id": need.external_id,
            "site_external_id": site_ext,
            "title": need.title,
            "description": need.description,
            "skills": _words("skill", need.skills),
            "mode": _word("mode", need.mode),
            "min_title_level": _word("title", need.min_title_level),
            "min_degree_level": _word("degree", need.min_degree_level),
            "licences": _words("licence", need.licences),
            "languages": _words("language", need.languages),
            "start_date": need.start_date,
            "end_date": need.end_date,
            "headcount": need.headcount,
            "days_needed": need.days_needed,
            "programme_code": need.programme_code,
            "required_categories": _words("category", need.required_categories),
            "status": translate(f"need_status.{need.status}", "zh-CN"),
        }
        yield [values[k] for k in keys]


def _talent_rows(session: Session, keys: list[str]) -> Iterator[list[Any]]:
    stmt = (
        select(Talent, Institution.external_id)
        .outerjoin(Institution, Talent.institution_id == Institution.id)
        .options(selectinload(Talent.windows))
        .order_by(Talent.external_id)
    )
    for talent, institution in _stream(session, stmt):
        windows = ";".join(
            f"{w.start_date.isoformat()}~{w.end_date.isoformat()}" for w in talent.windows
        )
        values: dict[str, Any] = {
            "external_id": talent.external_id,
            "name": talent.name,
            "category": _word("category", talent.category),
            "institution": institution,
            "title_level": _word("title", talent.title_level),
            "degree_level": _word("degree", talent.degree_level),
            "licences": _words("licence", talent.licences),
            "languages": _words("language", talent.languages),
            "skills": _words("skill", talent.skills),
            "bio": talent.bio,
            "home_county_code": talent.home_county_code,
            "base_lat": talent.base_lat,
            "base_lon": talent.base_lon,
            "travel_radius_km": talent.travel_radius_km,
            "modes": _words("mode", talent.modes),
            "capacity_concurrent": talent.capacity_concurrent,
            "capacity_days_per_year": talent.capacity_days_per_year,
            "windows": windows,
            "long_placement_ok": _yes_no(talent.long_placement_ok),
            "active": _yes_no(talent.active),
            "phone": talent.phone,
            "email": talent.email,
            "id_number": talent.id_number,
        }
        yield [values[k] for k in keys]


def _match_rows(session: Session, locale: str, zone_name: str) -> Iterator[list[Any]]:
    need, site, talent = aliased(Need), aliased(Site), aliased(Talent)
    stmt = (
        select(
            Match,
            need.external_id,
            need.title,
            site.external_id,
            site.name,
            site.county_code,
            talent.external_id,
            talent.name,
            talent.category,
        )
        .join(need, Match.need_id == need.id)
        .join(site, need.site_id == site.id)
        .join(talent, Match.talent_id == talent.id)
        .order_by(Match.id)
    )
    for match, *rest in _stream(session, stmt):
        *head, county, talent_ext, talent_name, category = rest
        yield [
            match.id,
            *head,
            county,
            _word("county", county, locale),
            talent_ext,
            talent_name,
            _word("category", category, locale),
            translate(f"status.{match.status}", locale),
            round(match.score, 4),
            translate(f"match.origin.{match.origin}", locale),
            _local(match.created_at, zone_name),
            _local(match.updated_at, zone_name),
        ]


def _local(value: datetime | None, zone_name: str) -> str:
    """An instant in the display zone (its header names the zone), as a spreadsheet sorts it."""
    if value is None:
        return ""
    return timefmt.local(value, zone_name).strftime("%Y-%m-%d %H:%M:%S")


def _match_headers(locale: str, zone_name: str) -> list[str]:
    """The matches' headers in the reader's language, the machine key after each (as the
    importer's headers carry it); the two times name their zone."""
    headers = []
    for column in MATCH_COLUMNS:
        label = translate(f"exports.match.{column.key}", locale)
        if column.type == "datetime":
            zone = timefmt.zone_label(zone_name, locale)
            label = translate("exports.in_zone", locale).format(label=label, zone=zone)
        headers.append(f"{label}({column.key})")
    return headers


def export_table(
    kind: ExportKind,
    *,
    session: Session,
    include_contacts: bool = False,
    locale: str = "zh-CN",
    zone_name: str = timefmt.DEFAULT_ZONE,
) -> ExportTable:
    """Headers and a lazy row iterator (iterate while the session is open). Matches are
    written in ``locale`` with times in ``zone_name``; sites, needs and talents keep the
    importer's Chinese headers so that they import back."""
    if kind == "matches":
        return ExportTable(
            _match_headers(locale, zone_name), _match_rows(session, locale, zone_name)
        )
    makers: dict[str, Callable[[Session, list[str]], Iterator[list[Any]]]] = {
        "sites": _site_rows,
        "needs": _need_rows,
        "talents": _talent_rows,
    }
    if kind not in makers:
        raise ValueError(f"unknown export kind {kind!r}; expected one of {', '.join(EXPORT_KINDS)}")
    columns = export_columns(kind, include_contacts=include_contacts)
    return ExportTable([c.header for c in columns], makers[kind](session, [c.key for c in columns]))


def _cell(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def export(
    kind: ExportKind,
    target: Path | IO[str] | IO[bytes],
    *,
    session: Session,
    fmt: Format = "csv",
    include_contacts: bool = False,
    locale: str = "zh-CN",
    zone_name: str = timefmt.DEFAULT_ZONE,
) -> int:
    """Write ``kind`` to ``target`` (a path, a text stream for CSV or a binary stream for
    XLSX); returns the number of rows. CSV files written to a path carry a UTF-8 BOM so
    Excel on a Chinese Windows shows the characters rather than mojibake."""
    table = export_table(
        kind, session=session, include_contacts=include_contacts, locale=locale, zone_name=zone_name
    )
    rows = ([_cell(v) for v in row] for row in table.rows)
    if fmt == "xlsx":
        if isinstance(target, Path):
            target.parent.mkdir(parents=True, exist_ok=True)
        title = translate(f"exports.kind.{kind}", locale if kind == "matches" else "zh-CN")
        return write_xlsx(table.headers, rows, target, sheet_title=title)  # type: ignore[arg-type]
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}; expected csv or xlsx")
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            return write_csv(table.headers, rows, handle)
    return write_csv(table.headers, rows, target)  # type: ignore[arg-type]
