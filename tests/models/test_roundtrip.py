"""Chinese text round-trips exactly and times come back as UTC, on either database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Programme

TEXT = "彝乡英才回巢：楚雄州双柏县鄂嘉镇，牛肝菌、鸡枞、松茸；𠀀𪚥 emoji🍄 and English"


def test_chinese_text_round_trips_exactly(session: Session) -> None:
    session.add(AuditEvent(action="note", entity="test", after={"text": TEXT}))
    session.flush()
    session.expire_all()
    stored = session.scalars(select(AuditEvent).where(AuditEvent.entity == "test")).one()
    assert stored.after == {"text": TEXT}


def test_times_are_stored_and_read_as_utc(session: Session) -> None:
    beijing = timezone(timedelta(hours=8))
    moment = datetime(2026, 6, 1, 9, 30, tzinfo=beijing)
    session.add(AuditEvent(action="note", entity="tz", at=moment))
    session.flush()
    session.expire_all()
    stored = session.scalars(select(AuditEvent).where(AuditEvent.entity == "tz")).one()
    assert stored.at.tzinfo is not None
    assert stored.at.utcoffset() == timedelta(0)
    assert stored.at == moment.astimezone(UTC)


def test_naive_datetimes_are_refused(session: Session) -> None:
    session.add(AuditEvent(action="note", entity="naive", at=datetime(2026, 6, 1, 9, 30)))
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()


def test_plan_text_is_stored_verbatim(session: Session) -> None:
    measure = session.scalars(select(Programme).where(Programme.code == "measure_6")).one()
    assert "彝乡英才回巢计划" in measure.content
    assert "“候鸟型”人才工作站" in measure.content
