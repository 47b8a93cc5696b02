"""The admin pages by URL: users and roles, the reference data, and spreadsheet imports.
Only the admin opens them; every refused form leaves the database as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import County, Site, User
from tests.conftest import REPO
from tests.pages.conftest import WebFactory
from tests.pages.web import ROLES, redirect_target, row_counts

ADMIN_PAGES = ("/admin/users", "/admin/reference", "/admin/import")
SITES_CSV = REPO / "seed" / "templates" / "sites.csv"


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_admin_opens_the_admin_pages(
    web: WebFactory, session: Session, role: str, path: str
) -> None:
    response = web(role).get(path)
    if role != "admin":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    if path == "/admin/users":
        for username in ROLES:
            assert f'<td translate="no">{username}</td>' in response.text
    elif path == "/admin/reference":
        for name in session.scalars(select(County.name)):
            assert name in response.text
    else:
        assert 'type="file"' in response.text and 'value="sites"' in response.text


def test_the_user_list_searches(web: WebFactory) -> None:
    response = web("admin").get("/admin/users", q="site")
    assert response.status_code == 200
    assert '<td translate="no">site1</td>' in response.text and ">talent1</td>" not in response.text


def _user(session: Session, username: str) -> User | None:
    session.expire_all()
    return session.scalars(select(User).where(User.username == username)).one_or_none()


USER_FORM = {
    "username": "page_coord",
    "display_name": "页面测试协调员",
    "password": "a-long-password-1",
    "role": "coordinator",
}


def test_creating_a_user_redirects_to_the_list(web: WebFactory, session: Session) -> None:
    county = session.scalars(select(County.code).order_by(County.code)).first()
    assert county is not None
    browser = web("admin")
    response = browser.post("/admin/users", {**USER_FORM, "jurisdiction": county})
    user = _user(session, "page_coord")
    assert user is not None and user.role == "coordinator" and user.jurisdiction == county
    assert redirect_target(response) == f"/admin/users?done=created&user={user.id}"
    listed = browser.get(redirect_target(response)).text
    assert '<td translate="no">page_coord</td>' in listed
    said = re.sub(r"<[^>]+>", "", listed)
    assert "已创建用户 页面测试协调员（用户名 page_coord）" in said  # the success message
    assert '（用户名 <span translate="no">page_coord</span>）' in listed, "typed as it is"
    # The new account signs in through the login form.
    newcomer = web(None)
    newcomer.sign_in("page_coord", USER_FORM["password"])
    assert newcomer.get("/queue").status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"jurisdiction": "999999"}, "jurisdiction"),  # no such county
        ({"password": "short"}, "password"),
        ({"username": ""}, "username"),
        ({"role": "site_staff", "site_id": "abc"}, "site_id"),
        ({"role": "wizard"}, "role"),
    ],
)
def test_an_invalid_user_is_shown_again_with_the_field_named(
    web: WebFactory, session: Session, changes: dict[str, str], field: str
) -> None:
    before = row_counts(session)
    response = web("admin").post("/admin/users", {**USER_FORM, **changes})
    assert response.status_code == 422
    assert f'id="err-{field}"' in response.text  # the message sits at the field
    assert row_counts(session) == before


def test_a_taken_username_is_refused(web: WebFactory, session: Session) -> None:
    before = row_counts(session)
    response = web("admin").post("/admin/users", {**USER_FORM, "username": "zhou"})
    assert response.status_code == 422
    assert row_counts(session) == before


@pytest.mark.parametrize("role", ["zhou", "county", "site1", "talent1"])
def test_only_the_admin_creates_users(web: WebFactory, session: Session, role: str) -> None:
    before = row_counts(session)
    assert web(role).post("/admin/users", USER_FORM).status_code == 403
    assert _user(session, "page_coord") is None
    assert row_counts(session) == before


def _site_count(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Site)) or 0


def _upload(path: Path) -> dict[str, tuple[str, bytes, str]]:
    return {"file": (path.name, path.read_bytes(), "text/csv")}


def test_a_dry_run_import_reports_and_writes_nothing(web: WebFactory, session: Session) -> None:
    before = row_counts(session)
    response = web("admin").post(
        "/admin/import", {"kind": "sites", "dry_run": "1"}, files=_upload(SITES_CSV)
    )
    assert response.status_code == 200, response.text[-2000:]
    assert 'data-test="import-result"' in response.text
    assert row_counts(session) == before


def test_an_import_writes_the_rows(web: WebFactory, session: Session) -> None:
    before = _site_count(session)
    response = web("admin").post("/admin/import", {"kind": "sites"}, files=_upload(SITES_CSV))
    assert response.status_code == 200, response.text[-2000:]
    assert 'data-test="import-result"' in response.text
    assert _site_count(session) > before
    names = {line.split(",")[1] for line in SITES_CSV.read_text("utf-8-sig").splitlines()[1:]}
    stored = set(session.scalars(select(Site.name).where(Site.name.in_(names))))
    assert stored == names
    from models import AuditEvent

    admin = session.scalars(select(User.id).where(User.username == "admin")).one()
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "import").order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None and event.entity == "sites" and event.actor_id == admin


def test_an_import_without_kind_or_file_names_them(web: WebFactory, session: Session) -> None:
    before = row_counts(session)
    response = web("admin").post("/admin/import", {"kind": ""})
    assert response.status_code == 422
    assert 'data-test="import-result"' not in response.text
    assert row_counts(session) == before


@pytest.mark.parametrize("role", ["zhou", "site1", "talent1"])
def test_only_the_admin_imports(web: WebFactory, session: Session, role: str) -> None:
    before = row_counts(session)
    response = web(role).post("/admin/import", {"kind": "sites"}, files=_upload(SITES_CSV))
    assert response.status_code == 403
    assert row_counts(session) == before


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_admin_forms_refuse_a_missing_or_wrong_csrf_token(
    web: WebFactory, session: Session, token: str | None
) -> None:
    browser = web("admin")
    before = row_counts(session)
    assert browser.post("/admin/users", USER_FORM, csrf=token).status_code == 403
    imported = browser.post(
        "/admin/import", {"kind": "sites"}, files=_upload(SITES_CSV), csrf=token
    )
    assert imported.status_code == 403
    assert row_counts(session) == before


@pytest.mark.parametrize("kind", ["sites", "needs", "talents"])
def test_the_import_page_offers_each_template(web: WebFactory, kind: str) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from service.usecases.imports import COLUMNS, match_header

    def readable(headers: list[str]) -> bool:
        return all(match_header(h, COLUMNS[kind]) is not None for h in headers)

    browser = web("admin")
    page = browser.get("/admin/import").text
    assert f'href="/admin/import/templates/{kind}.xlsx"' in page
    assert f'href="/admin/import/templates/{kind}.csv"' in page
    csv = browser.get(f"/admin/import/templates/{kind}.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert readable(csv.content.decode("utf-8-sig").splitlines()[0].split(","))
    xlsx = browser.get(f"/admin/import/templates/{kind}.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(BytesIO(xlsx.content), read_only=True).worksheets[0]
    first = next(sheet.iter_rows(values_only=True))
    assert readable([str(h) for h in first])
    assert web("zhou").get(f"/admin/import/templates/{kind}.csv").status_code == 403


@pytest.mark.parametrize("name", ["users.csv", "sites.pdf", "sites", "..%2Fpasswd.csv"])
def test_an_unknown_template_is_404(web: WebFactory, name: str) -> None:
    assert web("admin").get(f"/admin/import/templates/{name}").status_code == 404


def _failed_import_items(page: str) -> list[str]:
    """The ids of the items in the admins' "导入失败" to-do section of the home page."""
    import re

    section = page.split('data-section="admin.failed_import"', 1)
    if len(section) == 1:
        return []
    return re.findall(r'data-entity="import" data-id="(\d+)"', section[1].split("</ul>", 1)[0])


