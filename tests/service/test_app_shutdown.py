"""When an app stops, the matching engine it made stops keeping in step (its thread
would otherwise poll a database that may be gone); an engine it was given is the
giver's, and keeps running."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.app import create_app
from service.engine import MatchingEngine
from service.settings import Settings


def test_an_app_stops_the_engine_it_made(app_settings: Settings) -> None:
    app = create_app(app_settings.model_copy(update={"engine_sync_seconds": 60}))
    engine: MatchingEngine = app.state.engine
    with TestClient(app):
        assert engine._ensure_syncer(), "the engine keeps in step on a thread of its own"
        syncer = engine._syncer
        assert syncer is not None and syncer.is_alive()
    assert not syncer.is_alive()
    assert engine._syncer is None and not engine._ensure_syncer()


def test_an_app_leaves_a_given_engine_running(app_settings: Settings) -> None:
    engine = MatchingEngine(app_settings.model_copy(update={"engine_sync_seconds": 60}))
    app = create_app(app_settings, engine=engine)
    with TestClient(app):
        assert engine._ensure_syncer()
    assert engine._syncer is not None and engine._syncer.is_alive()
    engine.close()
