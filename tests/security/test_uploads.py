"""Uploads: login, role, CSRF and size are checked on the request's headers before any
of the body is read, so nothing reaches the temporary directory unless an admin sends a
file within the limit; spooled files are closed (and so gone) after the request.

The audit's attack: an anonymous 300 MB multipart POST to /admin/import wrote 252 MB to
the temporary directory before the 403. Here 24 MB shows the same (the form parser
spools anything over 1 MB to disk), without loading a shared machine."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from tests.conftest import DEMO_PASSWORD
from tests.http_fixtures import Login
from tests.security.web_fixtures import (
    MakeClient,
    page_login,
    watch_temp_dir,
)

BIG = 24 * 1024 * 1024
SMALL_LIMIT = 256 * 1024
TALENTS_CSV = (
    "编号(external_id),姓名(name),类别(category)\nT-UPLOAD-1,张三,agri_expert\n"
).encode()


def _multipart(size: int) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("talents.csv", b"a" * size, "text/csv")}


def test_anonymous_large_upload_is_refused_before_the_body_is_read(
    client: TestClient, tmp_path: Path
) -> None:
    with watch_temp_dir(tmp_path) as usage:
        response = client.post(
            "/admin/import",
            data={"kind": "talents", "csrf_token": "whatever"},
            files=_multipart(BIG),
            follow_redirects=False,
        )
    # Like every other page, the upload page sends an anonymous caller to log in.
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    assert usage.samples > 0
    assert usage.peak_bytes == 0, f"{usage.peak_bytes} bytes spooled for an anonymous upload"
    # A browser too, still without reading the body.
    with watch_temp_dir(tmp_path) as usage:
        browser = client.post(
            "/admin/import",
            files=_multipart(BIG),
            headers={"accept": "text/html"},
            follow_redirects=False,
        )
    assert browser.status_code == 303
    assert browser.headers["location"].startswith("/login?next=")
    assert usage.peak_bytes == 0


def test_signed_in_non_admin_upload_is_refused_before_the_body_is_read(
    client: TestClient, login: Login, tmp_path: Path
) -> None:
    # Any path the general body limit leaves to the upload gate is gated.
    for path in ("/admin/import", "/admin/import/", "/admin/importer"):
        with watch_temp_dir(tmp_path) as usage:
            response = client.post(
                path, files=_multipart(BIG), headers=login("site1"), data={"kind": "talents"}
            )
        assert response.status_code == 403, path
        assert usage.peak_bytes == 0, path


def _bearer(client: TestClient, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


def test_admin_upload_over_the_limit_gets_413_unread(
    make_client: MakeClient, tmp_path: Path
) -> None:
    small = make_client(max_upload_bytes=SMALL_LIMIT)
    headers = _bearer(small, "admin")
    with watch_temp_dir(tmp_path) as usage:
        response = small.post(
            "/admin/import",
            files=_multipart(4 * 1024 * 1024),
            data={"kind": "talents"},
            headers=headers,
        )
    assert response.status_code == 413
    body = response.json()["error"]
    assert body["code"] == "payload_too_large"
    assert body["fields"][0]["field"] == "file"
    assert str(SMALL_LIMIT) in body["message"]
    assert usage.peak_bytes == 0


def test_streamed_upload_without_a_length_is_counted_and_cut_off(
    make_client: MakeClient, tmp_path: Path
) -> None:
    small = make_client(max_upload_bytes=SMALL_LIMIT)
    headers = _bearer(small, "admin")
    boundary = "rencaiboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ntalents\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        'filename="t.csv"\r\nContent-Type: text/csv\r\n\r\n'
    ).encode()

    def chunks():  # a generator body goes out chunked, with no Content-Length
        yield head
        for _ in range(64):
            yield b"a" * (64 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    with watch_temp_dir(tmp_path) as usage:
        response = small.post(
            "/admin/import",
            content=chunks(),
            headers={**headers, "content-type": f"multipart/form-data; boundary={boundary}"},
        )
    assert response.status_code == 413
    assert usage.peak_bytes == 0


def test_cookie_signed_upload_without_the_csrf_token_is_refused_unread(
    client: TestClient, tmp_path: Path
) -> None:
    token = page_login(client, "admin")
    with watch_temp_dir(tmp_path) as usage:
        # A cross-site form can post the cookie and even a csrf_token field it made up,
        # but it cannot put our token in the address or a header.
        response = client.post(
            "/admin/import",
            data={"kind": "talents", "csrf_token": token},
            files=_multipart(BIG),
        )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert usage.peak_bytes == 0


def test_admin_import_page_round_trip_spools_and_cleans_up(
    client: TestClient, tmp_path: Path
) -> None:
    page_login(client, "admin")
    page = client.get("/admin/import")
    action = re.search(r'action="(/admin/import\?csrf_token=[^"]+)"', page.text)
    assert action, "the import form posts its CSRF token in the address"
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    # Over the parser's 1 MB in-memory spool, so the file really goes to disk.
    padding = b"\n" * (2 * 1024 * 1024)
    with watch_temp_dir(tmp_path) as usage:
        response = client.post(
            action.group(1).replace("&amp;", "&"),
            data={"kind": "talents", "csrf_token": token.group(1), "dry_run": "1"},
            files={"file": ("talents.csv", TALENTS_CSV + padding, "text/csv")},
            headers={"accept": "text/html"},
        )
    assert response.status_code in (200, 422), response.text[:500]
    assert "import-result" in response.text
    assert usage.peak_bytes > 1024 * 1024, "the upload was spooled to the watched directory"
    assert usage.open_at_end == 0, "spooled upload files are closed after the request"
    assert usage.files_at_end == []


def test_no_other_route_accepts_a_multipart_body(
    client: TestClient, login: Login, tmp_path: Path
) -> None:
    with watch_temp_dir(tmp_path) as usage:
        for path in ("/api/v1/needs", "/needs/new", "/login", "/admin/users"):
            response = client.post(path, files=_multipart(1536 * 1024), headers=login("admin"))
            assert response.status_code == 415, path
            assert response.json()["error"]["code"] == "unsupported_media_type"
    assert usage.peak_bytes == 0
