"""Who is asking: the user behind a bearer token (API) or the session cookie (pages)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from models import User
from models.enums import Role
from service.deps import SessionDep, SettingsDep
from service.errors import AppError
from service.security import read_token

COOKIE_NAME = "rencai_session"


@dataclass(frozen=True)
class Actor:
    """The acting user, detached from the session so use cases can pass it around."""

    id: int
    username: str
    role: Role
    display_name: str
    site_id: int | None
    talent_id: int | None
    jurisdiction: str | None
    locale: str

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(
            id=user.id,
            username=user.username,
            role=Role(user.role),
            display_name=user.display_name,
            site_id=user.site_id,
            talent_id=user.talent_id,
            jurisdiction=user.jurisdiction,
            locale=user.locale,
        )

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def covers_county(self, county_code: str | None) -> bool:
        """Whether a coordinator's jurisdiction (or an admin) covers ``county_code``."""
        if self.is_admin:
            return True
        if self.role is not Role.COORDINATOR:
            return False
        return self.jurisdiction is None or self.jurisdiction == county_code


def _token_from(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(COOKIE_NAME)


def optional_actor(request: Request, session: SessionDep, settings: SettingsDep) -> Actor | None:
    token = _token_from(request)
    if not token:
        return None
    claims = read_token(token, secret=settings.secret_key)
    if claims is None:
        return None
    user = session.get(User, claims.user_id)
    # A token issued before the user's last logout or password change is stale.
    if user is None or not user.active or user.token_version != claims.version:
        return None
    return Actor.of(user)


def current_actor(actor: Annotated[Actor | None, Depends(optional_actor)]) -> Actor:
    if actor is None:
        raise AppError(401, "unauthorized", "Log in first", "请先登录")
    return actor


OptionalActorDep = Annotated[Actor | None, Depends(optional_actor)]
ActorDep = Annotated[Actor, Depends(current_actor)]


def require(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise AppError(403, "forbidden", "Your role cannot do this", "您的角色无权执行此操作")
