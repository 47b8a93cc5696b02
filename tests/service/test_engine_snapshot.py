"""The engine keeps in step in the background; queries read one published snapshot.

A small population in its own SQLite file (sessions bound to an Engine, as the server
has them), the real encoder and FAISS."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from models import Talent
from service.engine import MatchingEngine, track_changes
from service.profiles import need_profiles
from service.settings import Settings
from tests.conftest import DEMO_TODAY
from tests.http_fixtures import TEST_SECRET


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from models.migrate import upgrade
    from seed.demo import generate_population, reference_from_seed
    from seed.load import load_reference
    from seed.load_demo import load_population

    folder = tmp_path_factory.mktemp("snapshot")
    url = f"sqlite:///{folder / 'rencai.db'}"
    upgrade(url)
    engine = create_engine(url)
    with Session(engine) as session:
        load_reference(session=session)
        population = generate_population(
            n_sites=8, n_talents=80, seed=11, reference=reference_from_seed()
        )
        load_population(population, session=session)
        session.commit()
    engine.dispose()
    yield folder


def _settings(folder: Path, sync_seconds: float) -> Settings:
    return Settings(
        environment="test",
        database_url=f"sqlite:///{folder / 'rencai.db'}",
        data_dir=folder,
        secret_key=TEST_SECRET,
        warm_engine_on_start=False,
        engine_sync_seconds=sync_seconds,
        today=DEMO_TODAY,
    )


def _engine(folder: Path, sync_seconds: float) -> tuple[MatchingEngine, sessionmaker[Session]]:
    settings = _settings(folder, sync_seconds)
    sessions = sessionmaker(bind=create_engine(settings.resolved_database_url))
    engine = MatchingEngine(settings)
    track_changes(sessions, engine)
    return engine, sessions


def _top_ids(engine: MatchingEngine, sessions: sessionmaker[Session], need: object) -> list[int]:
    with sessions() as session:
        return [r.talent_id for r in engine.recommend_talents(session, need, k=5)]  # type: ignore[arg-type]


def _a_need(sessions: sessionmaker[Session]) -> object:
    with sessions() as session:
        return need_profiles(session)[0]


def _deactivate(sessions: sessionmaker[Session], talent_id: int) -> None:
    with sessions() as session:
        talent = session.get(Talent, talent_id)
        assert talent is not None and talent.active
        talent.active = False
        session.commit()


def test_a_commit_in_this_process_shows_in_the_next_query(db_file: Path) -> None:
    engine, sessions = _engine(db_file, sync_seconds=3600)
    try:
        need = _a_need(sessions)
        before = _top_ids(engine, sessions, need)
        generation = engine.generation
        _deactivate(sessions, before[0])
        after = _top_ids(engine, sessions, need)
        assert before[0] not in after
        # The background thread published it: the query only read the new snapshot.
        assert engine.generation == generation + 1
        assert engine._syncer is not None and engine._syncer.is_alive()
    finally:
        engine.close()


def test_another_process_change_shows_within_the_interval(db_file: Path) -> None:
    engine, sessions = _engine(db_file, sync_seconds=0.5)
    # The other process: its own connection pool, no commit hook into this engine.
    other = sessionmaker(bind=create_engine(_settings(db_file, 0.5).resolved_database_url))
    try:
        need = _a_need(sessions)
        before = _top_ids(engine, sessions, need)
        _deactivate(other, before[0])
        started = time.monotonic()
        seen_at = None
        while time.monotonic() - started < 5:
            t0 = time.monotonic()
            now = _top_ids(engine, sessions, need)
            # A query never waits for another process's change: it reads what is published.
            assert time.monotonic() - t0 < 0.4
            if before[0] not in now:
                seen_at = time.monotonic() - started
                break
            time.sleep(0.05)
        assert seen_at is not None and seen_at <= 0.5 + 1.0, seen_at
    finally:
        engine.close()


def test_a_query_sees_the_old_or_the_new_snapshot_never_a_mix(db_file: Path) -> None:
    engine, sessions = _engine(db_file, sync_seconds=3600)
    try:
        need = _a_need(sessions)
        old_answer = _top_ids(engine, sessions, need)
        old_snapshot = engine._snapshot
        assert old_snapshot is not None
        answers: list[list[int]] = []
        stop = threading.Event()

        def keep_asking() -> None:
            while not stop.is_set():
                snapshot = engine._snapshot
                assert snapshot is not None
                ranked = snapshot.matcher.recommend_talents(need, 5)
                answers.append([r.talent_id for r in ranked])

        reader = threading.Thread(target=keep_asking)
        reader.start()
        try:
            _deactivate(sessions, old_answer[0])
            new_answer = _top_ids(engine, sessions, need)
            time.sleep(0.2)
        finally:
            stop.set()
            reader.join()
        assert new_answer != old_answer
        assert answers and all(a in (old_answer, new_answer) for a in answers)
        # The old snapshot itself never changed under its readers.
        again = [r.talent_id for r in old_snapshot.matcher.recommend_talents(need, 5)]
        assert again == old_answer
        with sessions() as session:
            assert session.scalar(select(Talent.active).where(Talent.id == old_answer[0])) is False
    finally:
        engine.close()


def test_a_new_process_starts_from_the_saved_state_and_catches_up(db_file: Path) -> None:
    first, sessions = _engine(db_file, sync_seconds=3600)
    need = _a_need(sessions)
    with sessions() as session:
        first.fit(session)  # fitted and saved
    first.close()
    answer = _top_ids(first, sessions, need)
    _deactivate(sessions, answer[0])  # a change after the save

    second, sessions = _engine(db_file, sync_seconds=3600)
    try:
        started = time.perf_counter()
        after = _top_ids(second, sessions, need)
        assert time.perf_counter() - started < 10
        # Loaded, not refitted: the needs' rows (unchanged since) still map the file.
        assert isinstance(second._matcher.needs_.dense_matrix, np.memmap)
        assert answer[0] not in after
        assert after[:3] == [t for t in answer if t != answer[0]][:3]
    finally:
        second.close()


def test_a_damaged_state_is_refused_and_the_engine_refits(
    db_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from matching import state

    first, sessions = _engine(db_file, sync_seconds=3600)
    with sessions() as session:
        first.fit(session)
    first.close()
    folder = state.newest(_settings(db_file, 3600).resolved_engine_state_dir)  # type: ignore[arg-type]
    assert folder is not None
    (folder / "talents.ids.npy").write_bytes(b"not an array")
    second, sessions = _engine(db_file, sync_seconds=3600)
    try:
        with caplog.at_level("ERROR", logger="service.engine"):
            answer = _top_ids(second, sessions, _a_need(sessions))
        assert "saved matching engine state refused, refitting" in caplog.text
        assert answer == _top_ids(first, sessions, _a_need(sessions))
    finally:
        second.close()
