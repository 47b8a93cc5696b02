"""The audit's attacks on logging in, replayed over HTTP against the app on the real
database (SQLite, or PostgreSQL through ``RENCAI_TEST_DATABASE_URL``):

- a spoofed ``X-Forwarded-For`` from loopback reset the login limit (five more guesses,
  then a valid login): now only configured proxies are believed, by the app and by the
  uvicorn that ``rencai serve`` runs;
- spraying 12 usernames from one client was never slowed: now each client has a limit;
- each worker counted separately: now the counts live in the database (or Redis);
- unknown usernames answered 50× faster than known ones;
- 8-character passwords with no other check;
- logout left the token valid for 8 hours;
- production accepted the secret ``a``, and an admin token forged with it.
"""

from __future__ import annotations

import os
import socket
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import jwt
import pytest
import uvicorn
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from models import User
from models.db import make_engine
from models.enums import Role
from models.migrate import upgrade
from service import pg_probe
from service.app import create_app
from service.cli.server import uvicorn_options
from service.db import Database
from service.engine import MatchingEngine
from service.passwords import password_problem
from service.settings import DEFAULT_SECRET, Settings
from service.usecases import accounts
from tests.conftest import DEMO_PASSWORD

LOGIN = "/api/v1/auth/login"
LOOPBACK = ("127.0.0.1", 41000)

MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client(
    app_settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    matching_engine: MatchingEngine,
) -> Iterator[MakeClient]:
    """A client of the app on the test database with some settings changed; every app
    made here shares the database, as the workers of one deployment do."""
    opened: list[TestClient] = []

    def _make(peer: tuple[str, int] = LOOPBACK, **changes: object) -> TestClient:
        settings = app_settings.model_copy(update=changes)
        database = Database(engine=engine, sessions=session_factory)
        app = create_app(settings, database=database, engine=matching_engine)
        test_client = TestClient(app, raise_server_exceptions=False, client=peer)
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    yield _make
    for test_client in opened:
        test_client.__exit__(None, None, None)


def _login(client: TestClient, username: str, password: str, **headers: str) -> httpx.Response:
    return client.post(LOGIN, json={"username": username, "password": password}, headers=headers)


def _assert_throttled(response: httpx.Response, window: int) -> None:
    assert response.status_code == 429, response.text
    error = response.json()["error"]
    assert error["code"] == "too_many_requests"
    assert error["fields"][0]["field"] == "username"
    assert 1 <= int(response.headers["retry-after"]) <= window


# --- throttling -------------------------------------------------------------------------


def test_spoofed_forwarded_for_from_loopback_does_not_reset_the_limit(
    make_client: MakeClient,
) -> None:
    client = make_client(login_attempts_per_minute=5)
    for _ in range(5):
        assert _login(client, "site1", "guess-guess-guess").status_code == 401
    # The audit's bypass: a fresh X-Forwarded-For on each try, then the right password.
    for i in range(5):
        spoofed = _login(client, "site1", "guess", **{"X-Forwarded-For": f"198.51.100.{i}"})
        _assert_throttled(spoofed, 60)
    valid = _login(client, "site1", DEMO_PASSWORD, **{"X-Forwarded-For": "198.51.100.99"})
    _assert_throttled(valid, 60)


def test_a_client_spraying_twelve_usernames_is_slowed(
    make_client: MakeClient, app_settings: Settings
) -> None:
    defaults = Settings.model_fields
    client = make_client(
        login_attempts_per_minute=defaults["login_attempts_per_minute"].default,
        login_failures_per_client=defaults["login_failures_per_client"].default,
    )
    names = ["admin", "zhou", "county", "site1", "site2", "talent1", "talent2"]
    names += [f"nobody{i}" for i in range(12 - len(names))]
    codes = [_login(client, name, "Spring2020!").status_code for name in names]
    limit = defaults["login_failures_per_client"].default
    assert codes[:limit] == [401] * limit
    assert codes[limit:] == [429] * (12 - limit)
    # Another client is not held back by this one.
    other = make_client(peer=("192.0.2.7", 41000))
    assert _login(other, "zhou", DEMO_PASSWORD).status_code == 200


