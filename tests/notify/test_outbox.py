"""The outbox's rules: quiet hours and digests, the periodic scan announcing each finding
once, and one worker per deployment by the lease."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import Match, Need, Notification, User
from models.notification import NotificationPreference
from service.notify import outbox, scan
from service.notify.worker import acquire_lease, release_lease
from tests.http_fixtures import Login
from tests.service.helpers import first_candidate, post_need

SHANGHAI_NOON_UTC = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)  # 12:00 in Asia/Shanghai


@given(st.integers(0, 23), st.integers(0, 23), st.integers(0, 23))
def test_quiet_hours_window(hour: int, start: int, end: int) -> None:
    inside = outbox.in_quiet_hours(hour, start, end)
    if start == end:
        assert not inside
    elif start < end:
        assert inside == (start <= hour < end)
    else:
        assert inside == (hour >= start or hour < end)


def test_a_delivery_waits_out_quiet_hours_and_digests_wait_for_their_hour() -> None:
    pref = NotificationPreference(quiet_start=11, quiet_end=14, timezone="Asia/Shanghai")
    at = outbox.first_attempt(pref, SHANGHAI_NOON_UTC, False, 8)
    assert at == datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # 14:00 local
    pref.quiet_start, pref.quiet_end = 22, 7
    assert outbox.first_attempt(pref, SHANGHAI_NOON_UTC, False, 8) == SHANGHAI_NOON_UTC
    digest = outbox.first_attempt(None, SHANGHAI_NOON_UTC, True, 8)
    assert digest == datetime(2026, 6, 2, 0, 0, tzinfo=UTC)  # 08:00 local the next day


def test_scan_announces_expiring_needs_and_records_due_once(
    client: TestClient, login: Login, session: Session
) -> None:
    site = login("site1")
    today = outbox.today_local()
    need = post_need(
        client,
        site,
        start_date=(today - timedelta(days=30)).isoformat(),
        end_date=(today + timedelta(days=3)).isoformat(),
    )
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    stale = datetime.now(UTC) - timedelta(days=40)
    match = Match(
        need_id=need["id"],
        talent_id=talent_id,
        status="active",
        origin="site",
        created_at=stale,
        updated_at=stale,
    )
    session.add(match)
    session.commit()
    site1 = session.scalars(select(User).where(User.username == "site1")).one()

    scan.run(session, expiry_days=7, record_days=30)
    mine = list(session.scalars(select(Notification).where(Notification.user_id == site1.id)))
    kinds = {(n.kind, n.need_id, n.match_id) for n in mine}
    assert ("need_expiring", need["id"], None) in kinds
    assert ("record_due", need["id"], match.id) in kinds
    expiring = next(n for n in mine if n.kind == "need_expiring")
    end = date.fromisoformat(need["end_date"])
    # The date in each language's own writing (issue 13), never ISO in a sentence.
    assert f"{end.year}年{end.month}月{end.day}日" in expiring.body_zh, expiring.body_zh
    assert end.isoformat() not in expiring.body_zh and end.isoformat() not in expiring.body_en
    count = len(mine)
    scan.run(session, expiry_days=7, record_days=30)
    again = session.scalars(select(Notification).where(Notification.user_id == site1.id)).all()
    assert len(again) == count
    assert session.get(Need, need["id"]) is not None


def test_one_worker_holds_the_lease_until_it_lapses(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as session:
        assert acquire_lease(session, "node-a", 30)
        assert not acquire_lease(session, "node-b", 30)
        assert acquire_lease(session, "node-a", 30)  # renewal
        release_lease(session, "node-a")
        assert acquire_lease(session, "node-b", 0.05)
        assert not acquire_lease(session, "node-a", 30)
        import time

        time.sleep(0.1)
        assert acquire_lease(session, "node-a", 30)


def test_a_batch_run_notifies_each_proposed_talent_in_its_transaction(
    client: TestClient, login: Login, session: Session
) -> None:
    from models import MatchRun
    from service.usecases.batch.write import Proposal, write_proposals
    from tests.service.helpers import talent_user

    site = login("site1")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    username = talent_user(session, talent_id)
    run = MatchRun(mode="optimal", status="running")
    session.add(run)
    session.flush()
    assert write_proposals(session, run.id, None, [Proposal(need["id"], talent_id, 0.9, [])], None)
    session.commit()
    user = session.scalars(select(User).where(User.username == username)).one()
    [note] = session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.kind == "proposed")
    ).all()
    match = session.scalars(select(Match).where(Match.run_id == run.id)).one()
    assert note.match_id == match.id and note.link == f"/matches/{match.id}"


def test_interest_recorded_by_a_coordinator_tells_the_talent_too(
    client: TestClient, login: Login, session: Session
) -> None:
    from service.actor import Actor
    from tests.service.helpers import talent_user

    site = login("site1")
    need = post_need(client, site)
    talent_id = first_candidate(client, site, need["id"])["talent"]["id"]
    username = talent_user(session, talent_id)
    match = Match(need_id=need["id"], talent_id=talent_id, status="interested", origin="site")
    session.add(match)
    session.flush()
    coordinator = session.scalars(select(User).where(User.username == "county")).one()
    notes = outbox.match_event(session, match, Actor.of(coordinator), "interested", None)
    told = {session.get_one(User, n.user_id).username for n in notes}
    assert {"site1", username} <= told and "county" not in told
    own = outbox.match_event(
        session,
        match,
        Actor.of(session.scalars(select(User).where(User.username == username)).one()),
        "interested",
        None,
    )
    assert username not in {session.get_one(User, n.user_id).username for n in own}
