"""Every page the app serves has HTTP tests: the HTML routes (everything outside /api/ and
the framework's own /docs, /redoc, /openapi.json and /static) are read from the app itself
and compared with the pages these modules test. A new page fails here until it has its
tests and its line below."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.testclient import TestClient

# (method, path) → the module that tests it.
TESTED: dict[tuple[str, str], str] = {
    ("GET", "/"): "test_http_public",
    ("GET", "/programmes"): "test_http_public",
    ("GET", "/login"): "test_http_public",
    ("POST", "/login"): "test_http_public",
    ("POST", "/logout"): "test_http_public",
    ("GET", "/needs"): "test_http_needs",
    ("GET", "/needs/new"): "test_http_needs",
    ("POST", "/needs/new"): "test_http_needs",
    ("GET", "/needs/{need_id}"): "test_http_needs",
    ("GET", "/needs/{need_id}/edit"): "test_http_needs",
    ("POST", "/needs/{need_id}/edit"): "test_http_needs",
    ("GET", "/needs/{need_id}/why-not"): "test_http_needs",
    ("GET", "/needs/{need_id}/talent-names"): "test_http_browse",
    ("POST", "/needs/{need_id}/propose"): "test_http_needs",
    ("POST", "/needs/{need_id}/decline"): "test_http_needs",
    ("GET", "/matches"): "test_http_matches",
    ("GET", "/matches/{match_id}"): "test_http_matches",
    ("POST", "/matches/{match_id}/action"): "test_http_matches",
    ("POST", "/matches/{match_id}/records"): "test_http_matches",
    ("GET", "/profile"): "test_http_talents",
    ("POST", "/profile"): "test_http_talents",
    ("GET", "/suggestions"): "test_http_talents",
    ("POST", "/suggestions/{need_id}/interest"): "test_http_talents",
    ("GET", "/talents/{talent_id}"): "test_http_person_page",
    ("GET", "/help/reasons"): "test_http_person_page",
    ("GET", "/queue"): "test_http_queue",
    ("POST", "/queue"): "test_http_queue",
    ("GET", "/runs"): "test_http_runs",
    ("POST", "/runs"): "test_http_runs",
    ("GET", "/runs/{run_id}"): "test_http_runs",
    ("POST", "/runs/{run_id}/confirm"): "test_http_runs",
    ("POST", "/runs/{run_id}/cancel"): "test_http_runs",
    ("GET", "/progress"): "test_http_reports",
    ("GET", "/map"): "test_http_reports",
    ("GET", "/exports"): "test_http_reports",
    ("GET", "/exports/{kind}.{fmt}"): "test_http_reports",
    ("GET", "/admin/users"): "test_http_admin",
    ("POST", "/admin/users"): "test_http_admin",
    ("GET", "/admin/users/{user_id}"): "test_http_users",
    ("POST", "/admin/users/{user_id}"): "test_http_users",
    ("POST", "/admin/users/{user_id}/active"): "test_http_users",
    ("POST", "/admin/users/{user_id}/reset-password"): "test_http_users",
    ("GET", "/admin/import/templates/{name}"): "test_http_admin",
    ("GET", "/admin/reference"): "test_http_admin",
    ("GET", "/admin/import"): "test_http_admin",
    ("POST", "/admin/import"): "test_http_admin",
    ("GET", "/privacy"): "test_http_privacy",
    ("POST", "/privacy/deletion-request"): "test_http_privacy",
    ("GET", "/admin/privacy"): "test_http_privacy",
    ("POST", "/admin/privacy/{request_id}/complete"): "test_http_privacy",
    ("GET", "/account/password"): "test_http_account",
    ("POST", "/account/password"): "test_http_account",
    ("GET", "/entries"): "test_http_entries",
    ("POST", "/entries/new"): "test_http_entries",
    ("GET", "/entries/review"): "test_http_entries",
    ("GET", "/entries/{entry_id}"): "test_http_entries",
    ("GET", "/entries/{entry_id}/evidence"): "test_http_entries",
    ("POST", "/entries/{entry_id}/evidence"): "test_http_entries",
    ("POST", "/entries/{entry_id}/approve"): "test_http_entries",
    ("POST", "/entries/{entry_id}/return"): "test_http_entries",
    ("POST", "/entries/{entry_id}/resubmit"): "test_http_entries",
    ("POST", "/entries/{entry_id}/reverse"): "test_http_entries",
    ("POST", "/matches/{match_id}/messages"): "test_http_messages",
    ("POST", "/needs/{need_id}/record-interest"): "test_http_messages",
    ("GET", "/notifications"): "test_http_notifications",
    ("POST", "/notifications/{notification_id}/read"): "test_http_notifications",
    ("POST", "/notifications/read-all"): "test_http_notifications",
    ("POST", "/notifications/preferences"): "test_http_notifications",
    ("GET", "/admin/notifications"): "test_http_notifications",
    ("POST", "/admin/notifications/{delivery_id}/retry"): "test_http_notifications",
    ("GET", "/registers"): "test_http_ledger",
    ("POST", "/registers"): "test_http_ledger",
    ("POST", "/registers/{register_id}/approve"): "test_http_ledger",
    ("POST", "/registers/{register_id}/return"): "test_http_ledger",
    ("GET", "/trainings"): "test_http_ledger",
    ("POST", "/trainings"): "test_http_ledger",
    ("POST", "/trainings/confirm-people-trained"): "test_http_ledger",
    ("POST", "/trainings/{training_id}/approve"): "test_http_ledger",
    ("POST", "/trainings/{training_id}/return"): "test_http_ledger",
    ("GET", "/recruitments"): "test_http_people",
    ("POST", "/recruitments"): "test_http_people",
    ("GET", "/recruitments/{recruitment_id}"): "test_http_people",
    ("POST", "/recruitments/{recruitment_id}/approve"): "test_http_people",
    ("POST", "/recruitments/{recruitment_id}/return"): "test_http_people",
    ("POST", "/recruitments/{recruitment_id}/leave"): "test_http_people",
    ("GET", "/staffing"): "test_http_people",
    ("POST", "/staffing"): "test_http_people",
    ("GET", "/staffing/{pool_id}"): "test_http_people",
    ("POST", "/staffing/{pool_id}/movements"): "test_http_people",
    ("GET", "/rotations"): "test_http_people",
    ("POST", "/rotations"): "test_http_people",
    ("GET", "/service-ledger"): "test_http_people",
    ("GET", "/people/{talent_id}/ledger"): "test_http_people",
    ("POST", "/people/{talent_id}/ledger/review"): "test_http_people",
    ("POST", "/people/{talent_id}/ledger/facts"): "test_http_people",
    ("GET", "/programmes/county-targets"): "test_http_county_targets",
    ("POST", "/programmes/county-targets"): "test_http_county_targets",
    ("POST", "/programmes/county-targets/import"): "test_http_county_targets",
}
FRAMEWORK = ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc")


def _routes(routes: Iterable[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route, through included routers (FastAPI keeps either the
    routes themselves or a wrapper pointing at the included router)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _routes(included.routes, prefix + route.include_context.prefix)
            continue
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                yield method, prefix + route.path


def test_every_page_has_http_tests(client: TestClient) -> None:
    served = {
        (method, path)
        for method, path in _routes(client.app.router.routes)  # type: ignore[attr-defined]
        if not path.startswith(("/api/", "/static")) and path not in FRAMEWORK
    }
    assert len(served) >= 30, "the page routes were found"
    untested = sorted(served - TESTED.keys())
    assert not untested, f"pages without HTTP tests in tests/pages/: {untested}"
    gone = sorted(TESTED.keys() - served)
    assert not gone, f"tested pages the app no longer serves: {gone}"