def test_a_failed_import_waits_in_the_admins_to_do_until_one_of_its_kind_succeeds(
    web: WebFactory, session: Session
) -> None:
    from models import AuditEvent

    admin = web("admin")
    bad = {"file": ("sites-broken.csv", "名称(name)\n只有名称\n".encode(), "text/csv")}
    before_sites = _site_count(session)
    refused = admin.post("/admin/import", {"kind": "sites"}, files=bad)
    assert refused.status_code == 422
    assert _site_count(session) == before_sites, "a refused import writes no row"
    session.expire_all()
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "import.failed")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None and event.entity == "sites" and event.after is not None
    assert event.after["file"] == "sites-broken.csv" and event.after["errors"] >= 1

    home = admin.get("/").text
    assert str(event.id) in _failed_import_items(home)
    assert "导入失败" in home and "sites-broken.csv" in home
    assert admin.get("/admin/import").status_code == 200  # where the item leads
    assert str(event.id) not in _failed_import_items(web("zhou").get("/").text)

    # A dry run does not settle it; a real import of the same kind does.
    admin.post("/admin/import", {"kind": "sites", "dry_run": "1"}, files=_upload(SITES_CSV))
    assert str(event.id) in _failed_import_items(admin.get("/").text)
    assert (
        admin.post("/admin/import", {"kind": "sites"}, files=_upload(SITES_CSV)).status_code == 200
    )
    assert str(event.id) not in _failed_import_items(admin.get("/").text)
