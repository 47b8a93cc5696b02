"""An office's account work: edit a user, deactivate and reactivate, reset a password
(forcing a change at the next login), and find the site or talent an account is linked
to by its name. Admins only; each action audited and committed once.

A deactivated user cannot sign in (``accounts.authenticate``) and every token issued
before stops working (the token version is bumped, and ``service.auth`` refuses inactive
users). A reset password is a fresh random one the admin passes on; the user is sent to
the change-password page until they choose their own."""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import County, Site, Talent, User
from models.enums import Role
from service import audit, policy
from service.actor import Actor
from service.errors import AppError, FieldError, not_found
from service.security import hash_password

_AUDITED = ("display_name", "role", "site_id", "talent_id", "jurisdiction", "active")
# Letters and digits that cannot be mistaken for one another when read out.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789"
TEMPORARY_LENGTH = 14
LINK_CHOICES = 12


def get_or_raise(*, session: Session, actor: Actor, user_id: int) -> User:
    policy.require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise not_found("user")
    return user


def _scope_problems(
    session: Session,
    role: Role,
    site_id: int | None,
    talent_id: int | None,
    jurisdiction: str | None,
) -> list[FieldError]:
    problems = []
    if role is Role.SITE_STAFF and (site_id is None or session.get(Site, site_id) is None):
        problems.append(FieldError("site_id", "site staff need an existing site", site_id))
    if role is Role.TALENT and (talent_id is None or session.get(Talent, talent_id) is None):
        problems.append(FieldError("talent_id", "a talent account needs a profile", talent_id))
    if jurisdiction is not None and session.get(County, jurisdiction) is None:
        problems.append(FieldError("jurisdiction", "unknown county code", jurisdiction))
    return problems


@dataclass(frozen=True)
class UserChanges:
    display_name: str
    role: Role
    site_id: int | None = None
    talent_id: int | None = None
    jurisdiction: str | None = None


def update_user(*, session: Session, actor: Actor, user_id: int, changes: UserChanges) -> User:
    """Change a user's name, role and what the role is tied to (its site, its talent
    profile or its county). A change of role or scope signs the user out everywhere."""
    user = get_or_raise(session=session, actor=actor, user_id=user_id)
    role = changes.role
    site_id = changes.site_id if role is Role.SITE_STAFF else None
    talent_id = changes.talent_id if role is Role.TALENT else None
    jurisdiction = changes.jurisdiction if role is Role.COORDINATOR else None
    problems = _scope_problems(session, role, site_id, talent_id, jurisdiction)
    if not changes.display_name.strip():
        problems.append(FieldError("display_name", "required", changes.display_name))
    if user.id == actor.id and role is not Role.ADMIN:
        problems.append(FieldError("role", "an admin cannot take away their own role", role))
    if problems:
        raise AppError(
            422, "validation_error", "Some fields are invalid", "部分字段填写有误", problems
        )
    before = audit.snapshot(user, _AUDITED)
    scope_changed = (user.role, user.site_id, user.talent_id, user.jurisdiction) != (
        role.value,
        site_id,
        talent_id,
        jurisdiction,
    )
    user.display_name = changes.display_name.strip()
    user.role = role.value
    user.site_id, user.talent_id, user.jurisdiction = site_id, talent_id, jurisdiction
    if scope_changed:
        _bump(session, user.id)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="user.update",
        entity="user",
        entity_id=user.id,
        before=before,
        after=audit.snapshot(user, _AUDITED),
    )
    session.commit()
    return user


def _bump(session: Session, user_id: int) -> None:
    session.execute(
        update(User).where(User.id == user_id).values(token_version=User.token_version + 1)
    )


def set_active(*, session: Session, actor: Actor, user_id: int, active: bool) -> User:
    """Deactivate (cannot sign in, every token stops working) or reactivate a user."""
    user = get_or_raise(session=session, actor=actor, user_id=user_id)
    if user.id == actor.id and not active:
        raise AppError(
            422,
            "validation_error",
            "You cannot deactivate your own account",
            "不能停用自己的账号",
            [FieldError("active", "own account", user.username)],
        )
    if user.active == active:
        return user
    user.active = active
    _bump(session, user.id)
    audit.record(
        session=session,
        actor=actor,
        action="user.reactivate" if active else "user.deactivate",
        entity="user",
        entity_id=user.id,
        before={"active": not active},
        after={"active": active},
    )
    session.commit()
    session.refresh(user)
    return user


def temporary_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(TEMPORARY_LENGTH))


def reset_password(*, session: Session, actor: Actor, user_id: int) -> tuple[User, str]:
    """A fresh random password for the user, returned once for the admin to pass on; the
    user must change it at the next login, and every token issued before stops working."""
    user = get_or_raise(session=session, actor=actor, user_id=user_id)
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    _bump(session, user.id)
    audit.record(
        session=session,
        actor=actor,
        action="user.password_reset",
        entity="user",
        entity_id=user.id,
        after={"must_change_password": True},
    )
    session.commit()
    session.refresh(user)
    return user, password


@dataclass(frozen=True)
class LinkChoice:
    """A site or talent an account may be linked to, as the admin picks it: by name, with
    the county and a kind (site type or talent category) to tell equal names apart."""

    id: int
    name: str
    county_name: str | None
    county_name_en: str | None
    kind: str


def _term(q: str) -> str:
    return unicodedata.normalize("NFKC", q).strip()[:60]


def sites_named(*, session: Session, actor: Actor, q: str) -> list[LinkChoice]:
    policy.require_admin(actor)
    term = _term(q)
    if not term:
        return []
    rows = session.execute(
        select(Site.id, Site.name, County.name, County.name_en, Site.site_type)
        .join(County, County.code == Site.county_code)
        .where(Site.name.contains(term, autoescape=True))
        .order_by(Site.name != term, Site.name, Site.id)
        .limit(LINK_CHOICES)
    )
    return [LinkChoice(*row) for row in rows]


def talents_named(*, session: Session, actor: Actor, q: str) -> list[LinkChoice]:
    policy.require_admin(actor)
    term = _term(q)
    if not term:
        return []
    rows = session.execute(
        select(Talent.id, Talent.name, County.name, County.name_en, Talent.category)
        .outerjoin(County, County.code == Talent.home_county_code)
        .where(Talent.name.contains(term, autoescape=True))
        .order_by(Talent.name != term, Talent.name, Talent.id)
        .limit(LINK_CHOICES)
    )
    return [LinkChoice(*row) for row in rows]


def site_choice(*, session: Session, site_id: int | None) -> LinkChoice | None:
    if site_id is None:
        return None
    row = session.execute(
        select(Site.id, Site.name, County.name, County.name_en, Site.site_type)
        .join(County, County.code == Site.county_code)
        .where(Site.id == site_id)
    ).one_or_none()
    return LinkChoice(*row) if row else None


def talent_choice(*, session: Session, talent_id: int | None) -> LinkChoice | None:
    if talent_id is None:
        return None
    row = session.execute(
        select(Talent.id, Talent.name, County.name, County.name_en, Talent.category)
        .outerjoin(County, County.code == Talent.home_county_code)
        .where(Talent.id == talent_id)
    ).one_or_none()
    return LinkChoice(*row) if row else None


def links_of(*, session: Session, actor: Actor, users: list[User]) -> dict[int, LinkChoice]:
    """The site or talent each of ``users`` is tied to, by name, for the users table."""
    policy.require_admin(actor)
    out: dict[int, LinkChoice] = {}
    site_ids = {u.site_id for u in users if u.site_id}
    talent_ids = {u.talent_id for u in users if u.talent_id}
    sites = {
        row[0]: LinkChoice(*row)
        for row in session.execute(
            select(Site.id, Site.name, County.name, County.name_en, Site.site_type)
            .join(County, County.code == Site.county_code)
            .where(Site.id.in_(sorted(site_ids)))
        )
    }
    talents = {
        row[0]: LinkChoice(*row)
        for row in session.execute(
            select(Talent.id, Talent.name, County.name, County.name_en, Talent.category)
            .outerjoin(County, County.code == Talent.home_county_code)
            .where(Talent.id.in_(sorted(talent_ids)))
        )
    }
    for u in users:
        link = sites.get(u.site_id or 0) or talents.get(u.talent_id or 0)
        if link is not None:
            out[u.id] = link
    return out
