"""Security headers on every response; no inline script or style for the CSP to
forbid; API docs off in production; the CSRF cookie Secure in production; no Server
header from `rencai serve`; links never built from the Host header.

The audit found none of these headers, /docs public in production, the CSRF cookie
without Secure, `Server: uvicorn`, and the Host header reflected into the language
link."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.headers import CONTENT_SECURITY_POLICY
from tests.http_fixtures import Login
from tests.security.web_fixtures import MakeClient, page_login

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "service" / "templates"
SERVE = "from service.cli import main; main()"
STRONG_SECRET = secrets.token_urlsafe(48)


def _directives(csp: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in csp.split(";")
        if part.strip()
    }


def assert_secured(response: object, where: str) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = _directives(headers.get("content-security-policy", ""))
    assert csp.get("frame-ancestors") == "'none'", where
    assert csp.get("script-src") == "'self'", where
    assert "unsafe-inline" not in csp.get("style-src", "unsafe-inline"), where
    assert csp.get("object-src") == "'none'", where
    assert headers.get("x-frame-options") == "DENY", where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "same-origin", where
    assert "server" not in headers, where


def test_every_kind_of_response_carries_the_headers(
    client: TestClient, login: Login, make_client: MakeClient
) -> None:
    admin = login("admin")
    small = make_client(max_body_bytes=1024)
    responses = {
        "home page": client.get("/"),
        "login page": client.get("/login"),
        "static file": client.get("/static/app.css"),
        "API JSON": client.get("/api/v1/health"),
        "API 401": client.get("/api/v1/needs"),
        "missing page": client.get("/no-such-page", headers={"accept": "text/html"}),
        "API 404": client.get("/api/v1/needs/999999999", headers=admin),
        "422 at the edge": client.get("/api/v1/needs?q=%00", headers=admin),
        "413 at the edge": small.post("/api/v1/needs", content=b"x" * 4096, headers=admin),
        "415 at the edge": client.post("/needs/new", files={"f": ("a", b"a")}),
        "redirect": client.get("/queue", follow_redirects=False),
    }
    for where, response in responses.items():
        assert_secured(response, where)


def test_templates_have_no_inline_script_style_or_handlers() -> None:
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:",
        re.IGNORECASE,
    )
    offenders = [
        f"{path.name}: {match.group(0)}"
        for path in sorted(TEMPLATES.glob("*.html"))
        for match in inline.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_rendered_pages_pass_the_policy(client: TestClient) -> None:
    """The pages as served, charts and map included: nothing the CSP would block."""
    inline = re.compile(r"<script\b|<style\b|\sstyle\s*=|\son[a-z]+\s*=", re.IGNORECASE)
    page_login(client, "zhou")
    for path in ("/", "/queue", "/needs", "/matches", "/runs", "/progress", "/map", "/exports"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not inline.search(response.text), path
        # Every stylesheet, script and image comes from this site.
        for url in re.findall(r'(?:src|href)="(https?:)?//', response.text):
            pytest.fail(f"{path} loads from another site: {url}")


def test_csp_is_strict() -> None:
    csp = _directives(CONTENT_SECURITY_POLICY)
    assert csp["default-src"] == "'self'"
    assert all("unsafe" not in value for value in csp.values())


def test_api_docs_are_off_in_production_unless_enabled(make_client: MakeClient) -> None:
    production = make_client(environment="production", secret_key=STRONG_SECRET)
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert production.get(path).status_code == 404, path
    enabled = make_client(environment="production", secret_key=STRONG_SECRET, api_docs=True)
    assert enabled.get("/openapi.json").status_code == 200
    docs = enabled.get("/docs")
    assert docs.status_code == 200
    assert docs.headers["x-frame-options"] == "DENY"
    development = make_client(environment="development")
    assert development.get("/openapi.json").status_code == 200


def _set_cookie(response: object, name: str) -> str:
    for value in response.headers.get_list("set-cookie"):  # type: ignore[attr-defined]
        if value.startswith(f"{name}="):
            return str(value)
    raise AssertionError(f"no {name} cookie set")


def test_csrf_cookie_is_secure_in_production(make_client: MakeClient) -> None:
    production = make_client(environment="production", secret_key=STRONG_SECRET)
    cookie = _set_cookie(production.get("/login"), "rencai_csrf")
    assert "secure" in cookie.lower()
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert "strict-transport-security" in production.get("/login").headers
    test_env = make_client(environment="test")
    assert "secure" not in _set_cookie(test_env.get("/login"), "rencai_csrf").lower()


def test_the_host_header_is_not_reflected_into_links(client: TestClient) -> None:
    response = client.get(
        "/programmes?lang=zh-CN&x=1", headers={"host": "evil.example", "accept": "text/html"}
    )
    assert response.status_code == 200
    assert "evil.example" not in response.text
    link = re.search(r'<a class="lang" href="([^"]+)"', response.text)
    assert link
    assert link.group(1).startswith("/programmes?")
    assert "lang=en" in link.group(1)
    assert "x=1" in link.group(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_rencai_serve_sends_no_server_header(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "RENCAI_DATA_DIR": str(tmp_path),
        "RENCAI_ENVIRONMENT": "test",
        "RENCAI_WARM_ENGINE_ON_START": "false",
        "PYTHONPATH": str(REPO),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from service.cli import main; main()",
            "serve",
            "--port",
            str(port),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/favicon.svg") as r:
                    headers = r.headers
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"rencai serve did not start: {server.stderr.read()!r}")  # type: ignore[union-attr]
                time.sleep(0.3)
        assert headers.get("server") is None
        assert headers.get("x-frame-options") == "DENY"
    finally:
        server.terminate()
        server.wait(timeout=20)
