"""The expiry sweep before a candidate list or suggestions runs only when it can find
something new: when the day turned or a need was written since this process last swept
and found nothing. The list's own need is expired whenever it is past its end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from models import Need, User
from models.enums import NeedStatus
from service.actor import Actor
from service.engine import MatchingEngine
from service.errors import AppError
from service.usecases import candidates, expiry


@contextmanager
def _sweeps_counted(session: Session) -> Iterator[list[str]]:
    """The sweep's statements (open needs past a date) the session sends."""
    seen: list[str] = []
    bind: Any = session.get_bind()

    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "need.end_date <" in statement and "need.status =" in statement:
            seen.append(statement)

    event.listen(bind, "before_cursor_execute", _count)
    try:
        yield seen
    finally:
        event.remove(bind, "before_cursor_execute", _count)


def _zhou(session: Session) -> Actor:
    return Actor.of(session.scalars(select(User).where(User.username == "zhou")).one())


def _open_needs(session: Session, engine: MatchingEngine, n: int) -> list[Need]:
    day = expiry.today(engine.settings.today)
    found = session.scalars(
        select(Need)
        .where(Need.status == NeedStatus.OPEN.value, Need.end_date >= day + timedelta(days=30))
        .order_by(Need.id)
        .limit(n)
    ).all()
    assert len(found) == n, "the demo population has open needs"
    return list(found)


def _list(session: Session, engine: MatchingEngine, need_id: int) -> None:
    candidates.for_need(session=session, engine=engine, actor=_zhou(session), need_id=need_id, k=5)


def test_a_second_list_on_the_same_day_does_not_sweep_again(
    session: Session, matching_engine: MatchingEngine
) -> None:
    first, second = _open_needs(session, matching_engine, 2)
    matching_engine.expiry_swept = None
    with _sweeps_counted(session) as sweeps:
        _list(session, matching_engine, first.id)
        assert len(sweeps) == 1
        _list(session, matching_engine, second.id)
        assert len(sweeps) == 1, "nothing could have fallen due: no sweep"


def test_a_need_written_with_a_past_end_is_expired_by_the_next_list(
    session: Session, matching_engine: MatchingEngine
) -> None:
    listed, written = _open_needs(session, matching_engine, 2)
    _list(session, matching_engine, listed.id)  # swept and found nothing
    day = expiry.today(matching_engine.settings.today)
    written.start_date = day - timedelta(days=20)
    written.end_date = day - timedelta(days=1)
    session.commit()
    _list(session, matching_engine, listed.id)
    assert session.get_one(Need, written.id).status == NeedStatus.EXPIRED.value


def test_a_new_day_sweeps_again(session: Session, matching_engine: MatchingEngine) -> None:
    (listed,) = _open_needs(session, matching_engine, 1)
    _list(session, matching_engine, listed.id)
    original = matching_engine.settings
    later = expiry.today(original.today) + timedelta(days=1)
    matching_engine.settings = original.model_copy(update={"today": later})
    try:
        with _sweeps_counted(session) as sweeps:
            _list(session, matching_engine, listed.id)
        assert len(sweeps) == 1
    finally:
        matching_engine.settings = original


def test_the_lists_own_need_past_its_end_is_refused_before_the_engine_sees_the_edit(
    session: Session, matching_engine: MatchingEngine
) -> None:
    """An edit the engine has not seen yet (another process's, within the sync
    interval) leaves the needs' watermark where it was; the list's own need is still
    expired and refused."""
    listed, edited = _open_needs(session, matching_engine, 2)
    _list(session, matching_engine, listed.id)
    mark = matching_engine.expiry_swept
    assert mark is not None
    day = expiry.today(matching_engine.settings.today)
    # A plain UPDATE, as another process's would look before this one syncs: the
    # updated_at column, which the watermark reads, is left as it was.
    session.execute(
        text("UPDATE need SET start_date = :start, end_date = :end WHERE id = :id"),
        {"start": day - timedelta(days=20), "end": day - timedelta(days=1), "id": edited.id},
    )
    session.expire(edited)
    assert matching_engine.needs_mark(session) == mark[1:]
    with pytest.raises(AppError) as refused:
        _list(session, matching_engine, edited.id)
    assert refused.value.status == 409 and refused.value.code == "need_expired"
