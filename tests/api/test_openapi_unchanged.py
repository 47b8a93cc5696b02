"""The restructure moved schemas between modules; the API's document must not change
(component names come from class names, so a rename would show here)."""

from __future__ import annotations

import json
from pathlib import Path

from service.app import create_app
from service.settings import Settings
from tests.http_fixtures import TEST_SECRET

BEFORE = Path(__file__).with_name("openapi_v1_before_restructure.json")


def test_openapi_document_is_the_one_before_the_restructure(tmp_path: Path) -> None:
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{tmp_path / 'openapi.db'}",
        data_dir=tmp_path,
        secret_key=TEST_SECRET,
        warm_engine_on_start=False,
        engine_sync_seconds=0,
    )
    document = create_app(settings).openapi()
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    assert sorted(document["components"]["schemas"]) == sorted(before["components"]["schemas"])
    assert document == before
