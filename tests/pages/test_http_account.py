"""The password page: a signed-in person changes their password; every earlier token
stops working at once."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import DEMO_PASSWORD


def test_the_password_page_changes_it(client: TestClient) -> None:
    client.get("/login")
    csrf = client.cookies["rencai_csrf"]
    form = {"username": "site2", "password": DEMO_PASSWORD, "csrf_token": csrf}
    client.post("/login", data=form, follow_redirects=False)
    old_cookie = client.cookies["rencai_session"]
    assert client.get("/account/password?lang=en").status_code == 200
    change = {
        "current_password": DEMO_PASSWORD,
        "new_password": "qiao-tou-zhen-2020",
        "confirm_password": "qiao-tou-zhen-2021",
        "csrf_token": csrf,
    }
    mismatch = client.post("/account/password?lang=en", data=change)
    assert mismatch.status_code == 422
    assert "The two new passwords differ" in mismatch.text
    done = client.post(
        "/account/password?lang=en", data=change | {"confirm_password": "qiao-tou-zhen-2020"}
    )
    assert done.status_code == 200
    assert "Your password has been changed" in done.text
    assert client.cookies["rencai_session"] != old_cookie
    old = {"authorization": f"Bearer {old_cookie}"}
    assert client.get("/api/v1/auth/me", headers=old).status_code == 401
    again = client.post(
        "/api/v1/auth/login", json={"username": "site2", "password": "qiao-tou-zhen-2020"}
    )
    assert again.status_code == 200
