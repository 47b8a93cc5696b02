"""Schemathesis generates requests from the OpenAPI schema; none may produce a 5xx.
Bounded so the suite stays quick; run as an admin so every route's code is reached."""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.http_fixtures import Login

EXAMPLES_PER_OPERATION = 10


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
