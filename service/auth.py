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


def current_actor(actor: Annotated[Actor | None, Depends(optional_actor)]) -> Actor:
    if actor is None:
        raise AppError(401, "unauthorized", "Log in first", "请先登录")
    return actor


OptionalActorDep = Annotated[Actor | None, Depends(optional_actor)]
ActorDep = Annotated[Actor, Depends(current_actor)]
