"""Error pages keep the signed-in person's menu; form fields carry their attributes quoted
once (min="1", autocomplete="new-password"), so the browser obeys them."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest

from service.i18n import translate
from tests.pages.conftest import WebFactory


class _Inputs(HTMLParser):
    """Every <input>'s attributes, as the browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            self.inputs.append(dict(attrs))


def _inputs(page_html: str) -> dict[str, dict[str, str | None]]:
    parser = _Inputs()
    parser.feed(page_html)
    return {str(i.get("name")): i for i in parser.inputs if i.get("type") != "hidden"}


@pytest.mark.parametrize(
    ("login", "menu_key", "menu_href"),
    [
        ("site1", "nav.my_needs", "/needs"),
        ("county", "nav.queue", "/queue"),
        ("talent1", "nav.profile", "/profile"),
        ("admin", "nav.users", "/admin/users"),
    ],
)
def test_a_signed_in_error_page_shows_that_persons_menu(
    web: WebFactory, login: str, menu_key: str, menu_href: str
) -> None:
    browser = web(login)
    for path in ("/needs/987654321", "/no-such-page"):
        page = browser.get(path)
        assert page.status_code == 404, (path, page.status_code)
        text = html.unescape(page.text)
        assert translate("error.title", "zh-CN") in text
        assert f'href="{menu_href}"' in page.text, f"{login} on {path}: no {menu_href} link"
        assert translate(menu_key, "zh-CN") in text
        assert translate("nav.logout", "zh-CN") in text
        assert 'href="/login"' not in page.text, f"{login} on {path}: the logged-out menu"


def test_an_anonymous_error_page_offers_sign_in(web: WebFactory) -> None:
    page = web(None).get("/no-such-page")
    assert page.status_code == 404
    assert 'href="/login"' in page.text
    assert translate("nav.logout", "zh-CN") not in html.unescape(page.text)


@pytest.mark.parametrize(
    ("login", "path", "expected"),
    [
        (None, "/login", {"username": {"autocomplete": "username"}}),
        (
            "site1",
            "/account/password",
            {
                "current_password": {"autocomplete": "current-password"},
                "new_password": {"autocomplete": "new-password", "minlength": "10"},
                "confirm_password": {"autocomplete": "new-password"},
            },
        ),
        (
            "site1",
            "/needs/new",
            {
                "headcount": {"min": "1", "max": "500", "inputmode": "numeric"},
                "days_needed": {"min": "1", "max": "1000"},
            },
        ),
        ("talent1", "/profile", {"travel_radius_km": {"min": "0", "max": "3000"}}),
        ("admin", "/admin/users", {"password": {"autocomplete": "new-password"}}),
        ("county", "/trainings", {"title": {"maxlength": "200", "required": ""}}),
    ],
)
def test_field_attributes_are_quoted_once(
    web: WebFactory, login: str | None, path: str, expected: dict[str, dict[str, str]]
) -> None:
    page = web(login).get(path)
    assert page.status_code == 200, (path, page.status_code)
    found = _inputs(page.text)
    for name, attributes in expected.items():
        assert name in found, f"{path}: no input {name!r}"
        for attribute, value in attributes.items():
            got = found[name].get(attribute)
            assert (got or "") == value, f'{path} {name}: {attribute}="{got}", expected "{value}"'
    for name, seen in found.items():
        for attribute, seen_value in seen.items():
            assert seen_value is None or not seen_value.startswith('"'), (
                f'{path} {name}: {attribute} carries stray quotes: {attribute}="{seen_value}"'
            )
    assert "=&#34;" not in page.text and "&#34; " not in page.text
