"""The public pages (home, programmes), signing in and out, and the rule every other page
shares: an anonymous visitor is sent to the login page, which brings them back."""

from __future__ import annotations

import html

import pytest
from sqlalchemy.orm import Session

from tests.pages.conftest import WebFactory
from tests.pages.web import (
    CSRF_COOKIE,
    ROLES,
    SESSION_COOKIE,
    Api,
    assert_login_redirect,
    hidden_csrf,
    redirect_target,
    row_counts,
)

# Every page behind a login, as an anonymous GET reaches it (ids need not exist: the
# redirect comes first and confirms nothing).
PROTECTED_PAGES = (
    "/needs",
    "/needs/new",
    "/needs/1",
    "/needs/1/edit",
    "/needs/1/why-not",
    "/matches",
    "/matches/1",
    "/profile",
    "/suggestions",
    "/queue",
    "/runs",
    "/runs/1",
    "/progress",
    "/map",
    "/exports",
    "/exports/needs.csv",
    "/admin/users",
    "/admin/reference",
    "/admin/import",
)
PROTECTED_FORMS = (
    "/needs/new",
    "/needs/1/edit",
    "/needs/1/propose",
    "/needs/1/decline",
    "/matches/1/action",
    "/matches/1/records",
    "/profile",
    "/suggestions/1/interest",
    "/queue",
    "/runs",
    "/admin/users",
    "/admin/import",
)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_home_and_programmes_are_public(web: WebFactory, api: Api, role: str | None) -> None:
    browser = web(role)
    home = browser.get("/")
    assert home.status_code == 200
    assert "<h1" in home.text or "<section" in home.text
    programmes = browser.get("/programmes")
    assert programmes.status_code == 200
    listed = api.call("GET", "/api/v1/programmes", "admin")
    titles = [p["title"] for p in listed]
    assert titles, "the plan's programmes are loaded"
    for title in titles:
        assert html.escape(title, quote=False) in programmes.text, title


def test_the_measures_read_in_english_on_an_english_page(web: WebFactory) -> None:
    """Issue 13: the measures' long paragraphs stayed Chinese in English mode."""
    import re

    page = web(None).get("/programmes", lang="en").text
    paragraphs = re.findall(r"<details><summary>[^<]*</summary><p>([^<]*)</p>", page)
    assert len(paragraphs) == 10, "one paragraph per measure of the plan"
    for text in paragraphs:
        assert not re.search(r"[\u4e00-\u9fff]", text), text
    chinese = web(None).get("/programmes", lang="zh-CN").text
    assert "彝乡英才回巢计划" in chinese and "Yi Homeland Talent Homecoming" in page


@pytest.mark.parametrize("path", PROTECTED_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(web: WebFactory, path: str) -> None:
    assert_login_redirect(web(None).get(path), path)


def test_the_login_redirect_keeps_the_query(web: WebFactory) -> None:
    response = web(None).get("/matches", status="approved")
    assert_login_redirect(response, "/matches?status=approved")


@pytest.mark.parametrize("path", PROTECTED_FORMS)
def test_anonymous_form_posts_are_sent_to_the_login_page(
    web: WebFactory, session: Session, path: str
) -> None:
    before = row_counts(session)
    response = web(None).post(path, {"title": "匿名提交", "reason": "x", "decision": "approve"})
    assert_login_redirect(response, path)
    assert row_counts(session) == before


def test_the_login_form_carries_the_csrf_cookie(web: WebFactory) -> None:
    browser = web(None)
    page = browser.get("/login", next="/needs")
    assert page.status_code == 200
    token = browser.http.cookies.get(CSRF_COOKIE)
    assert token and hidden_csrf(page.text) == token
    assert 'name="username"' in page.text and 'name="password"' in page.text
    assert 'value="/needs"' in page.text


def test_signing_in_goes_where_the_visitor_was_going(web: WebFactory) -> None:
    browser = web(None)
    response = browser.post(
        "/login", {"username": "site1", "password": "test-password-2020", "next": "/needs"}
    )
    assert redirect_target(response) == "/needs"
    assert browser.http.cookies.get(SESSION_COOKIE)
    assert browser.get("/needs").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "needs"])
def test_signing_in_never_leaves_the_site(web: WebFactory, target: str) -> None:
    browser = web(None)
    response = browser.post(
        "/login", {"username": "site1", "password": "test-password-2020", "next": target}
    )
    assert redirect_target(response) == "/"


def test_a_wrong_password_shows_the_form_again(web: WebFactory) -> None:
    browser = web(None)
    response = browser.post("/login", {"username": "site1", "password": "wrong-password-x"})
    assert response.status_code == 400
    assert browser.http.cookies.get(SESSION_COOKIE) is None
    assert 'value="site1"' in response.text  # the username is kept
    assert "用户名或密码不正确" in response.text


def test_empty_fields_are_named(web: WebFactory) -> None:
    response = web(None).post("/login", {"username": "", "password": ""})
    assert response.status_code == 400
    assert "请填写用户名" in response.text and "请填写密码" in response.text


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_login_without_the_csrf_token_is_refused(web: WebFactory, token: str | None) -> None:
    browser = web(None)
    response = browser.post(
        "/login", {"username": "site1", "password": "test-password-2020"}, csrf=token
    )
    assert response.status_code == 403
    assert browser.http.cookies.get(SESSION_COOKIE) is None
    assert browser.get("/needs").status_code == 303


def test_signing_out_ends_the_session(web: WebFactory) -> None:
    browser = web("site1")
    response = browser.post("/logout")
    assert redirect_target(response) == "/"
    assert browser.http.cookies.get(SESSION_COOKIE) is None
    assert_login_redirect(browser.get("/needs"), "/needs")


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_signing_out_without_the_csrf_token_is_refused(web: WebFactory, token: str | None) -> None:
    browser = web("site1")
    assert browser.post("/logout", csrf=token).status_code == 403
    assert browser.get("/needs").status_code == 200  # still signed in
