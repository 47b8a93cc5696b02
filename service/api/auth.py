from __future__ import annotations

from fastapi import APIRouter, Request, Response

from models import User
from models.schemas.auth import LoginIn, MeOut, PasswordChangeIn, TokenOut
from service.actor import Actor
from service.auth import ActorDep
from service.deps import SessionDep, SettingsDep
from service.security import issue_token
from service.settings import Settings
from service.throttle import client_address
from service.usecases import credentials

router = APIRouter(prefix="/auth", tags=["auth"])


def request_client(request: Request, settings: Settings) -> str:
    """The client address the login throttle counts against (see service.throttle)."""
    peer = request.client.host if request.client else None
    forwarded = request.headers.get("x-forwarded-for")
    return client_address(peer, forwarded, settings.trusted_proxy_networks)


def sign_token(user: User, settings: Settings) -> str:
    return issue_token(
        user_id=user.id,
        role=user.role,
        secret=settings.secret_key,
        ttl_minutes=settings.token_ttl_minutes,
        version=user.token_version,
    )


def login_and_issue(
    request: Request, session: SessionDep, settings: SettingsDep, username: str, password: str
) -> tuple[str, str]:
    """Shared by the API and the login page: throttled, one message for any failure."""
    user = credentials.login(
        session=session,
        throttle=request.app.state.login_throttle,
        username=username,
        password=password,
        client=request_client(request, settings),
    )
    return sign_token(user, settings), user.role


@router.post(
    "/login",
    response_model=TokenOut,
    responses={429: {"description": "Too many failed logins; see `Retry-After`"}},
)
def login(body: LoginIn, request: Request, session: SessionDep, settings: SettingsDep) -> TokenOut:
    token, role = login_and_issue(request, session, settings, body.username, body.password)
    return TokenOut(access_token=token, expires_in=settings.token_ttl_minutes * 60, role=role)


@router.post("/logout", status_code=204)
def logout(actor: ActorDep, session: SessionDep) -> Response:
    """Revoke every token of the caller at once, this one included."""
    credentials.logout(session=session, actor=actor)
    return Response(status_code=204)


@router.post("/password", response_model=TokenOut)
def change_password(
    body: PasswordChangeIn,
    actor: ActorDep,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> TokenOut:
    """Change the caller's password. Every earlier token stops working; the answer carries
    a fresh one."""
    user = credentials.change_password(
        session=session,
        throttle=request.app.state.login_throttle,
        actor=actor,
        current_password=body.current_password,
        new_password=body.new_password,
        client=request_client(request, settings),
    )
    return TokenOut(
        access_token=sign_token(user, settings),
        expires_in=settings.token_ttl_minutes * 60,
        role=user.role,
    )


@router.get("/me", response_model=MeOut)
def get_me(actor: ActorDep) -> MeOut:
    return MeOut(
        **{k: getattr(actor, k) for k in MeOut.model_fields if k != "role"}, role=actor.role.value
    )


__all__ = ["Actor", "router"]
