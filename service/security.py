"""Password hashing (Argon2id), signed login tokens with expiry, and a login rate
limiter."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
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


def issue_token(*, user_id: int, role: str, secret: str, ttl_minutes: int) -> str:
    import jwt

    expires = datetime.now(UTC) + timedelta(minutes=ttl_minutes)
    return str(
        jwt.encode(
            {"sub": str(user_id), "role": role, "exp": expires}, secret, algorithm=TOKEN_ALGORITHM
        )
    )


def read_token(token: str, *, secret: str) -> TokenClaims | None:
    """The claims of a valid, unexpired token; ``None`` for anything else."""
    import jwt

    try:
        payload = jwt.decode(token, secret, algorithms=[TOKEN_ALGORITHM])
        return TokenClaims(
            user_id=int(payload["sub"]),
            role=str(payload["role"]),
            expires_at=datetime.fromtimestamp(payload["exp"], UTC),
        )
    except (jwt.PyJWTError, KeyError, ValueError):
        return None


class LoginRateLimiter:
    """At most ``limit`` failed attempts per key in a sliding minute. Kept in memory:
    one process serves the embedded deployment; a multi-process one puts it in Redis."""

    def __init__(self, limit: int, window_seconds: float = 60.0) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and now - failures[0] > self.window_seconds:
            failures.popleft()
        return failures

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._trim(key, time.monotonic())) >= self.limit

    def record_failure(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._trim(key, now).append(now)

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
