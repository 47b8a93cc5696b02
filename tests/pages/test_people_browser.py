"""The people pages in a real browser (issue 14): with the demo people records loaded, the
双柏县 officer reads the recruitments (subsidies in words), the 编办 ledger, the rotations
and a person's service ledger, opens the certificate PDF (Chinese, fonts embedded), and
no page overflows a 390-px phone. Screenshots at 390 and 1366 wide go to
test-artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.pages.conftest import LiveServer
from tests.pages.test_journey import tabs  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SIZES = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 900}}


def _load_demo(server: LiveServer) -> dict[str, int]:
    from models import Recruitment, Rotation, StaffingPool
    from seed.load_people_demo import load_people_demo

    with server.session() as session:
        load_people_demo(session=session)
        session.commit()

        rec = session.scalar(select(Recruitment).where(Recruitment.external_id == "demo-rec-1"))
        gap = session.scalar(select(Rotation).where(Rotation.external_id == "demo-rot-3"))
        pool = session.scalar(select(StaffingPool).where(StaffingPool.external_id == "demo-pool-1"))
        assert rec and gap and pool
        return {"recruitment": rec.id, "gap_person": gap.talent_id, "pool": pool.id}


def _shoot(tab: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in SIZES.items():
        tab.page.set_viewport_size(size)
        tab.page.screenshot(path=str(SHOTS / f"people-{name}-{label}.png"), full_page=True)
        if label == "390":
            overflow = tab.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} overflows a 390-px screen by {overflow}px"
    tab.page.set_viewport_size(SIZES["1366"])


def test_people_pages_in_a_browser(tabs: Any, live_server: LiveServer) -> None:  # noqa: F811
    ids = _load_demo(live_server)
    officer = tabs("zh-CN")
    officer.login("county")

    officer.go("/recruitments")
    assert "专业技术八级" in officer.page.content()
    _shoot(officer, "recruitments")

    officer.go(f"/recruitments/{ids['recruitment']}")
    body = officer.page.inner_text("body")
    assert "乡镇工作补贴" in body and "鄂嘉镇 是25个贫困乡镇之一" in body
    _shoot(officer, "recruitment")

    officer.go("/staffing")
    assert "双柏县引进人才专用事业编制" in officer.page.content()
    assert "州级高层次人才事业编制" not in officer.page.inner_text("table")  # the prefecture's
    _shoot(officer, "pools")

    officer.go(f"/staffing/{ids['pool']}")
    assert "人走编收" in officer.page.content()
    _shoot(officer, "pool")

    officer.go("/rotations")
    assert "县管校聘" in officer.page.content()
    _shoot(officer, "rotations")

    officer.go(f"/people/{ids['gap_person']}/ledger")
    rule = officer.page.locator('li[data-rule="grassroots_associate_senior"]').inner_text()
    assert "间断" in rule
    _shoot(officer, "ledger")

    # The certificate opens from the ledger page: a PDF with a Chinese font embedded.
    href = officer.page.locator('a[data-test="certificate"]').get_attribute("href")
    response = officer.page.request.get(live_server.url + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF") and b"/FontFile" in pdf and b"CJK" in pdf

    prefecture = tabs("en")
    prefecture.login("zhou")
    prefecture.go("/staffing?lang=en")
    assert "Prefecture" in prefecture.page.content()
    _shoot(prefecture, "pools-en")