def test_forwarded_for_is_believed_only_from_a_configured_proxy(make_client: MakeClient) -> None:
    proxy = make_client(login_failures_per_client=3, trusted_proxies="127.0.0.1, 10.0.0.0/8")
    hop = {"X-Forwarded-For": "203.0.113.7"}
    for name in ("nobody1", "nobody2", "nobody3"):
        assert _login(proxy, name, "guess-guess", **hop).status_code == 401
    _assert_throttled(_login(proxy, "nobody4", "guess-guess", **hop), 60)
    # The client writes the left hops; the proxy appends the real address on the right.
    forged_chain = {"X-Forwarded-For": "192.0.2.1, 203.0.113.7, 10.1.2.3"}
    _assert_throttled(_login(proxy, "nobody5", "guess-guess", **forged_chain), 60)
    # A different client behind the same proxy has its own count.
    other = {"X-Forwarded-For": "203.0.113.8"}
    assert _login(proxy, "nobody6", "guess-guess", **other).status_code == 401
    # Outside the trusted networks the header is ignored and the peer is the client.
    direct = make_client(
        peer=("203.0.113.7", 41000), login_failures_per_client=3, trusted_proxies="10.0.0.0/8"
    )
    _assert_throttled(_login(direct, "nobody7", "guess-guess"), 60)
    assert _login(direct, "zhou", DEMO_PASSWORD, **{"X-Forwarded-For": "10.9.9.9"}).status_code == (
        429
    )


def test_the_count_is_shared_by_every_worker(make_client: MakeClient) -> None:
    workers = [make_client(login_attempts_per_minute=4) for _ in range(4)]
    for worker in workers:
        assert _login(worker, "county", "guess-guess").status_code == 401
    for worker in workers:
        _assert_throttled(_login(worker, "county", DEMO_PASSWORD), 60)


def test_a_valid_login_clears_its_account_but_not_the_client(make_client: MakeClient) -> None:
    client = make_client(login_attempts_per_minute=3, login_failures_per_client=5)
    assert [_login(client, "zhou", "guess-guess").status_code for _ in range(2)] == [401, 401]
    # The attacker's own valid login must not buy more guesses against other accounts.
    assert _login(client, "zhou", DEMO_PASSWORD).status_code == 200
    assert [_login(client, "zhou", "guess-guess").status_code for _ in range(3)] == [401] * 3
    _assert_throttled(_login(client, "admin", "guess-guess"), 60)


def test_the_limit_lifts_when_the_window_has_passed(make_client: MakeClient) -> None:
    # A window of a few seconds: each failed login hashes a password, which on a busy
    # machine takes long enough for a one-second window to lapse between the guesses.
    client = make_client(login_attempts_per_minute=2, login_window_seconds=4)
    assert _login(client, "talent1", "guess-guess").status_code == 401
    assert _login(client, "talent1", "guess-guess").status_code == 401
    _assert_throttled(_login(client, "talent1", DEMO_PASSWORD), 4)
    time.sleep(4.2)
    assert _login(client, "talent1", DEMO_PASSWORD).status_code == 200


def test_the_login_page_is_throttled_too(make_client: MakeClient) -> None:
    client = make_client(login_attempts_per_minute=1)
    form_page = client.get("/login?lang=en")
    token = client.cookies["rencai_csrf"]
    assert form_page.status_code == 200
    form = {"username": "site2", "password": "guess-guess", "csrf_token": token}
    assert client.post("/login?lang=en", data=form).status_code == 400
    throttled = client.post("/login?lang=en", data=form)
    assert throttled.status_code == 429
    assert "Too many failed logins" in throttled.text
    assert int(throttled.headers["retry-after"]) >= 1


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("RENCAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis answers at {url}: {exc}")
    return url


def test_the_count_is_shared_through_redis(make_client: MakeClient, redis_url: str) -> None:
    # A secret of its own keeps this run's keys apart from any other's in the same Redis.
    changes = {
        "redis_url": redis_url,
        "secret_key": f"redis-test-{uuid.uuid4().hex}-0123456789",
        "login_attempts_per_minute": 3,
        "login_window_seconds": 5,
    }
    one, two = make_client(**changes), make_client(**changes)
    assert _login(one, "site1", "guess-guess").status_code == 401
    assert _login(two, "site1", "guess-guess").status_code == 401
    assert _login(one, "site1", "guess-guess").status_code == 401
    _assert_throttled(_login(two, "site1", DEMO_PASSWORD), 5)
    # Nothing went to the database table: the counts are in Redis only.
    store = one.app.state.login_throttle.store  # type: ignore[attr-defined]
    assert type(store).__name__ == "RedisStore"


# --- the live server: `rencai serve`'s uvicorn options ------------------------------------

