from __future__ import annotations

from fastapi import APIRouter, Request

from models.schemas.auth import LoginIn, MeOut, TokenOut
from service.actor import Actor
from service.auth import ActorDep
from service.deps import SessionDep, SettingsDep
from service.errors import AppError
from service.security import LoginRateLimiter, issue_token
from service.usecases import accounts

router = APIRouter(prefix="/auth", tags=["auth"])


def login_and_issue(
    request: Request, session: SessionDep, settings: SettingsDep, username: str, password: str
) -> tuple[str, str]:
    """Shared by the API and the login page: rate-limited, one message for any failure."""
    limiter: LoginRateLimiter = request.app.state.login_limiter
    client = request.client.host if request.client else "?"
    key = f"{username}|{client}"
    if limiter.blocked(key):
        raise AppError(
            429,
            "too_many_requests",
            "Too many failed logins; wait a minute",
            "登录失败次数过多，请一分钟后再试",
        )
    try:
        user = accounts.authenticate(session=session, username=username, password=password)
    except AppError:
        limiter.record_failure(key)
        raise
    limiter.reset(key)
    token = issue_token(
        user_id=user.id,
        role=user.role,
        secret=settings.secret_key,
        ttl_minutes=settings.token_ttl_minutes,
    )
    return token, user.role


@router.post("/login", response_model=TokenOut)
def login(body: LoginIn, request: Request, session: SessionDep, settings: SettingsDep) -> TokenOut:
    token, role = login_and_issue(request, session, settings, body.username, body.password)
    return TokenOut(access_token=token, expires_in=settings.token_ttl_minutes * 60, role=role)


@router.get("/me", response_model=MeOut)
def me(actor: ActorDep) -> MeOut:
    return MeOut(
        **{k: getattr(actor, k) for k in MeOut.model_fields if k != "role"}, role=actor.role.value
    )


__all__ = ["Actor", "router"]
