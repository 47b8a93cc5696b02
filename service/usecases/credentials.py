"""Logging in (throttled), logging out and changing one's password. Logout and a password
change bump the user's token version, so every token issued before stops working at
once."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from models import User
from service import audit
from service.actor import Actor
from service.errors import AppError, FieldError, not_found
from service.passwords import require_acceptable, verify_or_burn
from service.security import hash_password
from service.throttle import LoginThrottle
from service.usecases.accounts import authenticate


def login(
    *, session: Session, throttle: LoginThrottle, username: str, password: str, client: str
) -> User:
    """The user behind these credentials. Refused with 429 while the account or the
    client is over its failure limit; each failure is counted before the 401."""
    failures = throttle.check(session, username=username, client=client)
    try:
        user = authenticate(session=session, username=username, password=password)
    except AppError:
        throttle.failed(session, username=username, client=client)
        session.commit()
        raise
    throttle.succeeded(session, username=username, failures=failures)
    session.commit()
    return user


def _bump_token_version(session: Session, user_id: int) -> None:
    # One UPDATE, so two logouts at once both count and neither is lost.
    session.execute(
        update(User).where(User.id == user_id).values(token_version=User.token_version + 1)
    )


def logout(*, session: Session, actor: Actor) -> None:
    """Revoke every token the actor holds (this browser's and any other)."""
    _bump_token_version(session, actor.id)
    session.commit()


def change_password(
    *,
    session: Session,
    throttle: LoginThrottle,
    actor: Actor,
    current_password: str,
    new_password: str,
    client: str,
) -> User:
    """Set a new password after checking the current one (a wrong one counts as a failed
    login); every token issued before stops working. Returns the user, whose new token
    version the caller signs into a fresh token."""
    user = session.get(User, actor.id)
    if user is None:
        raise not_found("user")
    throttle.check(session, username=user.username, client=client)
    if not verify_or_burn(user.password_hash, current_password):
        throttle.failed(session, username=user.username, client=client)
        session.commit()
        raise AppError(
            403,
            "wrong_password",
            "current_password is wrong",
            "当前密码不正确",
            [FieldError("current_password", "does not match the account's password")],
        )
    require_acceptable(new_password, username=user.username, field="new_password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    _bump_token_version(session, user.id)
    audit.record(
        session=session,
        actor=actor,
        action="user.password_change",
        entity="user",
        entity_id=user.id,
    )
    session.commit()
    session.refresh(user)
    return user