LIVE_PASSWORD = "live-server-pass-2020"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app under uvicorn with the options `rencai serve` passes, on its own database,
    so the connecting address is the real one (loopback) as in the audit."""
    if os.environ.get("RENCAI_TEST_DATABASE_URL"):
        url = pg_probe.create_database("rencai_auth")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('auth') / 'auth.db'}"
    upgrade(url)
    database_engine = make_engine(url)
    with Session(database_engine) as session:
        accounts.create(
            session=session,
            username="prefect",
            password=LIVE_PASSWORD,
            role=Role.ADMIN,
            display_name="州管理员",
        )
        session.commit()
    database_engine.dispose()
    settings = Settings(
        environment="test",
        database_url=url,
        data_dir=Path(tmp_path_factory.mktemp("var")),
        secret_key="live-auth-secret-key-0123456789abcdef",
        warm_engine_on_start=False,
        login_attempts_per_minute=5,
        login_failures_per_client=8,
    )
    port = _free_port()
    options = uvicorn_options(settings) | {"log_level": "warning"}
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, **options)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    if url.startswith("postgresql"):
        pg_probe.drop_database(url)


def test_serve_ignores_forwarded_for_unless_a_proxy_is_configured(live_server: str) -> None:
    assert uvicorn_options(Settings())["proxy_headers"] is False
    behind = uvicorn_options(Settings(trusted_proxies="10.0.0.5"))
    assert behind["proxy_headers"] is True
    assert behind["forwarded_allow_ips"] == "10.0.0.5/32"
    with httpx.Client(base_url=live_server) as http:
        codes = []
        for i in range(10):
            spoofed = {"X-Forwarded-For": f"198.51.100.{i}"}
            body = {"username": "prefect", "password": f"guess-{i}-guess"}
            codes.append(http.post(LOGIN, json=body, headers=spoofed).status_code)
        assert codes == [401] * 5 + [429] * 5
        valid = http.post(
            LOGIN,
            json={"username": "prefect", "password": LIVE_PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.200"},
        )
        assert valid.status_code == 429
        assert int(valid.headers["retry-after"]) >= 1
        # Spraying other names with a fresh spoofed address each time: still one client.
        sprayed = [
            http.post(
                LOGIN,
                json={"username": f"ghost{i}", "password": "guess-guess"},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            ).status_code
            for i in range(5)
        ]
        assert sprayed == [401, 401, 401, 429, 429]


# --- timing -------------------------------------------------------------------------------


def test_unknown_usernames_take_as_long_as_known_ones(make_client: MakeClient) -> None:
    client = make_client(login_attempts_per_minute=1000, login_failures_per_client=1000)
    known: list[float] = []
    unknown: list[float] = []
    for i in range(10):
        for name, times in (("zhou", known), (f"nobody-{i}", unknown)):
            started = time.perf_counter()
            assert _login(client, name, "wrong-password-here").status_code == 401
            times.append(time.perf_counter() - started)
    # Before: 2.3 ms against 122 ms. Loose bounds: a busy machine is noisy.
    assert statistics.median(unknown) >= 0.5 * statistics.median(known)


# --- password policy ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short-pw1", "at least 10 characters"),
        ("1234567890", "common passwords"),
        ("Password123", "common passwords"),
        ("xinyonghu-2020", "username"),
    ],
)
def test_weak_passwords_are_refused_with_the_field_and_rule(
    client: TestClient, login: Callable[[str], dict[str, str]], password: str, rule: str
) -> None:
    admin = login("admin")
    response = client.post(
        "/api/v1/users",
        json={
            "username": "XinYongHu",
            "password": password,
            "role": "coordinator",
            "display_name": "新用户",
        },
        headers=admin,
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "weak_password"
    assert error["message"].startswith("password ")
    assert rule in error["message"]
    assert [f["field"] for f in error["fields"]] == ["password"]
    assert password not in response.text


def test_the_user_page_explains_the_rule_in_chinese(
    client: TestClient, login: Callable[[str], dict[str, str]]
) -> None:
    token = login("admin")["authorization"].removeprefix("Bearer ")
    client.cookies.set("rencai_session", token)
    client.get("/admin/users")
    form = {
        "username": "xinyonghu",
        "display_name": "新用户",
        "role": "coordinator",
        "password": "abcdefgh",
        "csrf_token": client.cookies["rencai_csrf"],
    }
    page = client.post("/admin/users?lang=zh-CN", data=form)
    assert page.status_code == 422
    assert "密码至少需要 10 个字符（现在 8 个）" in page.text
    accepted = client.post("/admin/users", data=form | {"password": "zhu-ren-ge-2020-ok"})
    assert accepted.status_code == 200  # followed the redirect to the list
    assert "xinyonghu" in accepted.text


def test_the_demo_password_meets_the_policy() -> None:
    default = Settings.model_fields["demo_password"].default
    assert password_problem(default) is None
    for name in ("admin", "zhou", "county", "site1", "talent1"):
        assert password_problem(default, name) is None
    with pytest.raises(ValidationError, match="RENCAI_DEMO_PASSWORD must be at least 10"):
        Settings(demo_password="rencai20")


# --- token revocation ---------------------------------------------------------------------


def test_logout_revokes_the_token_at_once(
    client: TestClient, login: Callable[[str], dict[str, str]]
) -> None:
    token = login("site1")
    other_device = login("site1")
    assert client.get("/api/v1/auth/me", headers=token).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=token).status_code == 204
    assert client.get("/api/v1/auth/me", headers=token).status_code == 401
    assert client.get("/api/v1/auth/me", headers=other_device).status_code == 401
    assert client.get("/api/v1/auth/me", headers=login("site1")).status_code == 200


def test_page_logout_revokes_the_cookie_token(client: TestClient) -> None:
    client.get("/login")
    form = {"username": "talent2", "password": DEMO_PASSWORD, "csrf_token": ""}
    form["csrf_token"] = client.cookies["rencai_csrf"]
    client.post("/login", data=form, follow_redirects=False)
    stolen = client.cookies["rencai_session"]
    bearer = {"authorization": f"Bearer {stolen}"}
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 200
    logout = client.post("/logout", data={"csrf_token": form["csrf_token"]}, follow_redirects=False)
    assert logout.status_code == 303
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401


def test_a_password_change_revokes_earlier_tokens(
    client: TestClient, login: Callable[[str], dict[str, str]]
) -> None:
    first, second = login("county"), login("county")
    weak = client.post(
        "/api/v1/auth/password",
        json={"current_password": DEMO_PASSWORD, "new_password": "county-2020"},
        headers=first,
    )
    assert weak.status_code == 422
    assert weak.json()["error"]["fields"][0]["field"] == "new_password"
    assert "username" in weak.json()["error"]["message"]
    wrong = client.post(
        "/api/v1/auth/password",
        json={"current_password": "not-my-password", "new_password": "lu-feng-shan-77"},
        headers=first,
    )
    assert wrong.status_code == 403
    assert wrong.json()["error"]["fields"][0]["field"] == "current_password"
    changed = client.post(
        "/api/v1/auth/password",
        json={"current_password": DEMO_PASSWORD, "new_password": "lu-feng-shan-77"},
        headers=first,
    )
    assert changed.status_code == 200, changed.text
    fresh = {"authorization": f"Bearer {changed.json()['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=first).status_code == 401
    assert client.get("/api/v1/auth/me", headers=second).status_code == 401
    assert client.get("/api/v1/auth/me", headers=fresh).status_code == 200
    assert _login(client, "county", DEMO_PASSWORD).status_code == 401
    assert _login(client, "county", "lu-feng-shan-77").status_code == 200


# --- the secret key -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    ["a", DEFAULT_SECRET, "x" * 64, "abababababababababababababababab", "s3cr3t-but-short"],
)
def test_production_refuses_a_weak_secret(secret: str) -> None:
    with pytest.raises(ValidationError, match="RENCAI_SECRET_KEY"):
        Settings(environment="production", secret_key=secret)


def test_production_accepts_a_random_secret() -> None:
    import secrets

    secret = secrets.token_urlsafe(48)
    assert Settings(environment="production", secret_key=secret).secret_key == secret


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_tokens_forged_with_another_secret_or_no_version_are_refused(
    client: TestClient, session: Session
) -> None:
    admin_id = session.scalars(select(User.id).where(User.username == "admin")).one()
    expires = datetime.now(UTC) + timedelta(hours=1)
    claims = {"sub": str(admin_id), "role": "admin", "exp": expires, "ver": 0}
    forged = jwt.encode(claims, "a", algorithm="HS256")
    assert (
        client.get("/api/v1/users", headers={"authorization": f"Bearer {forged}"}).status_code
        == 401
    )
    secret = client.app.state.settings.secret_key  # type: ignore[attr-defined]
    unversioned = jwt.encode({k: v for k, v in claims.items() if k != "ver"}, secret, "HS256")
    headers = {"authorization": f"Bearer {unversioned}"}
    assert client.get("/api/v1/users", headers=headers).status_code == 401
