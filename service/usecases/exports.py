"""Export sites, needs, talents and matches as CSV or XLSX.

Sites, needs and talents go out under the very headers the importer reads, in the reader's
language (``编号(external_id)`` or ``Number(external_id)`` …: the column schema of
``service.usecases.columns``) with each vocabulary's names in that language, which the
importer reads as well as codes, so an export in either language imports back unchanged.
Every cell is written by ``service.usecases.tabular`` (``write_csv``/``write_xlsx``).
Contact fields (phone, e-mail, 身份证号, a site's contact person) are left out unless
``include_contacts`` is asked for: under 个人信息保护法 a bulk file of people's phone
numbers is the exception, not the default."""

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
    """A vocabulary code as its name in ``locale`` (the importer reads the names of either
    language as well as codes, so the file still imports back); an unknown code stays."""
    from service.usecases.reference import labels

    if code is None or code == "":
        return code
    pair = labels().get(kind, {}).get(str(code))
    if pair is None:
        return code
    return pair[1] if locale == "en" else pair[0]


def _words(kind: str, codes: Sequence[Any] | None, locale: str = "zh-CN") -> str:
    return ";".join(str(_word(kind, c, locale)) for c in codes or ())


def _yes_no(value: bool | None, locale: str = "zh-CN") -> str:
    return translate("common.yes" if value else "common.no", locale)


def _stream(session: Session, stmt: Any) -> Iterator[Any]:
    # yield_per keeps memory flat for 100,000 talents; rows come in batches.
    yield from session.execute(stmt.execution_options(yield_per=_BATCH))


def _site_rows(session: Session, keys: list[str], locale: str) -> Iterator[list[Any]]:
    from service.places import township_name

    stmt = (
        select(Site, Township.name)
        .outerjoin(Township, Site.township_id == Township.id)
        .order_by(Site.external_id)
    )
    for site, township in _stream(session, stmt):
        values: dict[str, Any] = {
            "external_id": site.external_id,
            "name": site.name,
            "site_type": _word("site_type", site.site_type, locale),
            "county_code": site.county_code,
            "township": township_name(site.county_code, township, locale) if township else "",
            "lat": site.lat,
            "lon": site.lon,
            "altitude_m": site.altitude_m,
            "poverty_township": _yes_no(site.poverty_township, locale),
            "contact_name": site.contact_name,
            "phone": site.phone,
            "email": site.email,
        }
        yield [values[k] for k in keys]


def _need_rows(session: Session, keys: list[str], locale: str) -> Iterator[list[Any]]:
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
            "skills": _words("skill", need.skills, locale),
            "mode": _word("mode", need.mode, locale),
            "min_title_level": _word("title", need.min_title_level, locale),
            "min_degree_level": _word("degree", need.min_degree_level, locale),
            "licences": _words("licence", need.licences, locale),
            "languages": _words("language", need.languages, locale),
            "start_date": need.start_date,
            "end_date": need.end_date,
            "headcount": need.headcount,
            "days_needed": need.days_needed,
            "programme_code": need.programme_code,
            "required_categories": _words("category", need.required_categories, locale),
            "status": translate(f"need_status.{need.status}", locale),
        }
        yield [values[k] for k in keys]


def _talent_rows(session: Session, keys: list[str], locale: str) -> Iterator[list[Any]]:
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
            "category": _word("category", talent.category, locale),
            "institution": institution,
            "title_level": _word("title", talent.title_level, locale),
            "degree_level": _word("degree", talent.degree_level, locale),
            "licences": _words("licence", talent.licences, locale),
            "languages": _words("language", talent.languages, locale),
            "skills": _words("skill", talent.skills, locale),
            "bio": talent.bio,
            "home_county_code": talent.home_county_code,
            "base_lat": talent.base_lat,
            "base_lon": talent.base_lon,
            "travel_radius_km": talent.travel_radius_km,
            "modes": _words("mode", talent.modes, locale),
            "capacity_concurrent": talent.capacity_concurrent,
            "capacity_days_per_year": talent.capacity_days_per_year,
            "windows": windows,
            "long_placement_ok": _yes_no(talent.long_placement_ok, locale),
            "active": _yes_no(talent.active, locale),
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
    """Headers and a lazy row iterator (iterate while the session is open), written in
    ``locale``; the matches' times in ``zone_name``. Sites, needs and talents import back
    in either language."""
    if kind == "matches":
        return ExportTable(
            _match_headers(locale, zone_name), _match_rows(session, locale, zone_name)
        )
    makers: dict[str, Callable[[Session, list[str], str], Iterator[list[Any]]]] = {
        "sites": _site_rows,
        "needs": _need_rows,
        "talents": _talent_rows,
    }
    if kind not in makers:
        raise ValueError(f"unknown export kind {kind!r}; expected one of {', '.join(EXPORT_KINDS)}")
    columns = export_columns(kind, include_contacts=include_contacts)
    return ExportTable(
        [c.header_in(locale) for c in columns],
        makers[kind](session, [c.key for c in columns], locale),
    )


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
        title = translate(f"exports.kind.{kind}", locale)
        return write_xlsx(table.headers, rows, target, sheet_title=title)  # type: ignore[arg-type]
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}; expected csv or xlsx")
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            return write_csv(table.headers, rows, handle)
    return write_csv(table.headers, rows, target)  # type: ignore[arg-type]
