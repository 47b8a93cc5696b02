"""Driving the pages over HTTP as a browser would, without one: a cookie jar per person,
sign-in through the login form, the double-submit CSRF token sent back with each form,
and redirects looked at rather than followed. Everything goes by URL, so the tests hold
whichever module serves a page.

The records a test needs (a need per site, matches in a given status, a talent login)
are made through the JSON API, inside the test's transaction, and vanish with it."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from http.cookiejar import Cookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.testclient import httpx  # httpx2 or httpx, whichever it drives

from models.base import Base
from service.uploads import upload_roles
from tests.conftest import DEMO_PASSWORD
from tests.pages import code_scanner

# The form contract the pages' HTML carries: a hidden field echoing a cookie.
CSRF_COOKIE = "rencai_csrf"
CSRF_FIELD = "csrf_token"
SESSION_COOKIE = "rencai_session"
SEND = object()  # post(): send the right token (the default)

# Demo logins (tests/conftest.py → ensure_demo_accounts): the prefecture coordinator,
# the 双柏县 coordinator, staff of two 双柏县 sites and two talents.
ROLES = ("admin", "zhou", "county", "site1", "site2", "talent1", "talent2")
# Cookies and bearer tokens of the demo logins, kept for the whole run.
_SIGNED_IN: dict[str, list[Cookie]] = {}
_TOKENS: dict[str, dict[str, str]] = {}


class Web:
    """One person's browser: its own cookies, HTML accepted, redirects not followed."""

    def __init__(self, app: FastAPI, username: str | None = None) -> None:
        self.http = TestClient(
            app,
            raise_server_exceptions=False,
            follow_redirects=False,
            headers={"accept": "text/html,application/xhtml+xml"},
        )
        self.username = username
        if username in _SIGNED_IN:
            # The demo logins sign in through the form once per run; later browsers reuse
            # the cookies (the accounts outlive every test's transaction).
            # Whole cookies (domain and path too), so the server can still delete them.
            for cookie in _SIGNED_IN[username]:
                self.http.cookies.jar.set_cookie(copy.copy(cookie))
        elif username is not None:
            self.sign_in(username)
            if username in ROLES:
                _SIGNED_IN[username] = [copy.copy(c) for c in self.http.cookies.jar]

    def get(self, url: str, **params: Any) -> httpx.Response:
        return self.scanned(self.http.get(url, params=params or None))

    def scanned(self, response: httpx.Response) -> httpx.Response:
        """Every page and exported file a test receives goes through the code scanner
        (tests/pages/code_scanner.py): a code where a word belongs fails the test."""
        locale = "en" if "lang=en" in str(response.url) else (self.http.cookies.get("lang") or "")
        where = f"{response.request.method} {response.url.path}"
        problems = code_scanner.scan_response(
            response.headers.get("content-type", ""),
            response.content,
            where,
            locale or "zh-CN",
        )
        code_scanner.report(problems)
        return response

    def csrf(self) -> str:
        """The token a page's form would carry: minted by the first page with a form."""
        token = self.http.cookies.get(CSRF_COOKIE)
        if token is None:
            assert self.get("/login").status_code == 200
            token = self.http.cookies.get(CSRF_COOKIE)
        assert token, "the login page sets the CSRF cookie"
        return token

    def post(
        self,
        url: str,
        data: Mapping[str, Any] | None = None,
        *,
        csrf: object = SEND,
        files: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        form = dict(data or {})
        if csrf is SEND:
            form[CSRF_FIELD] = self.csrf()
        elif csrf is not None:
            self.csrf()  # the cookie exists; the form carries something else
            form[CSRF_FIELD] = csrf
        if (files is not None or upload_roles(url.split("?")[0])) and CSRF_FIELD in form:
            # Like the upload forms: the token rides in the address too, since the upload
            # gate checks it before reading the body.
            separator = "&" if "?" in url else "?"
            url = f"{url}{separator}{CSRF_FIELD}={form[CSRF_FIELD]}"
        return self.scanned(self.http.post(url, data=form, files=files))

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        response = self.post("/login", {"username": username, "password": password, "next": "/"})
        assert response.status_code == 303, (username, response.status_code, response.text[:500])
        assert self.http.cookies.get(SESSION_COOKIE), "signing in sets the session cookie"


def redirect_target(response: httpx.Response) -> str:
    assert response.status_code in (302, 303, 307), (response.status_code, response.text[:500])
    return str(response.headers["location"])


def assert_login_redirect(response: httpx.Response, path: str) -> None:
    """Anonymous → the login page, remembering where the person was going."""
    location = urlsplit(redirect_target(response))
    assert location.path == "/login", location
    assert parse_qs(location.query).get("next") == [path], location


def hidden_csrf(html: str) -> str | None:
    found = re.search(rf'name="{CSRF_FIELD}"\s+value="([^"]+)"', html) or re.search(
        rf'value="([^"]+)"\s+name="{CSRF_FIELD}"', html
    )
    return found.group(1) if found else None


def row_counts(session: Session) -> dict[str, int]:
    """Rows per table, to show that a refused form wrote nothing anywhere."""
    session.expire_all()
    return {
        name: session.scalar(select(func.count()).select_from(table)) or 0
        for name, table in sorted(Base.metadata.tables.items())
    }


# ---------------------------------------------------------------------------------------
# Records made through the JSON API


class Api:
    """The JSON API as one signed-in user at a time (bearer tokens, cached per user)."""

    def __init__(self, app: FastAPI) -> None:
        self.http = TestClient(app, raise_server_exceptions=False)
        self._tokens: dict[str, dict[str, str]] = {}

    def headers(self, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
        if username in _TOKENS:
            return _TOKENS[username]
        if username not in self._tokens:
            response = self.http.post(
                "/api/v1/auth/login", json={"username": username, "password": password}
            )
            assert response.status_code == 200, response.text
            token = response.json()["access_token"]
            self._tokens[username] = {"authorization": f"Bearer {token}"}
            if username in ROLES:
                _TOKENS[username] = self._tokens[username]
        return self._tokens[username]

    def call(self, method: str, url: str, username: str, **kwargs: Any) -> Any:
        response = self.http.request(method, url, headers=self.headers(username), **kwargs)
        assert response.status_code < 300, (method, url, response.status_code, response.text)
        return response.json()

    def me(self, username: str) -> dict[str, Any]:
        return dict(self.call("GET", "/api/v1/auth/me", username))

    def post_need(self, username: str, title: str, **overrides: Any) -> dict[str, Any]:
        body = need_body(title, **overrides)
        return dict(self.call("POST", "/api/v1/needs", username, json=body))

    def candidate(self, username: str, need_id: int) -> int:
        found = self.call("GET", f"/api/v1/needs/{need_id}/candidates", username, params={"k": 5})
        assert found, "the demo population offers a candidate"
        return int(found[0]["talent"]["id"])

    def talent_login(self, talent_id: int) -> str:
        """A login for any talent profile, made by the admin."""
        username = f"page_t{talent_id}"
        existing = self.call("GET", "/api/v1/users", "admin", params={"limit": 200})
        if username not in {u["username"] for u in existing["items"]}:
            self.call(
                "POST",
                "/api/v1/users",
                "admin",
                json={
                    "username": username,
                    "password": DEMO_PASSWORD,
                    "role": "talent",
                    "display_name": f"测试人才{talent_id}",
                    "talent_id": talent_id,
                },
            )
        return username

    def act(self, match_id: int, action: str, username: str, reason: str | None = None) -> Any:
        body = {"reason": reason} if reason else None
        return self.call("POST", f"/api/v1/matches/{match_id}/{action}", username, json=body)


def need_body(title: str, **overrides: Any) -> dict[str, Any]:
    start = date.today() + timedelta(days=20)
    body: dict[str, Any] = {
        "title": title,
        "description": "我乡核桃种植面积大，近年病虫害多发、产量下降，想请农技推广专家在采收前"
        "来现场指导修剪、施肥和病虫害绿色防控，并给种植户开展培训。",
        "skills": ["agri.extension"],
        "mode": "onsite_short",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=240)).isoformat(),
        "headcount": 1,
        "days_needed": 5,
    }
    body.update(overrides)
    return body


