"""A new server node over the same database starts without re-encoding (issue 16,
item 8): the first node's engine leaves every profile's vector in the database's
``text_embedding`` table, and a second node, with an empty data folder of its own,
finds them all there."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Need, Site, Talent, TextEmbedding
from models.db import make_engine
from service.engine import MatchingEngine
from service.settings import Settings
from tests.security.live import fresh_database, populate


def _profiles(session: Session) -> None:
    site = Site(
        external_id="EMB-S1",
        name="双柏县大庄镇卫生院",
        site_type="township_health_center",
        county_code="532322",
        lat=25.2,
        lon=101.9,
    )
    session.add(site)
    session.flush()
    session.add_all(
        Talent(
            external_id=f"EMB-T{i}",
            name=f"共享向量医生{i}",
            category="general_practitioner",
            bio=f"全科医生{i}号，擅长慢病管理与基层带教（第{i}位）。",
            base_lat=25.0,
            base_lon=101.5,
            modes=["onsite_short"],
        )
        for i in range(12)
    )


def _node(url: str, data_dir: Path) -> MatchingEngine:
    settings = Settings(
        database_url=url, data_dir=data_dir, embeddings_in_database=True, environment="test"
    )
    engine = MatchingEngine(settings)
    db = make_engine(url)
    try:
        with Session(db) as session:
            engine.fit(session)
    finally:
        db.dispose()
    return engine


def test_a_second_node_finds_every_vector_in_the_database(tmp_path: Path) -> None:
    with fresh_database("rencai_shared_embeddings", tmp_path) as url:
        populate(url, _profiles)
        first = _node(url, tmp_path / "node-a")
        assert first._matcher.encoder.cache.misses > 0  # it encoded the profiles
        db = make_engine(url)
        with Session(db) as session:
            stored = session.scalar(select(func.count()).select_from(TextEmbedding))
            talents = session.scalar(select(func.count()).select_from(Talent))
            needs = session.scalar(select(func.count()).select_from(Need))
        db.dispose()
        assert talents == 12 and stored is not None and stored >= talents + (needs or 0)

        second = _node(url, tmp_path / "node-b")  # its own, empty data folder

        cache = second._matcher.encoder.cache
        assert cache.misses == 0 and cache.hits >= 12
        assert not (tmp_path / "node-b" / "embeddings" / "embeddings.sqlite3").exists()
