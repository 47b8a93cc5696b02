"""任务分解: the prefecture sets each county's share of a target per year; a county
coordinator reads their own county's figures only, against their own target."""

from __future__ import annotations

import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import reference
from models import CountyTarget
from tests.http_fixtures import Login
from tests.service.ledger_builders import CHUXIONG, SHUANGBAI, fitting_match

URL = "/api/v1/programmes/county-targets"
KEY = "selected_technicians.technicians"


def _year() -> int:
    return date.today().year


def _put(client: TestClient, headers: dict[str, str], body: list[dict], year: int | None = None):
    return client.put(URL, params={"year": year or _year()}, json=body, headers=headers)


def test_prefecture_sets_and_county_reads_its_own(
    client: TestClient, login: Login, session: Session
) -> None:
    zhou = login("zhou")
    saved = _put(
        client,
        zhou,
        [
            {"target": KEY, "county_code": SHUANGBAI, "value": 4},
            {"target": KEY, "county_code": CHUXIONG, "value": 9},
        ],
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"changed": 2}
    county = login("county")
    mine = client.get(URL, params={"year": _year()}, headers=county).json()
    assert mine == [{"target": KEY, "county_code": SHUANGBAI, "year": _year(), "value": 4}]
    everything = client.get(URL, params={"year": _year()}, headers=zhou).json()
    assert {r["county_code"] for r in everything} == {SHUANGBAI, CHUXIONG}
    other = client.get(URL, params={"year": _year(), "county": CHUXIONG}, headers=county)
    assert other.status_code == 404

    # The county's progress is measured against its own target.
    fitting_match(session, "selected_technicians", reference.load_programmes().target(KEY))
    rows = client.get(
        "/api/v1/programmes/progress", params={"year": _year()}, headers=county
    ).json()
    row = next(r for r in rows if r["key"] == KEY)
    assert row["county"] == SHUANGBAI and row["county_value"] == 4
    assert set(row["by_county"]) <= {SHUANGBAI}
    assert row["share"] == round(row["achieved"] / 4, 4)
    prefecture = client.get(
        "/api/v1/programmes/progress", params={"year": _year()}, headers=zhou
    ).json()
    whole = next(r for r in prefecture if r["key"] == KEY)
    assert whole["county_value"] is None and whole["share"] == round(whole["achieved"] / 100, 4)


def test_county_coordinator_may_not_set(client: TestClient, login: Login, session: Session) -> None:
    refused = _put(client, login("county"), [{"target": KEY, "county_code": SHUANGBAI, "value": 1}])
    assert refused.status_code == 403
    assert session.scalar(select(func.count()).select_from(CountyTarget)) == 0


@pytest.mark.parametrize(
    ("item", "year", "field"),
    [
        (
            {"target": "no.such_target", "county_code": SHUANGBAI, "value": 1},
            None,
            "items[0].target",
        ),
        (
            {"target": "measure_3.selected_technicians", "county_code": SHUANGBAI, "value": 1},
            None,
            "items[0].target",
        ),
        ({"target": KEY, "county_code": SHUANGBAI, "value": -1}, None, "items[0].value"),
        ({"target": KEY, "county_code": "999999", "value": 1}, None, "items[0].county_code"),
        ({"target": KEY, "county_code": SHUANGBAI, "value": 1}, 1999, "year"),
    ],
    ids=["unknown-key", "duplicate-row-key", "negative", "unknown-county", "year-outside-plan"],
)
def test_bad_input_names_the_field_and_writes_nothing(
    client: TestClient, login: Login, session: Session, item: dict, year: int | None, field: str
) -> None:
    good = {"target": KEY, "county_code": CHUXIONG, "value": 3}
    refused = _put(client, login("zhou"), [item, good], year=year)
    assert refused.status_code == 422, refused.text
    fields = [f["field"] for f in refused.json()["error"]["fields"]]
    assert field in fields
    assert session.scalar(select(func.count()).select_from(CountyTarget)) == 0