def need_form(title: str, **overrides: Any) -> dict[str, Any]:
    """The need form as a browser posts it: every field a string, lists repeated."""
    body = need_body(title, **overrides)
    return {k: v if isinstance(v, list) else str(v) for k, v in body.items()}


@dataclass
class Pairing:
    """A need of site1 (in 双柏县) and a match on it with a candidate who can sign in."""

    need_id: int
    need_title: str
    match_id: int
    talent_id: int
    talent_login: str
    talent_name: str


def make_pairing(api: Api, title: str, *, until: str = "proposed") -> Pairing:
    """site1 posts a need and proposes its best candidate; the match is then walked to
    ``until`` through the lifecycle (interested, accepted, approved, active)."""
    need = api.post_need("site1", title)
    talent_id = api.candidate("site1", need["id"])
    match = api.call(
        "POST", "/api/v1/matches", "site1", json={"need_id": need["id"], "talent_id": talent_id}
    )
    login = api.talent_login(talent_id)
    steps = [
        ("interested", "interest", login),
        ("accepted", "accept", "site1"),
        ("approved", "approve", "county"),
        ("active", "start", "site1"),
    ]
    status = "proposed"
    for target, action, who in steps:
        if status == until:
            break
        status = api.act(match["id"], action, who)["status"]
        assert status == target
    assert status == until, until
    return Pairing(
        need_id=need["id"],
        need_title=title,
        match_id=match["id"],
        talent_id=talent_id,
        talent_login=login,
        talent_name=str(match["talent_name"]),
    )
