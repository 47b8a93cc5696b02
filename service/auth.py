"""Who is asking: the user behind a bearer token (API) or the session cookie (pages)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from models import User
from service.actor import Actor
from service.deps import SessionDep, SettingsDep
from service.errors import AppError
from service.security import read_token

COOKIE_NAME = "rencai_session"


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


# API paths a user whose password was reset may still call.
_PASSWORD_CHANGE_API = frozenset(
    {"/api/v1/auth/password", "/api/v1/auth/logout", "/api/v1/auth/me"}
)


async def current_actor(
    request: Request, actor: Annotated[Actor | None, Depends(optional_actor)]
) -> Actor:
    # async: it reads no database, so FastAPI need not hand it to a worker thread.
    if actor is None:
        raise AppError(401, "unauthorized", "Log in first", "请先登录")
    if actor.must_change_password and request.url.path not in _PASSWORD_CHANGE_API:
        raise AppError(
            403,
            "password_change_required",
            "An administrator reset your password: change it first (POST /api/v1/auth/password)",
            "管理员已重置您的密码，请先修改密码",
        )
    return actor


OptionalActorDep = Annotated[Actor | None, Depends(optional_actor)]
ActorDep = Annotated[Actor, Depends(current_actor)]
