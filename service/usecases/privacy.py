"""A person's rights over their own data under 个人信息保护法 (PIPL): a talent downloads
everything held about them, asks for deletion, and an admin completes the request by
anonymising the person. Anonymising keeps every row that a count, a target or the audit
trail depends on (matches, service records, events) and clears what identifies the
person. Reading someone else's contact details is logged."""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from models import (
    AuditEvent,
    DataDeletionRequest,
    Match,
    Need,
    Talent,
    User,
)
from models.enums import DataRequestStatus, Role
from models.schemas.page import Page
from service import audit, policy, timefmt
from service.actor import Actor
from service.errors import AppError, not_found
from service.i18n import translate

ANONYMOUS_NAME = "已注销人员"
ANONYMOUS_BIO = "本人已申请删除个人信息。"
# Coordinates are rounded to one decimal (about 10 km): enough for county statistics,
# too coarse to find a home.
_COARSE_DEGREES = 1

# Every stored column of the profile: a download is "everything held", not a selection.
_PROFILE_FIELDS = tuple(column.key for column in Talent.__table__.columns)
_EVENT_FIELDS = ("from_status", "to_status", "reason", "at")
_RECORD_FIELDS = ("date", "hours", "visits", "people_trained", "outcome", "rating")
_AUDIT_FIELDS = ("at", "action", "entity", "entity_id", "before", "after")
_ACCOUNT_FIELDS = ("username", "role", "display_name", "locale", "active", "created_at")
_REQUEST_FIELDS = ("id", "status", "reason", "created_at", "completed_at")
_WINDOW_FIELDS = ("start_date", "end_date", "note")
_CLEARED_FIELDS = ("name", "bio", "phone", "email", "id_number", "external_id")


def _own_talent(session: Session, actor: Actor) -> Talent:
    if actor.role is not Role.TALENT or actor.talent_id is None:
        raise AppError(
            403,
            "forbidden",
            "Only a talent can ask for their own personal data",
            "只有人才本人可以查询或删除自己的个人信息",
        )
    talent = session.get(Talent, actor.talent_id)
    if talent is None:
        raise not_found("talent")
    return talent


# -- download ---------------------------------------------------------------------------


def _matches_of(session: Session, talent_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Match)
        .where(Match.talent_id == talent_id)
        .options(
            selectinload(Match.need).selectinload(Need.site),
            selectinload(Match.events),
            selectinload(Match.records),
        )
        .order_by(Match.id)
    ).all()
    return [
        {
            "id": m.id,
            "need_title": m.need.title,
            "site_name": m.need.site.name,
            "county_code": m.need.site.county_code,
            "status": m.status,
            "origin": m.origin,
            "score": m.score,
            "created_at": audit.plain(m.created_at),
            "updated_at": audit.plain(m.updated_at),
            "events": [audit.snapshot(e, _EVENT_FIELDS) for e in m.events],
            "service_records": [audit.snapshot(r, _RECORD_FIELDS) for r in m.records],
        }
        for m in rows
    ]


def _accounts_of(session: Session, talent_id: int) -> list[User]:
    return list(session.scalars(select(User).where(User.talent_id == talent_id)).all())


def _audit_of(session: Session, talent_id: int, user_ids: list[int]) -> list[dict[str, Any]]:
    clause: ColumnElement[bool] = (AuditEvent.entity == "talent") & (
        AuditEvent.entity_id == talent_id
    )
    if user_ids:
        clause = or_(clause, AuditEvent.actor_id.in_(user_ids))
    events = session.scalars(select(AuditEvent).where(clause).order_by(AuditEvent.id)).all()
    return [audit.snapshot(e, _AUDIT_FIELDS) for e in events]


def personal_data(*, session: Session, actor: Actor) -> dict[str, Any]:
    """Everything held about the acting talent, as plain JSON-ready data."""
    talent = _own_talent(session, actor)
    accounts = _accounts_of(session, talent.id)
    requests = session.scalars(
        select(DataDeletionRequest)
        .where(DataDeletionRequest.talent_id == talent.id)
        .order_by(DataDeletionRequest.id)
    ).all()
    return {
        "generated_at": audit.plain(datetime.now().astimezone()),
        "profile": audit.snapshot(talent, _PROFILE_FIELDS),
        "availability_windows": [audit.snapshot(w, _WINDOW_FIELDS) for w in talent.windows],
        "accounts": [audit.snapshot(u, _ACCOUNT_FIELDS) for u in accounts],
        "matches": _matches_of(session, talent.id),
        "deletion_requests": [audit.snapshot(r, _REQUEST_FIELDS) for r in requests],
        "audit_events": _audit_of(session, talent.id, [u.id for u in accounts]),
    }


