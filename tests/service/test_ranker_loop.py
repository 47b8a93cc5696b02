"""The learning loop in the service: impressions written when candidates are shown and
joined to outcomes; fast feedback from a site's decline and a coordinator's rejection;
a declined pair never offered again; a saved ranker used only where it beat the hand
weights, refused when corrupt, and named on every list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.config import FEATURE_NAMES, MatchingConfig
from matching.decisions import DecisionSet
from models import Match, MatchImpression
from seed.ranker_sim import simulate_decisions
from service.engine import MatchingEngine, RankerShelf
from service.feedback import boost_from_reasons, reason_features
from service.settings import Settings
from service.usecases import rankers
from service.usecases.ranker_data import decisions
from tests.http_fixtures import Login
from tests.service.helpers import post_need


def _candidates(client: TestClient, headers: dict[str, str], need_id: int, k: int = 20) -> Any:
    response = client.get(f"/api/v1/needs/{need_id}/candidates", params={"k": k}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _value(candidate: dict[str, Any], feature: str) -> float:
    return next(b["value"] for b in candidate["breakdown"] if b["feature"] == feature)


def _overtakes(before: list[Any], after: list[Any]) -> list[tuple[Any, Any]]:
    """(a, b) for every candidate a now above b who was below b before."""
    rank_before = {c["talent"]["id"]: c["rank"] for c in before}
    shown = [c for c in after if c["talent"]["id"] in rank_before]
    return [
        (a, b)
        for i, a in enumerate(shown)
        for b in shown[i + 1 :]
        if rank_before[a["talent"]["id"]] > rank_before[b["talent"]["id"]]
    ]


def test_reasons_map_to_features() -> None:
    assert reason_features("距离太远，来回要一天") == ["distance"]
    assert reason_features("时间不合适") == ["availability"]
    assert reason_features("专业不对口") == ["skills"]
    assert reason_features("该专家太忙，负担过重") == ["load"]
    assert reason_features("其他原因") == []
    # The need it was given on counts twice; the cap holds.
    boost = boost_from_reasons([(1, "距离太远"), (2, "路远")], 1, step=0.2, cap=0.5)
    assert boost == {"distance": 0.5}
    assert boost_from_reasons([(2, "路远")], 1, step=0.2, cap=0.5) == {"distance": 0.2}


def test_decline_and_rejection_reasons_reorder_an_identical_need_towards_nearer_talents(
    client: TestClient, login: Login, session: Session
) -> None:
    site, coordinator = login("site1"), login("county")
    first = post_need(client, site, mode="onsite_short")
    twin = post_need(client, site, mode="onsite_short")
    before = _candidates(client, site, twin["id"])
    assert before and before[0]["ranked_by"]["kind"] == "hand"
    assert before[0]["ranked_by"]["feedback"] == []

    shown = _candidates(client, site, first["id"], k=5)
    declined_id, rejected_id = shown[0]["talent"]["id"], shown[1]["talent"]["id"]
    # The site declines one proposal as too far away …
    proposed = client.post(
        "/api/v1/matches", json={"need_id": first["id"], "talent_id": declined_id}, headers=site
    )
    assert proposed.status_code == 201, proposed.text
    declined = client.post(
        f"/api/v1/matches/{proposed.json()['id']}/decline",
        json={"reason": "距离太远，交通不便"},
        headers=site,
    )
    assert declined.status_code == 200, declined.text
    # … and the coordinator rejects an accepted one for the same reason.
    accepted = Match(need_id=first["id"], talent_id=rejected_id, status="accepted", origin="site")
    session.add(accepted)
    session.commit()
    rejected = client.post(
        f"/api/v1/matches/{accepted.id}/reject", json={"reason": "路途太远"}, headers=coordinator
    )
    assert rejected.status_code == 200, rejected.text

    after = _candidates(client, site, twin["id"])
    assert after[0]["ranked_by"]["feedback"] == ["distance"]
    assert "距离" in after[0]["ranked_by"]["zh"] and "distance" in after[0]["ranked_by"]["en"]
    assert [c["talent"]["id"] for c in after] != [c["talent"]["id"] for c in before]
    # The documented direction: whoever overtook someone is the nearer of the two.
    overtakes = _overtakes(before, after)
    assert overtakes, "the ranking did not change"
    for ahead, behind in overtakes:
        assert _value(ahead, "distance") > _value(behind, "distance")
    # A declined or rejected pair is never offered for that need again.
    again = {c["talent"]["id"] for c in _candidates(client, site, first["id"], k=100)}
    assert declined_id not in again and rejected_id not in again


def test_shown_candidates_become_decisions_with_their_outcome(
    client: TestClient, login: Login, session: Session, matching_engine: MatchingEngine
) -> None:
    site = login("site1")
    need = post_need(client, site)
    shown = _candidates(client, site, need["id"], k=8)
    written = matching_engine.impressions.flush()
    assert written >= len(shown)
    rows = list(
        session.scalars(
            select(MatchImpression)
            .where(MatchImpression.need_id == need["id"])
            .order_by(MatchImpression.rank)
        )
    )
    assert [r.talent_id for r in rows] == [c["talent"]["id"] for c in shown]
    assert [r.rank for r in rows] == list(range(1, len(shown) + 1))
    assert all(len(r.features) == len(FEATURE_NAMES) and r.scorer == "hand" for r in rows)
    assert rows[0].features == pytest.approx([b["value"] for b in shown[0]["breakdown"]], abs=1e-4)

    chosen = shown[2]["talent"]["id"]
    proposed = client.post(
        "/api/v1/matches", json={"need_id": need["id"], "talent_id": chosen}, headers=site
    )
    assert proposed.status_code == 201
    client.post(
        f"/api/v1/matches/{proposed.json()['id']}/decline",
        json={"reason": "时间不合适"},
        headers=site,
    )
    accepted = Match(need_id=need["id"], talent_id=shown[0]["talent"]["id"], status="approved")
    session.add(accepted)
    session.commit()
    data = decisions(session)
    mine = data.subset(np.isin(data.group, np.unique(data.group[-len(shown) :])))
    assert len(mine) == len(shown)
    assert mine.rank.tolist() == list(range(1, len(shown) + 1))
    assert mine.gain[0] == 2 and mine.decided[0]
    assert mine.gain[2] == 0 and mine.decided[2]
    assert not mine.decided[1]


# ---------------------------------------------------------------- saved rankers


def _settings(tmp_path: Path, **extra: Any) -> Settings:
    return Settings(data_dir=tmp_path, ranker_dir=tmp_path / "rankers", **extra)


def _simulated(preference: str, n_lists: int = 500) -> DecisionSet:
    arrays = simulate_decisions(
        n_lists=n_lists,
        hand_weights=MatchingConfig().weights,
        preference=preference,  # type: ignore[arg-type]
        seed=11,
    )
    return DecisionSet.from_arrays(arrays)


def test_train_saves_versions_with_manifests_and_the_shelf_keeps_only_winners(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path, ranker_county_min_decisions=100_000)
    done = rankers.train(_simulated("planted"), settings, source="simulated")
    assert [t.comparison.scope for t in done] == ["prefecture"]
    folder = done[0].folder
    assert folder is not None and folder.name == "v001"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["features"] == list(FEATURE_NAMES)
    assert manifest["guardrail"]["beats_hand"] is True
    for key in ("data_window", "counts", "metrics", "libraries", "model_sha256"):
        assert key in manifest
    assert "scikit-learn" in manifest["libraries"]
    shelf = RankerShelf(settings.resolved_ranker_dir)
    scorer = shelf.scorer_for("532322")
    assert scorer is not None and scorer.label == "learned:prefecture:v1"

    # A second training on decisions with nothing better to learn: saved, not used.
    again = rankers.train(_simulated("hand", 200), settings, source="simulated")
    assert again[0].folder is not None and again[0].folder.name == "v002"
    assert again[0].comparison.beats_hand is False
    assert shelf.refresh() is True
    assert shelf.scorer_for("532322") is None
    assert "prefecture" in shelf.kept_hand


def test_a_corrupt_or_mismatched_ranker_is_refused_and_hand_weights_kept(tmp_path: Path) -> None:
    settings = _settings(tmp_path, ranker_county_min_decisions=100_000)
    folder = rankers.train(_simulated("planted"), settings, source="simulated")[0].folder
    assert folder is not None
    model = folder / "model.json"
    model.write_text(model.read_text().replace("0", "1", 1))
    shelf = RankerShelf(settings.resolved_ranker_dir)
    assert shelf.scorer_for(None) is None
    assert "sha256" in shelf.problems["prefecture"]

    folder = rankers.train(_simulated("planted"), settings, source="simulated")[0].folder
    assert folder is not None
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["features"] = [*FEATURE_NAMES[:-1], "rating"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert shelf.refresh() is True
    assert shelf.scorer_for(None) is None
    assert "features" in shelf.problems["prefecture"]


def test_a_county_whose_own_ranker_lost_keeps_the_hand_weights(tmp_path: Path) -> None:
    from matching import ranker_store
    from matching.decisions import TrainOptions, fit_ranker

    settings = _settings(tmp_path, ranker_county_min_decisions=100_000)
    rankers.train(_simulated("planted"), settings, source="simulated")
    model = fit_ranker(_simulated("planted", 100), TrainOptions())
    ranker_store.save(
        settings.resolved_ranker_dir, "532326", model, {"guardrail": {"beats_hand": False}}
    )
    shelf = RankerShelf(settings.resolved_ranker_dir)
    assert shelf.scorer_for("532326") is None
    prefecture = shelf.scorer_for("532322")
    assert prefecture is not None and prefecture.scope == "prefecture"


def test_too_few_decisions_keep_the_hand_weights(tmp_path: Path) -> None:
    settings = _settings(tmp_path, ranker_min_decisions=100_000)
    done = rankers.train(_simulated("planted", 60), settings, source="simulated")
    assert done[0].folder is None and done[0].comparison.learned is None
    assert RankerShelf(settings.resolved_ranker_dir).scorer_for(None) is None


def test_the_engine_ranks_with_a_winning_ranker_and_explains_with_its_contributions(
    client: TestClient,
    login: Login,
    matching_engine: MatchingEngine,
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path, ranker_county_min_decisions=100_000)
    rankers.train(_simulated("planted"), settings, source="simulated")
    site = login("site1")
    need = post_need(client, site)
    hand = _candidates(client, site, need["id"], k=10)
    saved = matching_engine.rankers
    matching_engine.rankers = RankerShelf(settings.resolved_ranker_dir)
    matching_engine._cache.clear()
    try:
        learned = _candidates(client, site, need["id"], k=10)
        why = client.get(
            f"/api/v1/needs/{need['id']}/why-not/{learned[0]['talent']['id']}", headers=site
        ).json()
    finally:
        matching_engine.rankers = saved
        matching_engine._cache.clear()
    scorer = RankerShelf(settings.resolved_ranker_dir).scorer_for(None)
    assert scorer is not None
    assert learned[0]["ranked_by"]["kind"] == "learned"
    assert learned[0]["ranked_by"]["scorer"] == "learned:prefecture:v1"
    assert "学习" in learned[0]["ranked_by"]["zh"] and "learned" in learned[0]["ranked_by"]["en"]
    assert hand[0]["ranked_by"]["kind"] == "hand"
    for c in learned:
        values = np.array([[b["value"] for b in c["breakdown"]]])
        expected = scorer.contributions(values)[0]
        got = [b["contribution"] for b in c["breakdown"]]
        assert got == pytest.approx(expected, abs=1e-3)
        logit = scorer.intercept + expected.sum()
        assert c["score"] == pytest.approx(1 / (1 + np.exp(-logit)), abs=1e-3)
    # "Why not" explains the pair with the same scorer that ranked its list.
    assert [b["contribution"] for b in why["breakdown"]] == pytest.approx(
        [b["contribution"] for b in learned[0]["breakdown"]], abs=1e-3
    )
    scores = [c["score"] for c in learned]
    assert scores == sorted(scores, reverse=True)
