"""A bulk decision on SQLite while another writer commits between its decisions: each
decision after the first takes the write lock before it reads, so it is never refused
for a stale snapshot after the request's earlier decisions were saved (a 503 that
could not be retried, seen on the queue page while the outbox sender wrote)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from models import Match, Need, Site, Talent, User
from models.db import make_engine, make_session_factory
from models.enums import MatchStatus
from service.actor import Actor
from service.usecases import match_decisions, matches


@pytest.fixture
def own_database(engine: Engine, database_url: str, tmp_path: Path) -> Iterator[Engine]:
    """A copy of the demo database whose commits are real (the shared one rolls back)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the stale-snapshot refusal is SQLite's; PostgreSQL locks rows instead")
    copy = tmp_path / "decisions.db"
    source = sqlite3.connect(engine.url.database or "")
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    own = make_engine(f"sqlite:///{copy}")
    yield own
    own.dispose()


def _two_accepted(session: Session) -> tuple[Actor, list[int]]:
    user = session.scalars(select(User).where(User.username == "county")).one()
    need = session.scalars(
        select(Need).join(Site).where(Site.county_code == user.jurisdiction).limit(1)
    ).one()
    talents = session.scalars(select(Talent.id).limit(2)).all()
    rows = [Match(need_id=need.id, talent_id=t, status=MatchStatus.ACCEPTED.value) for t in talents]
    session.add_all(rows)
    session.commit()
    return Actor.of(user), [m.id for m in rows]


def _write_elsewhere(url: str) -> str:
    """Another thread commits a change (as the outbox sender does), waiting at most
    0.2 s for the write lock; what happened."""
    outcome: list[str] = []

    def write() -> None:
        other = make_engine(url, busy_timeout_seconds=0.2)
        try:
            with other.begin() as conn:
                conn.execute(update(Site).where(Site.id == 1).values(name=Site.name))
            outcome.append("committed")
        except OperationalError:
            outcome.append("waited")
        finally:
            other.dispose()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    return outcome[0]


def test_a_later_decision_holds_the_lock_before_it_reads(
    own_database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    factory = make_session_factory(own_database)
    with factory() as session:
        actor, ids = _two_accepted(session)
    seen: list[str] = []
    real_get = matches.get_or_raise

    def get_then_race(**kwargs: Any) -> Match:
        match = real_get(**kwargs)
        if kwargs["match_id"] == ids[1] and not seen:
            seen.append(_write_elsewhere(str(own_database.url)))
        return match

    monkeypatch.setattr(matches, "get_or_raise", get_then_race)
    with factory() as session:
        decided = match_decisions.decide_each(
            session=session,
            actor=actor,
            action="reject",
            reason="时间冲突",
            versions={i: None for i in ids},
        )
    assert [d.ok for d in decided] == [True, True], [d.error for d in decided]
    # The other writer found the lock taken: the decision held it while reading.
    assert seen == ["waited"]
    with factory() as session:
        statuses = session.scalars(select(Match.status).where(Match.id.in_(ids))).all()
    assert statuses == [MatchStatus.REJECTED.value] * 2


def test_a_refused_decision_leaves_the_others(session: Session) -> None:
    actor, ids = _two_accepted(session)
    decided = match_decisions.decide_each(
        session=session,
        actor=actor,
        action="reject",
        reason="时间冲突",
        versions={ids[0]: 99, ids[1]: None, 10**9: None},
    )
    assert [d.ok for d in decided] == [False, True, False]
    assert decided[0].error is not None and decided[0].error.status == 409
    assert decided[0].talent  # named, so the page can say whose decision failed
    assert decided[2].error is not None and decided[2].error.status == 404
    assert decided[2].talent == ""
    session.expire_all()
    statuses = session.scalars(select(Match.status).where(Match.id.in_(ids)).order_by(Match.id))
    assert list(statuses) == [MatchStatus.ACCEPTED.value, MatchStatus.REJECTED.value]
