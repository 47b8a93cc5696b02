"""The conventions of service/api/contract.py, on the app's own document and answers."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from benchmarks.api_contract_counts import counts
from service.api.contract import if_match_version, resource_kind
from service.errors import AppError
from tests.http_fixtures import Login
from tests.service.helpers import first_candidate, post_need, talent_user

ALWAYS = {"401", "403", "404", "422", "429"}


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "responses" in op
    ]


def test_every_operation_declares_its_errors_in_the_one_shape(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["info"]["title"].isascii() and "人才对接" in document["info"]["description"]
    text = json.dumps(document)
    assert "HTTPValidationError" not in text and '"ValidationError"' not in text
    for path, method, op in _operations(document):
        declared = set(op["responses"])
        assert declared >= ALWAYS, f"{method} {path} declares {sorted(declared)}"
        if method in {"post", "patch", "put"}:
            assert {"409", "413", "503"} <= declared, f"{method} {path}"
        for status, response in op["responses"].items():
            if status[0] in "45":
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (path, status)
        assert op["tags"], f"{method} {path} has a tag"
    assert counts(document)["free_form_operations"] == 0


def test_operation_ids_are_the_route_names(client: TestClient) -> None:
    ids = [op["operationId"] for _, _, op in _operations(client.get("/openapi.json").json())]
    assert len(ids) == len(set(ids))
    for expected in ("list_needs", "get_need_candidates", "approve_match", "record_interest"):
        assert expected in ids
    assert all(op_id.isidentifier() and "api_v1" not in op_id for op_id in ids)


def test_versioned_writes_take_if_match_and_declare_412(client: TestClient) -> None:
    approve = client.get("/openapi.json").json()["paths"]["/api/v1/matches/{match_id}/approve"]
    op = approve["post"]
    assert "412" in op["responses"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in op["parameters"])
    assert "ETag" in op["responses"]["200"]["headers"]


def test_a_match_carries_its_etag_and_a_stale_if_match_answers_412(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    proposed = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": talent_id}, headers=site
    )
    match = proposed.json()
    tag = f'W/"match-{match["id"]}-v{match["version"]}"'
    assert proposed.headers["etag"] == tag
    read = client.get(f"/api/v1/matches/{match['id']}", headers=site)
    assert read.headers["etag"] == tag
    assert "etag" not in client.get("/api/v1/matches", headers=site).headers, "lists carry none"

    talent = login(talent_user(session, talent_id))
    moved = client.post(
        f"/api/v1/matches/{match['id']}/interest", headers={**talent, "If-Match": tag}
    )
    assert moved.status_code == 200, moved.text
    assert moved.headers["etag"] != tag
    stale = client.post(f"/api/v1/matches/{match['id']}/accept", headers={**site, "If-Match": tag})
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "precondition_failed"
    assert stale.json()["error"]["fields"][0]["field"] == "If-Match"
    # The body's version keeps answering 409.
    old = client.post(
        f"/api/v1/matches/{match['id']}/accept", json={"version": match["version"]}, headers=site
    )
    assert old.status_code == 409 and old.json()["error"]["code"] == "conflict"
    other = f'W/"need-{match["id"]}-v{moved.json()["version"]}"'
    wrong_kind = client.post(
        f"/api/v1/matches/{match['id']}/accept", headers={**site, "If-Match": other}
    )
    assert wrong_kind.status_code == 412
    fresh = client.post(
        f"/api/v1/matches/{match['id']}/accept", headers={**site, "If-Match": moved.headers["etag"]}
    )
    assert fresh.status_code == 200 and fresh.json()["status"] == "accepted"


def test_if_match_parsing() -> None:
    assert if_match_version(None, "match", 3) is None
    assert if_match_version('W/"match-3-v7"', "match", 3) == 7
    assert if_match_version('"match-3-v7"', "match", 3) == 7
    assert if_match_version("*", "match", 3) is None
    for bad in ('W/"match-4-v7"', "W/*", "match-3-v7", 'W/"need-3-v7"'):
        try:
            if_match_version(bad, "match", 3)
        except AppError as error:
            assert error.status == 412 and error.code == "precondition_failed"
        else:
            raise AssertionError(f"{bad!r} was accepted")


def test_resource_kind_from_the_path() -> None:
    assert resource_kind("/api/v1/matches/12/approve") == "match"
    assert resource_kind("/api/v1/needs/4") == "need"
    assert resource_kind("/api/v1/entries/4") == "entry"
    assert resource_kind("/api/v1/deletion-requests/2/complete") == "deletion_request"