def test_grid_exports_and_imports_back(client: TestClient, login: Login, session: Session) -> None:
    zhou = login("zhou")
    assert (
        _put(client, zhou, [{"target": KEY, "county_code": SHUANGBAI, "value": 5}]).status_code
        == 200
    )
    codes = client.get(f"{URL}.csv", params={"year": _year(), "header": "codes"}, headers=zhou)
    code_header = codes.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert code_header[:4] == ["key", "target", "unit", "plan_value"] and SHUANGBAI in code_header
    english = client.get(f"{URL}.csv", params={"year": _year(), "lang": "en"}, headers=zhou)
    english_header = english.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert english_header[0] == "Target code" and "Shuangbai" in ",".join(english_header)
    exported = client.get(f"{URL}.csv", params={"year": _year()}, headers=zhou)
    assert exported.status_code == 200
    lines = exported.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    # For people: words in the headers, the target code in a column headed as a code.
    assert header[:2] == ["目标代码", "目标"] and "双柏县" in header and SHUANGBAI not in header
    shuangbai, chuxiong = header.index("双柏县"), header.index("楚雄市")
    key_line = next(line for line in lines if line.startswith(KEY + ","))
    assert key_line.split(",")[shuangbai] == "5"
    # Change 双柏县 to 7 and give 楚雄市 11, then upload.
    edited = "\n".join(
        ",".join(
            ("7" if c == "5" else c)
            if i == shuangbai
            else ("11" if line.startswith(KEY + ",") and i == chuxiong else c)
            for i, c in enumerate(line.split(","))
        )
        for line in lines
    )
    uploaded = client.post(
        f"{URL}/import",
        params={"year": _year()},
        files={"file": ("grid.csv", io.BytesIO(edited.encode("utf-8")), "text/csv")},
        headers=zhou,
    )
    assert uploaded.status_code == 200, uploaded.text
    values = {
        (r["county_code"], r["value"])
        for r in client.get(URL, params={"year": _year()}, headers=zhou).json()
    }
    assert values == {(SHUANGBAI, 7), (CHUXIONG, 11)}
    xlsx = client.get(f"{URL}.xlsx", params={"year": _year()}, headers=zhou)
    assert xlsx.content.startswith(b"PK")
    # A bad cell: nothing is saved and the cell is named.
    bad = edited.replace(",7", ",-2", 1)
    refused = client.post(
        f"{URL}/import",
        params={"year": _year()},
        files={"file": ("grid.csv", io.BytesIO(bad.encode("utf-8")), "text/csv")},
        headers=zhou,
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"][0]["field"].endswith(f"column {SHUANGBAI}")
    county_import = client.post(
        f"{URL}/import",
        params={"year": _year()},
        files={"file": ("grid.csv", io.BytesIO(edited.encode("utf-8")), "text/csv")},
        headers=login("county"),
    )
    assert county_import.status_code == 403
    # A column that names no county is refused by its header, nothing saved…
    stray = edited.replace("楚雄市", "楚雄州", 1)
    refused = client.post(
        f"{URL}/import",
        params={"year": _year()},
        files={"file": ("grid.csv", io.BytesIO(stray.encode("utf-8")), "text/csv")},
        headers=zhou,
    )
    assert refused.status_code == 422
    assert [f["value"] for f in refused.json()["error"]["fields"]] == ["楚雄州"]
    # …and the machine layout (county codes as headers) imports back as well.
    machine = client.post(
        f"{URL}/import",
        params={"year": _year()},
        files={"file": ("grid.csv", io.BytesIO(codes.content), "text/csv")},
        headers=zhou,
    )
    assert machine.status_code == 200, machine.text
    values = {
        (r["county_code"], r["value"])
        for r in client.get(URL, params={"year": _year()}, headers=zhou).json()
    }
    assert values == {(SHUANGBAI, 5), (CHUXIONG, 11)}


def test_the_page_edits_the_grid_and_a_county_reads_its_column(
    client: TestClient, session: Session
) -> None:
    from tests.security.web_fixtures import page_login

    year = _year()
    token = page_login(client, "zhou")
    page = client.get("/programmes/county-targets", params={"year": year})
    assert page.status_code == 200
    cell = f"v:{KEY}:{SHUANGBAI}"
    assert f'name="{cell}"' in page.text
    saved = client.post(
        "/programmes/county-targets",
        params={"year": year},
        data={"csrf_token": token, cell: "6"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    row = session.scalars(select(CountyTarget)).one()
    assert (row.target_key, row.county_code, row.year, row.value) == (KEY, SHUANGBAI, year, 6)
    refused = client.post(
        "/programmes/county-targets",
        params={"year": year},
        data={"csrf_token": token, cell: "-3"},
    )
    assert refused.status_code == 422
    assert session.scalars(select(CountyTarget.value)).one() == 6
    progress_page = client.get("/progress", params={"year": year, "county": SHUANGBAI})
    assert progress_page.status_code == 200
    assert 'class="county-target">6<' in progress_page.text

    client.cookies.clear()
    page_login(client, "county")
    county_page = client.get("/programmes/county-targets", params={"year": year})
    assert county_page.status_code == 200
    assert f'name="{cell}"' not in county_page.text, "a county reads, never edits"
    assert "楚雄市" not in county_page.text.split("<table", 1)[1]
