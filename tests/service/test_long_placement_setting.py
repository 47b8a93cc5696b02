"""``long_placement_min_days`` has one source, the setting: the engine's configuration,
the profiles why-not and the engine read, and the approval's capacity check all follow
it. Shown with the threshold raised to 300 days on the same database: a 200-day on-site
need is a long placement by default (no yearly-day budget spent), and a short one at 300
(its 200 days must fit the talent's yearly budget)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from models import AvailabilityWindow, Match, Site, Talent
from models.enums import MatchStatus
from service import placements
from service.app import create_app
from service.db import Database
from service.engine import MatchingEngine
from service.profiles import need_profiles
from service.settings import Settings
from tests.conftest import DEMO_PASSWORD
from tests.service.helpers import need_body

START = date(2025, 3, 1)
DAYS = 200  # long at the default 180, short at 300


@contextmanager
def _app(
    settings: Settings,
    engine: Engine,
    sessions: sessionmaker[Session],
    matching: MatchingEngine,
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    app = create_app(settings, database=Database(engine=engine, sessions=sessions), engine=matching)
    with TestClient(app, raise_server_exceptions=False) as client:
        token = client.post(
            "/api/v1/auth/login", json={"username": "zhou", "password": DEMO_PASSWORD}
        ).json()["access_token"]
        yield client, {"authorization": f"Bearer {token}"}


def _talent_with_a_small_budget(session: Session) -> Talent:
    """A talent open to long placements whose yearly budget is below 200 days, free over
    the need's dates."""
    end = START + timedelta(days=DAYS - 1)
    held = select(Match.talent_id)
    for talent in session.scalars(
        select(Talent)
        .where(Talent.long_placement_ok.is_(True), Talent.id.not_in(held))
        .order_by(Talent.id)
    ):
        windows = session.scalars(
            select(AvailabilityWindow).where(AvailabilityWindow.talent_id == talent.id)
        )
        if any(w.start_date <= START and w.end_date >= end for w in windows):
            talent.capacity_days_per_year = 60
            talent.travel_radius_km = 1000  # the threshold, not the distance, decides
            session.commit()
            return talent
    raise AssertionError("the demo population has a free talent open to long placements")


def test_the_threshold_setting_reaches_the_engine_the_profiles_and_the_approval(
    app_settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    matching_engine: MatchingEngine,
    session: Session,
) -> None:
    talent = _talent_with_a_small_budget(session)
    site = session.scalars(select(Site).order_by(Site.id)).first()
    assert site is not None
    raised = app_settings.model_copy(update={"long_placement_min_days": 300})
    assert raised.matching_config().long_placement_min_days == 300, "the engine's config"
    assert app_settings.matching_config().long_placement_min_days == 180

    with _app(raised, engine, session_factory, matching_engine) as (client, zhou):
        assert session_factory.kw["info"][placements.INFO_KEY] == 300
        posted = client.post(
            "/api/v1/needs",
            json=need_body(
                site_id=site.id,
                mode="onsite_long",
                start_date=START.isoformat(),
                end_date=(START + timedelta(days=DAYS - 1)).isoformat(),
                days_needed=DAYS,
                skills=[],
            ),
            headers=zhou,
        )
        assert posted.status_code == 201, posted.text
        need_id = posted.json()["id"]
        with session_factory() as fresh:
            assert not need_profiles(fresh, [need_id])[0].long_placement, "200 < 300: short"
        match = Match(
            need_id=need_id, talent_id=talent.id, status=MatchStatus.ACCEPTED.value, origin="site"
        )
        session.add(match)
        session.commit()
        refused = client.post(f"/api/v1/matches/{match.id}/approve", headers=zhou)
        assert refused.status_code == 409, refused.text
        assert "60 days per year" in refused.json()["error"]["message"]

    # The same need and talent under the default threshold: a long placement, approved.
    with _app(app_settings, engine, session_factory, matching_engine) as (client, zhou):
        with session_factory() as fresh:
            assert need_profiles(fresh, [need_id])[0].long_placement, "200 >= 180: long"
        approved = client.post(f"/api/v1/matches/{match.id}/approve", headers=zhou)
        assert approved.status_code == 200, approved.text


def test_the_engine_option_cannot_override_the_setting() -> None:
    with pytest.raises(ValidationError, match="RENCAI_LONG_PLACEMENT_MIN_DAYS"):
        Settings(matching={"long_placement_min_days": 90})
    with pytest.raises(ValidationError, match="long_placement_min_days"):
        Settings(long_placement_min_days=0)