# Sheet titles and column labels of the XLSX copy, zh-CN then English.
_SHEETS: dict[str, tuple[str, str]] = {
    "profile": ("个人资料", "Profile"),
    "availability_windows": ("可服务时段", "Availability"),
    "accounts": ("账号", "Accounts"),
    "matches": ("对接记录", "Matches"),
    "service_records": ("服务记录", "Service records"),
    "deletion_requests": ("删除申请", "Deletion requests"),
    "audit_events": ("操作记录", "Audit trail"),
}
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A value as a spreadsheet cell: lists joined, nested data as text, and text that a
    spreadsheet would run as a formula kept as text (OWASP CSV injection)."""
    if isinstance(value, list | dict):
        value = "、".join(map(str, value)) if isinstance(value, list) else str(value)
    if isinstance(value, str) and value.startswith(_FORMULA_LEADS):
        return "'" + value
    return value


def _flat_records(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"match_id": m["id"], "need_title": m["need_title"], **record}
        for m in data["matches"]
        for record in m["service_records"]
    ]


# How the workbook writes a field's value in words (issue 13): the vocabulary a code
# belongs to, a message key prefix, or a time in the reader's zone.
_VOCABULARY = {
    "category": "category",
    "title_level": "title",
    "degree_level": "degree",
    "licences": "licence",
    "languages": "language",
    "skills": "skill",
    "modes": "mode",
    "home_county_code": "county",
    "county_code": "county",
}
_MESSAGE_PREFIX = {"role": "role.", "locale": "language.", "origin": "match.origin."}
_TIMES = ("created_at", "updated_at", "completed_at", "at")


def _status_word(section: str, code: str, locale: str) -> str:
    prefix = "privacy.status." if section == "deletion_requests" else "status."
    return translate(prefix + code, locale)


def _word(section: str, field: str, value: Any, locale: str, zone_name: str) -> Any:
    """A stored value as the reader reads it: codes as names, times in their zone."""
    from service.usecases.reference import labels

    if value is None or value == "":
        return value
    if field in _VOCABULARY:
        names = labels().get(_VOCABULARY[field], {})
        codes = value if isinstance(value, list) else [value]
        words = [names.get(str(c), (str(c), str(c)))[1 if locale == "en" else 0] for c in codes]
        return "、".join(words)
    if isinstance(value, bool):
        return translate("common.yes", locale) if value else translate("common.no", locale)
    if field in _MESSAGE_PREFIX:
        return translate(_MESSAGE_PREFIX[field] + str(value), locale)
    if field == "status":
        return _status_word(section, str(value), locale)
    if field in _TIMES and isinstance(value, str):
        moment = timefmt.local(datetime.fromisoformat(value), zone_name)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return value


def _header(field: str, locale: str, zone_name: str) -> str:
    """The column's words, the machine key after them (as the other exports write it);
    a time names its zone."""
    label = translate(f"privacy.col.{field}", locale)
    if field in _TIMES:
        zone = timefmt.zone_label(zone_name, locale)
        label = translate("exports.in_zone", locale).format(label=label, zone=zone)
    return f"{label}({field})"


def audit_rows(
    events: list[dict[str, Any]], locale: str, zone_name: str = timefmt.DEFAULT_ZONE
) -> list[dict[str, Any]]:
    """The audit trail as a person reads it: the action and the kind of record in words,
    each before/after copy as 字段：值 with codes as names; times stay as stored."""
    from service.usecases.audit_words import action_words, change_words, entity_words

    def value(field: str, raw: Any) -> Any:
        return _word("audit_events", field, raw, locale, zone_name)

    return [
        {
            **event,
            "action": action_words(str(event["action"]), locale),
            "entity": entity_words(str(event["entity"]), locale),
            "before": change_words(event.get("before"), locale, value),
            "after": change_words(event.get("after"), locale, value),
        }
        for event in events
    ]


def personal_data_xlsx(
    data: dict[str, Any], *, locale: str, zone_name: str = timefmt.DEFAULT_ZONE
) -> bytes:
    """The same data as :func:`personal_data`, one sheet per section, in words: headers in
    the reader's language, codes as names, times in ``zone_name``; the audit trail as
    :func:`audit_rows` words it."""
    from openpyxl import Workbook  # imported here: only this download needs it

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    sections: dict[str, list[dict[str, Any]]] = {
        "profile": [data["profile"]],
        "availability_windows": data["availability_windows"],
        "accounts": data["accounts"],
        "matches": [
            {k: v for k, v in m.items() if k not in ("events", "service_records")}
            for m in data["matches"]
        ],
        "service_records": _flat_records(data),
        "deletion_requests": data["deletion_requests"],
        "audit_events": audit_rows(data["audit_events"], locale, zone_name),
    }
    english = locale == "en"
    for key, rows in sections.items():
        sheet = book.create_sheet(_SHEETS[key][1 if english else 0])
        columns = list(rows[0]) if rows else []
        sheet.append([_header(c, locale, zone_name) for c in columns])
        for row in rows:
            sheet.append([_cell(_word(key, c, row.get(c), locale, zone_name)) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- deletion ---------------------------------------------------------------------------


def _already_pending() -> AppError:
    return AppError(
        409,
        "conflict",
        "A deletion request is already waiting for an administrator",
        "已有一份删除申请正在等待管理员处理",
    )


def request_deletion(*, session: Session, actor: Actor, reason: str | None) -> DataDeletionRequest:
    """The acting talent asks for deletion; one pending request at a time."""
    talent = _own_talent(session, actor)
    pending = session.scalars(
        select(DataDeletionRequest.id).where(
            DataDeletionRequest.talent_id == talent.id,
            DataDeletionRequest.status == DataRequestStatus.PENDING.value,
        )
    ).first()
    if pending is not None:
        raise _already_pending()
    request = DataDeletionRequest(
        talent_id=talent.id,
        requested_by=actor.id,
        reason=(reason or "").strip() or None,
        status=DataRequestStatus.PENDING.value,
    )
    session.add(request)
    try:
        session.flush()
    except IntegrityError:  # a concurrent second request lost the race
        session.rollback()
        raise _already_pending() from None
    audit.record(
        session=session,
        actor=actor,
        action="privacy.deletion_requested",
        entity="talent",
        entity_id=talent.id,
        after={"request_id": request.id},
    )
    session.commit()
    return request


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AppError(
            403,
            "forbidden",
            "Only an administrator handles deletion requests",
            "只有管理员可以处理删除申请",
        )


def list_requests(
    *,
    session: Session,
    actor: Actor,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[DataDeletionRequest]:
    _require_admin(actor)
    stmt = select(DataDeletionRequest)
    if status:
        stmt = stmt.where(DataDeletionRequest.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(DataDeletionRequest.id.desc()).offset(offset).limit(limit)
    ).all()
    return Page(items=list(rows), total=total, offset=offset, limit=limit)


@dataclass(frozen=True)
class Anonymised:
    request: DataDeletionRequest
    talent_id: int
    accounts_closed: int
    windows_removed: int


def _anonymise_talent(talent: Talent) -> int:
    windows = len(talent.windows)
    talent.name = ANONYMOUS_NAME
    talent.bio = ANONYMOUS_BIO
    talent.phone = None
    talent.email = None
    talent.id_number = None
    talent.external_id = f"deleted-{talent.id}"
    talent.base_lat = round(talent.base_lat, _COARSE_DEGREES)
    talent.base_lon = round(talent.base_lon, _COARSE_DEGREES)
    talent.active = False
    talent.windows.clear()
    return windows


def _close_account(user: User) -> None:
    user.username = f"deleted-{user.id}"
    user.display_name = ANONYMOUS_NAME
    # No password hashes to this value: the account can never log in again.
    user.password_hash = "!" + secrets.token_hex(16)
    user.active = False
    if hasattr(user, "token_version"):
        # Any token still held stops working at once.
        user.token_version = (user.token_version or 0) + 1


def complete_deletion(*, session: Session, actor: Actor, request_id: int) -> Anonymised:
    """An admin anonymises the person behind a pending request, in one transaction."""
    _require_admin(actor)
    request = session.get(DataDeletionRequest, request_id, with_for_update=True)
    if request is None:
        raise not_found("deletion request")
    if request.status != DataRequestStatus.PENDING.value:
        raise AppError(
            409,
            "conflict",
            f"Deletion request {request_id} is already {request.status}",
            "该删除申请已处理完毕",
        )
    talent = session.get(Talent, request.talent_id)
    if talent is None:
        raise not_found("talent")
    windows = _anonymise_talent(talent)
    accounts = _accounts_of(session, talent.id)
    for user in accounts:
        _close_account(user)
    request.status = DataRequestStatus.COMPLETED.value
    request.completed_at = datetime.now().astimezone()
    request.completed_by = actor.id
    audit.record(
        session=session,
        actor=actor,
        action="privacy.anonymised",
        entity="talent",
        entity_id=talent.id,
        # Which fields were cleared, never their values.
        after={"request_id": request.id, "cleared": list(_CLEARED_FIELDS)},
    )
    session.commit()
    return Anonymised(request, talent.id, len(accounts), windows)


# -- contact access ---------------------------------------------------------------------


def record_contact_access(*, session: Session, actor: Actor, shown: Iterable[Match]) -> int:
    """Log each match whose contact details this actor was just shown; returns how many."""
    count = 0
    for match in shown:
        if not policy.contacts_visible(actor, match):
            continue
        audit.record(
            session=session,
            actor=actor,
            action="privacy.contact_viewed",
            entity="match",
            entity_id=match.id,
            after={"talent_id": match.talent_id, "site_id": match.need.site_id},
        )
        count += 1
    if count:
        session.commit()
    return count


__all__ = [
    "Anonymised",
    "complete_deletion",
    "list_requests",
    "personal_data",
    "personal_data_xlsx",
    "record_contact_access",
    "request_deletion",
]
