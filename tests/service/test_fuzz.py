"""Schemathesis generates requests from the OpenAPI schema; none may produce a 5xx.
Bounded so the suite stays quick; run as an admin so every route's code is reached.

Two runs: one per operation (derandomised on CI through the ``ci`` Hypothesis profile, so
a red build is reproducible), and a stateful run that chains operations through the
links Schemathesis infers between them (a created user's id fed to the next call, ...)
with a fixed budget of scenarios and steps. Each 5xx either run has found is pinned by a
regression test below."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import schemathesis

# Imported (and assertion-rewritten) here, at collection, while one thread runs: loaded
# lazily during a run, its compile can meet a background engine thread's and trip
# CPython 3.11's "AST constructor recursion depth mismatch" (seen once on PostgreSQL).
import schemathesis.core.jsonschema.patterns
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import User
from tests.http_fixtures import Login

EXAMPLES_PER_OPERATION = 10
# The stateful budget: scenarios, and calls per scenario.
STATEFUL_SCENARIOS = 25
STATEFUL_STEPS = 6


def test_no_operation_answers_a_server_error(client: TestClient, login: Login) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15, "every API route is in the schema"
    headers: dict[str, str] = {}
    for operation in operations:
        # A fresh token per operation: fuzzing POST /auth/logout revokes the one before.
        headers.update(login("admin"))

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error])

        no_server_error()


def test_no_sequence_of_operations_answers_a_server_error(client: TestClient, login: Login) -> None:
    headers = login("admin")
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    machine = schema.as_state_machine()
    # The links the machine walks; without any the run would be the per-operation one.
    assert machine.bundles, "Schemathesis inferred links between operations"

    class AdminStateMachine(machine):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(self, response: Any, case: schemathesis.Case, **kwargs: Any) -> None:
            case.validate_response(response, checks=[not_a_server_error])

    AdminStateMachine.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )


# Regressions: each 5xx a fuzz run found, as the request that caused it.


@pytest.mark.parametrize(
    ("jurisdiction", "expected"), [("", "blank"), ("   ", "blank"), ("999999", "unknown")]
)
def test_a_coordinator_with_a_blank_or_unknown_jurisdiction_is_refused(
    client: TestClient, login: Login, jurisdiction: str, expected: str
) -> None:
    """Found by a random run: ``jurisdiction=""`` reached the foreign key and answered 500."""
    response = client.post(
        "/api/v1/users",
        headers=login("admin"),
        json={
            "username": "fuzz_coord",
            "password": "a-long-password",
            "role": "coordinator",
            "display_name": "x",
            "jurisdiction": jurisdiction,
        },
    )
    assert response.status_code == 422, response.text
    (field,) = response.json()["error"]["fields"]
    assert field["field"] == "jurisdiction"
    assert field["value"] == jurisdiction
    assert expected in field["message"]
    users = client.get("/api/v1/users", headers=login("admin"), params={"limit": 200}).json()
    assert "fuzz_coord" not in {u["username"] for u in users["items"]}


@pytest.mark.parametrize("county_code", ["", " ", "999999"])
def test_an_institution_or_pairing_with_a_blank_or_unknown_county_is_refused(
    client: TestClient, login: Login, county_code: str
) -> None:
    """Found by a longer random run: ``county_code=""`` on an institution (and on a
    pairing, the same check) reached the foreign key and answered 500."""
    admin = login("admin")
    institution = client.post(
        "/api/v1/institutions",
        headers=admin,
        json={"institution_type": "0", "name": "0", "county_code": county_code},
    )
    assert institution.status_code == 422, institution.text
    (field,) = institution.json()["error"]["fields"]
    assert (field["field"], field["value"]) == ("county_code", county_code)
    listed = client.get("/api/v1/institutions", headers=admin, params={"limit": 200}).json()
    assert "0" not in {i["name"] for i in listed["items"]}
    valid = client.post(
        "/api/v1/institutions", headers=admin, json={"institution_type": "0", "name": "1"}
    )
    assert valid.status_code == 201, valid.text
    pairing = client.post(
        "/api/v1/pairings",
        headers=admin,
        json={
            "institution_id": valid.json()["id"],
            "kind": "one_to_one",
            "county_code": county_code,
            "start_date": "2026-01-01",
        },
    )
    assert pairing.status_code == 422, pairing.text
    fields = {f["field"]: f.get("value") for f in pairing.json()["error"]["fields"]}
    assert fields.get("county_code") == county_code


@pytest.mark.parametrize("resource", ["institutions", "sites", "needs"])
def test_an_external_id_is_unique(
    client: TestClient, login: Login, session: Session, resource: str
) -> None:
    """Found by a longer random run (institutions; sites and needs share the check): a
    second record with the same ``external_id`` hit the unique index and answered 500."""
    admin = login("admin")
    site_id = session.scalars(select(User.site_id).where(User.username == "site1")).one()
    county = session.scalars(select(User.jurisdiction).where(User.username == "county")).one()
    start = date.today() + timedelta(days=20)
    body: dict[str, Any] = {
        "institutions": {"institution_type": "0", "name": "0"},
        "sites": {
            "name": "外部编号测试",
            "site_type": "township_health_center",
            "county_code": county,
            "lat": 24.69,
            "lon": 101.64,
        },
        "needs": {
            "site_id": site_id,
            "title": "外部编号测试",
            "description": "外部编号重复时应当返回冲突而不是服务器错误。",
            "skills": ["agri.extension"],
            "mode": "onsite_short",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=30)).isoformat(),
        },
    }[resource]
    body["external_id"] = "fuzz-0"
    first = client.post(f"/api/v1/{resource}", headers=admin, json=body)
    assert first.status_code == 201, first.text
    again = client.post(f"/api/v1/{resource}", headers=admin, json=body)
    assert again.status_code == 409, again.text
    (field,) = again.json()["error"]["fields"]
    assert (field["field"], field["value"]) == ("external_id", "fuzz-0")


def test_a_talent_keeps_at_least_one_service_mode(client: TestClient, login: Login) -> None:
    """Found by a longer random run: ``PATCH /talents/{id}`` with ``modes: []`` was
    accepted, and the next batch run answered 500 when the matcher met the profile."""
    admin = login("admin")
    talent_id = client.get("/api/v1/talents", headers=admin).json()["items"][0]["id"]
    response = client.patch(f"/api/v1/talents/{talent_id}", headers=admin, json={"modes": []})
    assert response.status_code == 422, response.text
    assert "modes" in {f["field"] for f in response.json()["error"]["fields"]}
    assert client.get(f"/api/v1/talents/{talent_id}", headers=admin).json()["modes"]
    run = client.post("/api/v1/runs", headers=admin, json={"dry_run": True})
    assert run.status_code == 201, run.text


def test_every_answer_conforms_to_its_declared_schema(client: TestClient, login: Login) -> None:
    """Issue 17: each answer's status is declared, its content type is declared, and its
    body validates against the declared schema (errors against ErrorResponse)."""
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    ]
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    failures: list[str] = []
    headers: dict[str, str] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        headers.update(login("admin"))

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=checks)
            except (AssertionError, BaseExceptionGroup) as failure:
                failures.append(f"{case.operation.label}: {failure}"[:2000])

        conforms()
    assert not failures, "\n\n".join(failures[:10])
