"""One signed-in Chromium context for the browser tests (the journeys and the screenshot
tour): a watch on console errors and failed requests, every document it opens run through
the code scanner, and full-page screenshots at the issue's phone and desktop widths."""

from __future__ import annotations

import re
from typing import Any

from service.i18n import translate
from tests.pages import code_scanner
from tests.pages.conftest import PASSWORD, SCREENSHOTS, LiveServer

# Issue 13: a phone of 390×844 and a desktop of 1366×900.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


class Tab:
    """One signed-in browser context with a watch on console errors and failed requests;
    ``allow`` marks the statuses a step provokes on purpose (a form with bad input).

    Every document it receives is scanned for codes (issue 13): the findings are kept in
    ``findings`` (the tour asserts on them) and, with ``record``, reported through
    ``code_scanner.report`` (the journeys)."""

    def __init__(self, browser: Any, server: LiveServer, locale: str, *, record: bool = True):
        self.server = server
        self.locale = locale
        self.record = record
        accept = "en" if locale == "en" else "zh-CN,zh;q=0.9"
        self.context = browser.new_context(
            viewport=DESKTOP, extra_http_headers={"Accept-Language": accept}
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)
        self.problems: list[str] = []
        self.findings: list[str] = []
        self.allowed: set[int] = set()
        self.page.on("console", self._console)
        self.page.on("requestfailed", self._request_failed)
        self.page.on("response", self._response)
        self.context.route("**/*", self._scan)

    def _scan(self, route: Any) -> None:
        request = route.request
        if request.resource_type != "document":
            route.continue_()
            return
        # Redirects are not followed here: the browser follows them itself, so its URL
        # stays true (a followed redirect would leave the tab on the form's address).
        # The page's own wait (60 s), not Playwright's 30 s: a shared 2-core machine is slow.
        response = route.fetch(max_redirects=0, timeout=60_000)
        body = response.body()
        found = code_scanner.scan_response(
            response.headers.get("content-type", ""),
            body,
            f"{request.method} {request.url.removeprefix(self.server.url)}",
            self.locale,
        )
        self.findings += found
        if self.record:
            code_scanner.report(found)
        route.fulfill(response=response, body=body)

    def _request_failed(self, request: Any) -> None:
        # A navigation cancels what the page it leaves was still fetching (its favicon,
        # say): Chromium reports that as net::ERR_ABORTED, which is not a broken request.
        if "ERR_ABORTED" in (request.failure or ""):
            return
        self.problems.append(f"failed {request.url}: {request.failure}")

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        # Chromium reports a 4xx document as a console error; deliberate ones are allowed.
        found = re.search(r"status of (\d+)", message.text)
        if found and int(found.group(1)) in self.allowed:
            return
        self.problems.append(f"console: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.status not in self.allowed:
            self.problems.append(f"{response.status} {response.url}")

    def t(self, key: str, **params: Any) -> str:
        text = translate(key, self.locale)
        return text.format(**params) if params else text

    def go(self, path: str) -> None:
        self.page.goto(self.server.url + path)

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.go("/login")
        self.page.get_by_label(self.t("login.username"), exact=True).fill(username)
        self.page.get_by_label(self.t("login.password"), exact=True).fill(password)
        self.page.get_by_role("button", name=self.t("login.submit")).click()
        self.page.wait_for_url(re.compile(r".*/(account/password)?$"))

    def screenshots(self, stem: str) -> int:
        """Full-page screenshots ``<stem>-390.png`` and ``<stem>-1366.png``; returns the
        phone's sideways overflow in pixels (the clerk would have to pan)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.set_viewport_size(PHONE)
        # Measured after the screenshot, which waits for the page to settle at this
        # width: measured at once, a busy machine could still show the desktop layout.
        self.page.screenshot(path=str(SCREENSHOTS / f"{stem}-390.png"), full_page=True)
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        self.page.set_viewport_size(DESKTOP)
        self.page.screenshot(path=str(SCREENSHOTS / f"{stem}-1366.png"), full_page=True)
        return int(overflow)

    def shoot(self, name: str) -> None:
        """Screenshots of a journey's page at both widths; nothing may overflow a phone."""
        overflow = self.screenshots(f"journey-{name}-{self.locale}")
        assert overflow <= 1, f"{name} overflows a 390-px screen by {overflow}px"

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems
