"""The county targets grid by URL: coordinators read it (a county its own column), the
prefecture edits cells or uploads the grid back; site staff and talents are refused; a bad
cell is named and nothing is saved; forms without the CSRF token write nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CountyTarget
from tests.pages import code_scanner
from tests.pages.conftest import WebFactory
from tests.pages.web import ROLES, Api, assert_login_redirect, redirect_target, row_counts

PATH = "/programmes/county-targets"
KEY = "selected_technicians.technicians"
SHUANGBAI = "532322"
CELL = f"v:{KEY}:{SHUANGBAI}"


def _year() -> int:
    return date.today().year


def _values(session: Session) -> set[tuple[str, str, int, int | None]]:
    session.expire_all()
    return {
        (r.target_key, r.county_code, r.year, r.value)
        for r in session.scalars(select(CountyTarget))
    }


def test_anonymous_is_sent_to_sign_in(web: WebFactory) -> None:
    assert_login_redirect(web(None).get(PATH), PATH)


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_grid(web: WebFactory, role: str) -> None:
    response = web(role).get(PATH, year=_year())
    if role in ("admin", "zhou"):
        assert response.status_code == 200
        assert f'name="{CELL}"' in response.text and "楚雄市" in response.text
    elif role == "county":
        assert response.status_code == 200
        assert "双柏县" in response.text
        assert f'name="{CELL}"' not in response.text, "a county reads, never edits"
    else:
        assert response.status_code == 403 and f'name="{CELL}"' not in response.text


def test_saving_cells(web: WebFactory, session: Session) -> None:
    zhou, url = web("zhou"), f"{PATH}?year={_year()}"
    before = row_counts(session)
    assert zhou.post(url, {CELL: "6"}, csrf=None).status_code == 403
    assert web("county").post(url, {CELL: "6"}).status_code == 403
    refused = zhou.post(url, {CELL: "-3"})
    assert refused.status_code == 422 and f'name="{CELL}"' in refused.text
    said = refused.text.split('data-test="county-target-errors"')[1].split("</div>")[0]
    assert "双柏县" in said and "-3" in said, "the refused cell is named in words"
    assert row_counts(session) == before
    assert redirect_target(zhou.post(url, {CELL: "6"})) == url
    assert _values(session) == {(KEY, SHUANGBAI, _year(), 6)}
    assert 'value="6"' in zhou.get(PATH, year=_year()).text


def test_importing_the_grid(web: WebFactory, api: Api, session: Session) -> None:
    exported = api.http.get(
        f"/api/v1{PATH}.csv", params={"year": _year()}, headers=api.headers("zhou")
    )
    assert exported.status_code == 200
    assert code_scanner.scan_csv(exported.content, "county targets CSV", "zh-CN") == []
    lines = exported.content.decode("utf-8-sig").splitlines()
    column = lines[0].split(",").index("双柏县")

    def sheet(value: str) -> dict[str, tuple[str, bytes, str]]:
        rows = [
            ",".join(
                value if i == column and line.startswith(KEY + ",") else cell
                for i, cell in enumerate(line.split(","))
            )
            for line in lines
        ]
        return {"file": ("grid.csv", "\n".join(rows).encode("utf-8"), "text/csv")}

    zhou, url = web("zhou"), f"{PATH}/import?year={_year()}"
    before = row_counts(session)
    assert zhou.post(url, csrf=None, files=sheet("9")).status_code == 403
    assert web("county").post(url, files=sheet("9")).status_code == 403
    bad = zhou.post(url, files=sheet("-2"))
    assert bad.status_code == 422
    said = bad.text.split('data-test="county-target-errors"')[1].split("</div>")[0]
    assert "双柏县" in said and "-2" in said and SHUANGBAI not in said
    missing = zhou.post(url, {})
    assert missing.status_code == 422
    assert "请选择文件" in missing.text or "choose a file" in missing.text
    assert row_counts(session) == before
    assert redirect_target(zhou.post(url, files=sheet("9"))) == f"{PATH}?year={_year()}"
    assert _values(session) == {(KEY, SHUANGBAI, _year(), 9)}
