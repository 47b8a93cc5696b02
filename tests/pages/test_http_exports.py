"""Every file the pages offer for download, read as the person who downloads it (issue 13):
headers and values in words, times in the display zone with the zone in the header. The
scanner runs strict here whatever ``RENCAI_CODE_SCAN`` says: these files are clean."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Match, User
from tests.pages import code_scanner
from tests.pages.conftest import WebFactory
from tests.pages.web import Api, make_pairing

KINDS = ("matches", "needs", "talents", "sites")


def _downloads(api: Api, session: Session) -> list[tuple[str, str]]:
    """(who, address) of each file a page links to, with something in it."""
    make_pairing(api, "页面测试：导出的对接", until="active")
    own = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    run = api.call("POST", "/api/v1/runs", "zhou", json={"county": own, "dry_run": True})
    talent = session.scalars(select(User.talent_id).where(User.username == "talent1")).one()
    files = [("zhou", f"/exports/{k}.{f}") for k in KINDS for f in ("csv", "xlsx")]
    files += [("zhou", f"/api/v1/programmes/progress.{f}?year=2026") for f in ("csv", "xlsx")]
    files += [("zhou", f"/api/v1/runs/{run['id']}/report.xlsx")]
    files += [("talent1", f"/api/v1/people/{talent}/service-ledger.xlsx")]
    files += [("talent1", "/api/v1/me/personal-data?format=xlsx")]
    return files


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_download_speaks_words(
    web: WebFactory, api: Api, session: Session, lang: str
) -> None:
    found: list[str] = []
    for who, address in _downloads(api, session):
        browser = web(who)
        browser.http.cookies.set("lang", lang)
        response = browser.http.get(address)
        assert response.status_code == 200, (address, response.text[:300])
        kind = response.headers["content-type"]
        assert "csv" in kind or "spreadsheetml" in kind, (address, kind)
        found += code_scanner.scan_response(kind, response.content, address, lang)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    ("lang", "created", "origin"),
    [
        ("zh-CN", "创建时间（北京时间）", "单位发起"),
        ("en", "Created (Beijing time)", "Proposed by the site"),
    ],
)
def test_the_matches_file_is_in_the_readers_language_and_zone(
    web: WebFactory, api: Api, session: Session, lang: str, created: str, origin: str
) -> None:
    from service import timefmt

    pairing = make_pairing(api, "页面测试：导出的对接时间")
    browser = web("zhou")
    response = browser.http.get("/exports/matches.csv", params={"lang": lang})
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    row = next(r for r in rows if r[next(iter(r))] == str(pairing.match_id))
    match = session.get(Match, pairing.match_id)
    assert match is not None
    beijing = timefmt.local(match.created_at, "Asia/Shanghai").strftime("%Y-%m-%d %H:%M:%S")
    assert row[f"{created}(created_at)"] == beijing
    assert row[next(h for h in row if h.endswith("(origin)"))] == origin
    county = next(h for h in row if h.endswith("(county)"))
    assert row[county] in ("双柏县", "Shuangbai County")
