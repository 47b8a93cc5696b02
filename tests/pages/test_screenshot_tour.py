"""Every page each role can reach, photographed at 390 px and 1366 px (issue 13).

For each role (the public, a site clerk, a talent, the county and the prefecture
coordinators, the admin) and each language, one browser session starts at the front page
and follows the links it is shown, opening one page per route (``TESTED`` in
test_http_coverage.py names them). Each page is saved as
``test-artifacts/screenshots/tour-<role>-<page>-<locale>-<width>.png``, may not overflow a
phone sideways, and must hold no code where a word belongs (tests/pages/code_scanner.py).
A role that no longer reaches a page it should (a dead end) fails too."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from tests.pages.browser_tab import Tab
from tests.pages.conftest import REPO, LiveServer
from tests.pages.test_http_coverage import TESTED

pytestmark = pytest.mark.browser

FINDINGS_FILE = REPO / "test-artifacts" / "tour-findings.txt"

# Routes that answer with a file or a fragment, not a page to look at.
NOT_PAGES = frozenset(
    {
        "/exports/{kind}.{fmt}",
        "/admin/import/templates/{name}",
        "/entries/{entry_id}/evidence",
        "/needs/{need_id}/talent-names",
    }
)
# Every page's findings fail the tour: the areas other helpers were fixing are merged.
# A prefix listed here would have its findings written to test-artifacts/tour-findings.txt
# instead; keep it empty.
OTHERS_AREAS: tuple[str, ...] = ()
# Who signs in (None: nobody) and the pages each role must reach by following links.
ROLES: dict[str, tuple[str | None, frozenset[str]]] = {
    "public": (None, frozenset({"/", "/login", "/programmes"})),
    "site": (
        "site1",
        frozenset(
            {"/", "/needs", "/needs/new", "/needs/{need_id}", "/matches", "/account/password"}
        ),
    ),
    "talent": (
        "talent1",
        frozenset({"/", "/suggestions", "/profile", "/needs", "/privacy", "/service-ledger"}),
    ),
    "county": (
        "county",
        frozenset({"/", "/queue", "/progress", "/map", "/needs", "/runs", "/entries"}),
    ),
    "prefecture": (
        "zhou",
        frozenset({"/", "/queue", "/progress", "/map", "/exports", "/runs", "/registers"}),
    ),
    "admin": (
        "admin",
        frozenset({"/", "/admin/users", "/admin/reference", "/admin/import", "/admin/privacy"}),
    ),
}
MAX_PAGES = 60


def _templates() -> list[tuple[str, re.Pattern[str]]]:
    """The GET page routes as patterns, fixed paths before those with parameters
    (``/needs/new`` is not ``/needs/{need_id}``)."""
    paths = sorted(
        {path for method, path in TESTED if method == "GET" and path not in NOT_PAGES},
        key=lambda path: (path.count("{"), path),
    )
    return [
        (path, re.compile("^" + re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(path)) + "$"))
        for path in paths
    ]


TEMPLATES = _templates()


def route_of(path: str) -> str | None:
    return next((route for route, pattern in TEMPLATES if pattern.match(path)), None)


def page_name(route: str) -> str:
    """A file-name part for a route: ``/needs/{need_id}/why-not`` → ``needs-id-why-not``."""
    name = re.sub(r"\{[^}]+\}", "id", route).strip("/").replace("/", "-")
    return name or "home"


def _same_site(href: str, server: str) -> str | None:
    """The path and query of a link on this site, without the language toggle."""
    parts = urlsplit(href)
    if parts.scheme and not href.startswith(server):
        return None
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "lang"])
    return parts.path + (f"?{query}" if query else "") if parts.path else None


def _links(tab: Tab) -> list[str]:
    hrefs = tab.page.eval_on_selector_all(
        # getAttribute, not .href: a link inside the map's SVG has no string .href.
        "a[href]:not([download])",
        "links => links.map(a => new URL(a.getAttribute('href'), location.href).href)",
    )
    return [p for p in (_same_site(h, tab.server.url) for h in hrefs) if p]


def _others(route: str) -> bool:
    return route.startswith(OTHERS_AREAS)


def _tour(tab: Tab, role: str) -> tuple[set[str], list[str], list[str]]:
    """Opens one page per route reachable by links from the front page; returns the
    routes seen, the failures in this helper's areas and the findings in others'."""
    queue, seen = ["/"], set[str]()
    failures: list[str] = []
    deferred: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        route = route_of(urlsplit(path).path)
        if route is None or route in seen:
            continue
        seen.add(route)
        tab.findings.clear()
        tab.go(path)
        landed = urlsplit(tab.page.url).path
        overflow = tab.screenshots(f"tour-{role}-{page_name(route)}-{tab.locale}")
        problems = list(tab.findings)
        if overflow > 1:
            problems.append(f"GET {path}: overflows a 390-px phone by {overflow}px")
        # A link may lead on to another page (the talent's service ledger is their own
        # ledger), never back to signing in: that is a dead end for this role.
        if landed in ("/login", "/account/password") and route != landed:
            problems.append(f"GET {path}: sent to {landed}")
        (deferred if _others(route) else failures).extend(problems)
        queue += [link for link in _links(tab) if route_of(urlsplit(link).path) not in seen]
    return seen, failures, deferred


def _record(role: str, locale: str, deferred: list[str]) -> None:
    if not deferred:
        return
    FINDINGS_FILE.parent.mkdir(parents=True, exist_ok=True)
    with Path(FINDINGS_FILE).open("a", encoding="utf-8") as out:
        out.write("".join(f"{role} {locale}: {line}\n" for line in deferred))


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_role_reaches(
    browser: Any, live_server: LiveServer, role: str, locale: str
) -> None:
    username, must_reach = ROLES[role]
    tab = Tab(browser, live_server, locale, record=False)
    try:
        if locale == "en":
            tab.go("/?lang=en")  # the menu's toggle: a cookie for the whole session
        if username:
            tab.login(username)
        seen, failures, deferred = _tour(tab, role)
    finally:
        tab.close()
    _record(role, locale, deferred)
    assert not failures, "\n".join(failures)
    assert must_reach <= seen, f"{role} cannot reach {sorted(must_reach - seen)}"
