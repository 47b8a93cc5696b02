"""Password hashing (Argon2id) and signed login tokens with expiry and a version.
(The login throttle lives in ``service.throttle``.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

TOKEN_ALGORITHM = "HS256"


@lru_cache(maxsize=1)
def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    return str(_hasher().hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    role: str
    expires_at: datetime
    # The user's token version when it was issued; stale once logout or a password
    # change bumps the user's.
    version: int


def issue_token(*, user_id: int, role: str, secret: str, ttl_minutes: int, version: int = 0) -> str:
    import jwt

    expires = datetime.now(UTC) + timedelta(minutes=ttl_minutes)
    claims = {"sub": str(user_id), "role": role, "exp": expires, "ver": version}
    return str(jwt.encode(claims, secret, algorithm=TOKEN_ALGORITHM))


def read_token(token: str, *, secret: str) -> TokenClaims | None:
    """The claims of a valid, unexpired token; ``None`` for anything else."""
    import jwt

    try:
        payload = jwt.decode(
            token, secret, algorithms=[TOKEN_ALGORITHM], options={"require": ["exp", "sub"]}
        )
        return TokenClaims(
            user_id=int(payload["sub"]),
            role=str(payload["role"]),
            expires_at=datetime.fromtimestamp(payload["exp"], UTC),
            version=int(payload["ver"]),
        )
    except (jwt.PyJWTError, KeyError, ValueError, TypeError):
        return None
