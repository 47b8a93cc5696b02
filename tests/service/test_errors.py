"""One error shape everywhere, the right statuses, and no traceback ever reaches a user."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.http_fixtures import Login
from tests.service.helpers import need_body


def test_validation_errors_name_each_field(client: TestClient, login: Login) -> None:
    body = need_body(title=" ", mode="by_pigeon", headcount=0)
    body["end_date"] = "2001-01-01"
    response = client.post("/api/v1/needs", json=body, headers=login("site1"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    fields = {f["field"] for f in error["fields"]}
    assert {"title", "mode", "headcount", "end_date"} <= fields
    assert all(f["message"] for f in error["fields"])
    # Vocabulary checks need the database, so they follow the shape checks.
    unknown = client.post(
        "/api/v1/needs", json=need_body(skills=["not.a.skill"]), headers=login("site1")
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["fields"] == [
        {"field": "skills", "message": "unknown skill 'not.a.skill'"}
    ]


def test_malformed_json_is_a_422_not_a_500(client: TestClient, login: Login) -> None:
    response = client.post(
        "/api/v1/needs",
        content=b"{not json",
        headers={**login("site1"), "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "error" in response.json()


def test_oversized_body_is_413(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login",
        content=b"x" * (3 * 1024 * 1024),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_unknown_route_and_method(client: TestClient) -> None:
    assert client.get("/api/v1/nowhere").json()["error"]["code"] == "not_found"
    response = client.delete("/api/v1/programmes")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_server_error_is_logged_and_hidden(
    client: TestClient, login: Login, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    from service.usecases import needs

    def explode(**_: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(needs, "list_", explode)
    response = client.get("/api/v1/needs", headers=login("site1"))
    assert response.status_code == 500
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert response.json()["error"]["code"] == "internal_error"
    assert "secret internals" in caplog.text


def test_pages_get_a_friendly_error_in_the_users_language(client: TestClient) -> None:
    zh = client.get("/programmes/nowhere", headers={"accept": "text/html"})
    assert zh.status_code == 404
    assert "出错了" in zh.text
    en = client.get("/programmes/nowhere?lang=en", headers={"accept": "text/html"})
    assert "Something went wrong" in en.text


def test_nul_characters_are_refused_with_the_parameter_named(
    client: TestClient, login: Login
) -> None:
    """Found by the fuzzer on PostgreSQL, which cannot store NUL in text."""
    response = client.get("/api/v1/programmes/progress.csv?county=%00", headers=login("zhou"))
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "county", "message": "contains a NUL character"}
    ]
    body = need_body(title="核桃\u0000技术")
    posted = client.post("/api/v1/needs", json=body, headers=login("site1"))
    assert posted.status_code in (201, 422)
    assert posted.status_code != 500
