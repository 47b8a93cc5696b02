"""Login throttling shared by every worker and node.

Failed logins are counted per account and per client address in a sliding window, in the
database (the ``login_failure`` table) or, where ``RENCAI_REDIS_URL`` is set, in Redis, so
each worker process and each node sees the same counts. An account over its limit, or a
client over its own (however many usernames it sprays), is refused with 429 and
``Retry-After`` until the window lets it through. A successful login clears the account's
count, never the client's, so a valid login of one's own account cannot reset the guesses
against others.

The client is the connecting address; ``X-Forwarded-For`` is believed only when the
connection comes from a configured proxy (``RENCAI_TRUSTED_PROXIES``), and then the
right-most address that is not itself a trusted proxy is the client, since every hop
before it may be written by the client."""

from __future__ import annotations

import hashlib
import hmac
import math
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Network, IPv6Network, ip_address
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models import LoginFailure
from service.errors import AppError, FieldError
from service.i18n import translate
from service.settings import Settings

Network = IPv4Network | IPv6Network


class LoginThrottled(AppError):
    """429: too many failed logins; ``retry_after`` seconds until the next try counts."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            429,
            "too_many_requests",
            translate("login.err.throttled", "en").format(seconds=retry_after),
            translate("login.err.throttled", "zh-CN").format(seconds=retry_after),
            [FieldError("username", f"too many failed logins; retry after {retry_after} s")],
        )
        self.retry_after = retry_after


class ThrottleUnavailable(AppError):
    def __init__(self) -> None:
        super().__init__(
            503,
            "throttle_unavailable",
            "Logins are paused: the login counter store does not answer; try again shortly",
            "登录计数服务暂时无法连接，请稍后再试",
        )


class ThrottleStore(Protocol):
    """Where failures are counted. ``session`` is the request's session: the database
    store writes through it so its rows commit with the login's one commit."""

    def recent(self, session: Session, keys: Sequence[str], since: float) -> dict[str, list[float]]:
        """Each key's failure times after ``since``, oldest first."""
        ...

    def record(self, session: Session, keys: Sequence[str], now: float, window: float) -> None: ...

    def clear(self, session: Session, key: str) -> None: ...


class DatabaseStore:
    """Failures as rows of ``login_failure``; rows older than the window are swept as new
    ones arrive."""

    def recent(self, session: Session, keys: Sequence[str], since: float) -> dict[str, list[float]]:
        rows = session.execute(
            select(LoginFailure.key, LoginFailure.failed_at)
            .where(LoginFailure.key.in_(list(keys)), LoginFailure.failed_at > since)
            .order_by(LoginFailure.failed_at)
        )
        out: dict[str, list[float]] = {key: [] for key in keys}
        for key, failed_at in rows:
            out[key].append(float(failed_at))
        return out

    def record(self, session: Session, keys: Sequence[str], now: float, window: float) -> None:
        session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - window))
        session.add_all(LoginFailure(key=key, failed_at=now) for key in keys)
        session.flush()

    def clear(self, session: Session, key: str) -> None:
        session.execute(delete(LoginFailure).where(LoginFailure.key == key))


class RedisStore:
    """Failures as members of one sorted set per key, scored by time, expiring with the
    window."""

    PREFIX = "rencai:login:"

    def __init__(self, client: Any) -> None:
        self.client = client

    @classmethod
    def from_url(cls, url: str) -> RedisStore:
        import redis

        return cls(redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2))

    def _call(self, action: Callable[[], Any]) -> Any:
        import redis

        try:
            return action()
        except redis.RedisError as exc:
            raise ThrottleUnavailable() from exc

    def recent(self, session: Session, keys: Sequence[str], since: float) -> dict[str, list[float]]:
        def read() -> list[Any]:
            pipe = self.client.pipeline(transaction=False)
            for key in keys:
                pipe.zrangebyscore(self.PREFIX + key, f"({since}", "+inf", withscores=True)
            return list(pipe.execute())

        results = self._call(read)
        return {
            key: [float(score) for _member, score in members]
            for key, members in zip(keys, results, strict=True)
        }

    def record(self, session: Session, keys: Sequence[str], now: float, window: float) -> None:
        def write() -> None:
            pipe = self.client.pipeline(transaction=True)
            for key in keys:
                name = self.PREFIX + key
                pipe.zadd(name, {f"{now}:{uuid.uuid4().hex}": now})
                pipe.zremrangebyscore(name, "-inf", now - window)
                pipe.expire(name, math.ceil(window) + 1)
            pipe.execute()

        self._call(write)

    def clear(self, session: Session, key: str) -> None:
        self._call(lambda: self.client.delete(self.PREFIX + key))


@dataclass
class LoginThrottle:
    store: ThrottleStore
    account_limit: int
    client_limit: int
    window_seconds: float
    secret: str
    clock: Callable[[], float] = field(default=time.time)

    def _key(self, kind: str, value: str) -> str:
        # Keyed hashes: the table and Redis hold neither usernames nor addresses.
        digest = hmac.new(self.secret.encode(), value.encode(), hashlib.sha256).hexdigest()
        return f"{kind}:{digest}"

    def account_key(self, username: str) -> str:
        return self._key("account", username.strip().casefold())

    def client_key(self, client: str) -> str:
        return self._key("client", client)

    def check(self, session: Session, *, username: str, client: str) -> int:
        """Raise ``LoginThrottled`` when the account or the client is over its limit;
        otherwise answer the account's failures in the window."""
        now = self.clock()
        limits = {
            self.account_key(username): self.account_limit,
            self.client_key(client): self.client_limit,
        }
        recent = self.store.recent(session, list(limits), now - self.window_seconds)
        wait = 0.0
        for key, limit in limits.items():
            times = recent.get(key, [])
            if len(times) >= limit:
                # Free again once enough of the oldest failures have left the window.
                freed_at = times[len(times) - limit] + self.window_seconds
                wait = max(wait, freed_at - now)
        if wait > 0:
            raise LoginThrottled(max(1, math.ceil(wait)))
        return len(recent.get(self.account_key(username), []))

    def failed(self, session: Session, *, username: str, client: str) -> None:
        keys = [self.account_key(username), self.client_key(client)]
        self.store.record(session, keys, self.clock(), self.window_seconds)

    def succeeded(self, session: Session, *, username: str, failures: int) -> None:
        # Only when there is something to clear: a plain login writes nothing.
        if failures:
            self.store.clear(session, self.account_key(username))


def make_login_throttle(settings: Settings) -> LoginThrottle:
    store: ThrottleStore = (
        RedisStore.from_url(settings.redis_url) if settings.redis_url else DatabaseStore()
    )
    return LoginThrottle(
        store=store,
        account_limit=settings.login_attempts_per_minute,
        client_limit=settings.login_failures_per_client,
        window_seconds=settings.login_window_seconds,
        secret=settings.secret_key,
    )


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The client a login is counted against: the connecting address, or, when that is a
    trusted proxy, the right-most ``X-Forwarded-For`` hop that is not a trusted proxy."""
    if not peer:
        return "unknown"
    if not forwarded_for or not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer


def install_throttle_handler(app: Any) -> None:
    """A throttled login answers like any other error (JSON or page) plus ``Retry-After``.
    Also warms the password checks so the first failed login costs what later ones do."""
    from service.passwords import warm_up

    warm_up()
    generic = app.exception_handlers[AppError]

    async def _throttled(request: Any, exc: Exception) -> Any:
        response = await generic(request, exc)
        if isinstance(exc, LoginThrottled):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    app.add_exception_handler(LoginThrottled, _throttled)
