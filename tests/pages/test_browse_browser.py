"""Why-not by name in a real browser (issue 13, item 4): typing part of a name fills the
box's suggestions from the server (static/why_not.js and its <datalist>), and sending a
name answers for that talent; the needs search and the map at phone and desktop widths."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.pages.conftest import CHROMIUM_ARGS, PASSWORD, SCREENSHOTS, LiveServer

pytestmark = pytest.mark.browser

VIEWPORTS = ((390, 844), (1366, 900))


def _signed_in(browser: Any, server: LiveServer, username: str, width: int, height: int) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="zh-CN",
        extra_http_headers={"accept-language": "zh-CN"},
    )
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state()
    return page


def _need_and_name(server: LiveServer) -> tuple[int, str]:
    from models import Need, Talent

    with server.session() as session:
        need = session.scalars(
            select(Need.id).where(Need.status == "open").order_by(Need.id)
        ).first()
        name = session.scalars(select(Talent.name).order_by(Talent.id)).first()
        assert need is not None and name is not None
        return need, name


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
def test_why_not_suggests_names_as_one_types(
    browser: Any, live_server: LiveServer, width: int, height: int
) -> None:
    assert CHROMIUM_ARGS  # the shared launch flags (conftest)
    need, name = _need_and_name(live_server)
    page = _signed_in(browser, live_server, "zhou", width, height)
    page.goto(f"{live_server.url}/needs/{need}")
    box = page.locator("#why-talent")
    box.fill("")
    box.type(name[:2], delay=50)
    options = page.locator("#why-talent-names option")
    # The server's names replace the ones the page was drawn with: every one contains
    # what was typed.
    page.wait_for_function(
        "typed => { const o = [...document.querySelectorAll('#why-talent-names option')];"
        " return o.length > 0 && o.every(x => x.value.includes(typed)); }",
        arg=name[:2],
        timeout=15000,
    )
    values = [options.nth(i).get_attribute("value") or "" for i in range(options.count())]
    assert name in values or all(name[:2] in v for v in values), values
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"browse-whynot-typing-{width}.png"), full_page=True)
    box.fill(name)
    page.locator("form.why-not-ask button[type=submit]").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "请填写整数" not in text
    assert name in text
    for path, shot in ((f"/needs?q={name[:1]}", "needs-search-live"), ("/map", "map-live")):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.body.scrollWidth") <= width  # nothing overflows
        page.screenshot(path=str(SCREENSHOTS / f"browse-{shot}-{width}.png"), full_page=True)
    page.context.close()
