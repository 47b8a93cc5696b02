"""Accounts: login, users, and the demo logins `rencai init` prints."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import County, Site, Talent, User
from models.enums import Role
from models.schemas.page import Page
from models.schemas.user import UserRead
from service import audit, policy
from service.actor import Actor
from service.errors import AppError, FieldError
from service.passwords import require_acceptable, verify_or_burn
from service.security import hash_password

# The coordinator demo account works for this county; its site staff and talent accounts
# are picked inside it so the whole journey can be tried with the demo logins.
DEMO_COUNTY_NAME = "双柏县"


@dataclass(frozen=True)
class AccountInfo:
    username: str
    role: str
    display_name: str


def list_(
    *, session: Session, actor: Actor, role: Role | None = None, offset: int = 0, limit: int = 50
) -> Page[UserRead]:
    """Accounts, for the admin."""
    policy.require_admin(actor)
    stmt = select(User)
    if role:
        stmt = stmt.where(User.role == role.value)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(User.id).offset(offset).limit(limit))
    return Page(
        items=[UserRead.model_validate(u) for u in rows], total=total, offset=offset, limit=limit
    )


def get_by_username(*, session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def authenticate(*, session: Session, username: str, password: str) -> User:
    """The active user with these credentials; one message for a wrong name or password
    so a login form never confirms that an account exists."""
    user = get_by_username(session=session, username=username)
    known = user.password_hash if user is not None and user.active else None
    # An unknown name costs the same Argon2 work as a wrong password (service.passwords).
    verified = verify_or_burn(known, password)
    if user is None or not verified:
        raise AppError(
            401,
            "invalid_credentials",
            "Wrong username or password",
            "用户名或密码不正确",
            [FieldError("password", "wrong username or password")],
        )
    return user


def create(
    *,
    session: Session,
    username: str,
    password: str,
    role: Role,
    display_name: str,
    site_id: int | None = None,
    talent_id: int | None = None,
    jurisdiction: str | None = None,
    locale: str = "zh-CN",
) -> User:
    if get_by_username(session=session, username=username) is not None:
        raise AppError(
            409,
            "username_taken",
            f"username {username!r} is taken",
            f"用户名“{username}”已被使用",
            [FieldError("username", "taken", username)],
        )
    require_acceptable(password, username=username)
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        display_name=display_name,
        site_id=site_id,
        talent_id=talent_id,
        jurisdiction=jurisdiction,
        locale=locale,
    )
    session.add(user)
    session.flush()
    return user


def ensure_demo_accounts(*, session: Session, password: str) -> list[AccountInfo]:
    """Create the demo logins that are missing; leave existing ones untouched."""
    county = session.scalars(select(County).where(County.name == DEMO_COUNTY_NAME)).first()
    county_code = county.code if county else None
    site_query = select(Site).order_by(Site.id).limit(2)
    if county_code:
        site_query = site_query.where(Site.county_code == county_code)
    sites = list(session.scalars(site_query))
    talents = list(session.scalars(select(Talent).order_by(Talent.id).limit(2)))

    wanted: list[dict[str, object]] = [
        {"username": "admin", "role": Role.ADMIN, "display_name": "系统管理员"},
        {"username": "zhou", "role": Role.COORDINATOR, "display_name": "州人社局协调员"},
    ]
    if county_code:
        wanted.append(
            {
                "username": "county",
                "role": Role.COORDINATOR,
                "display_name": f"{DEMO_COUNTY_NAME}人社局协调员",
                "jurisdiction": county_code,
            }
        )
    for i, site in enumerate(sites, start=1):
        wanted.append(
            {
                "username": f"site{i}",
                "role": Role.SITE_STAFF,
                "display_name": f"{site.name}工作人员",
                "site_id": site.id,
            }
        )
    for i, talent in enumerate(talents, start=1):
        wanted.append(
            {
                "username": f"talent{i}",
                "role": Role.TALENT,
                "display_name": talent.name,
                "talent_id": talent.id,
            }
        )
    out = []
    for spec in wanted:
        username = str(spec["username"])
        user = get_by_username(session=session, username=username)
        if user is None:
            user = create(session=session, password=password, **spec)  # type: ignore[arg-type]
        out.append(AccountInfo(user.username, user.role, user.display_name))
    return out


def register(
    *,
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    role: Role,
    display_name: str,
    site_id: int | None = None,
    talent_id: int | None = None,
    jurisdiction: str | None = None,
) -> User:
    """An admin creates an account: checked, audited and committed in one step."""
    policy.require_admin(actor)
    # An account is tied to a site or a talent profile only in the role that uses it.
    site_id = site_id if role is Role.SITE_STAFF else None
    talent_id = talent_id if role is Role.TALENT else None
    problems = []
    if role is Role.SITE_STAFF and (site_id is None or session.get(Site, site_id) is None):
        problems.append(FieldError("site_id", "site staff need an existing site", site_id))
    if role is Role.TALENT and (talent_id is None or session.get(Talent, talent_id) is None):
        problems.append(FieldError("talent_id", "a talent account needs a profile", talent_id))
    # "" is a value, not "none given": it would reach the foreign key and fail there.
    if jurisdiction is not None and not jurisdiction.strip():
        problems.append(
            FieldError("jurisdiction", "expected a county code, got blank", jurisdiction)
        )
    elif jurisdiction is not None and session.get(County, jurisdiction) is None:
        problems.append(FieldError("jurisdiction", "unknown county code", jurisdiction))
    if problems:
        raise AppError(
            422, "validation_error", "Some fields are invalid", "部分字段填写有误", problems
        )
    user = create(
        session=session,
        username=username,
        password=password,
        role=role,
        display_name=display_name,
        site_id=site_id,
        talent_id=talent_id,
        jurisdiction=jurisdiction if role is Role.COORDINATOR else None,
    )
    audit.record(
        session=session,
        actor=actor,
        action="user.create",
        entity="user",
        entity_id=user.id,
        after={"username": username, "role": role.value},
    )
    session.commit()
    return user
