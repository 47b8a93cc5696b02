"""The learned ranker as a library: scikit-learn's estimator contract, exact linear
contributions, position-bias weights, ranking metrics, the time-ordered split, the
guardrail and saved artefacts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.utils.estimator_checks import check_estimator

from matching import ranker_store
from matching.config import FEATURE_NAMES, MatchingConfig
from matching.decisions import (
    DecisionSet,
    TrainOptions,
    auc,
    compare,
    fit_ranker,
    hand_scores,
    ndcg_at_k,
    time_split,
    top_share,
)
from matching.errors import ShapeError
from matching.ranker import (
    LearnedScorer,
    LogisticRanker,
    expand,
    propensity_weights,
    split_contributions,
)
from seed import ranker_sim


def test_logistic_ranker_passes_scikit_learns_estimator_checks() -> None:
    results = check_estimator(LogisticRanker(), on_fail=None)
    failed = [
        (r["check_name"], str(r["exception"])[:200]) for r in results if r["status"] == "failed"
    ]
    assert failed == []


def test_get_params_and_fit_returns_self() -> None:
    model = LogisticRanker(C=0.5, interactions=False)
    assert model.get_params() == {"C": 0.5, "interactions": False, "max_iter": 1000, "tie": ()}
    rng = np.random.default_rng(0)
    X = rng.random((60, 3))
    y = (X[:, 0] > 0.5).astype(int)
    assert model.fit(X, y) is model
    assert model.coef_.shape == (3,)


def test_tied_columns_enter_as_one_and_contributions_still_sum_to_the_log_odds() -> None:
    """Semantic and lexical tied 1 : 2: one coefficient for both, split back by their
    weighted values, so the contributions' row sums are the log-odds less the intercept."""
    rng = np.random.default_rng(1)
    X = rng.random((200, 4))
    y = (X[:, 0] + 2 * X[:, 1] + X[:, 2] + rng.normal(0, 0.3, 200) > 2).astype(int)
    model = LogisticRanker(tie=((0, 1.0), (1, 2.0))).fit(X, y)
    assert model.coef_.shape == (3 + 1,)  # 3 columns after tying; the tied one in no product
    np.testing.assert_allclose(
        model.contributions(X).sum(axis=1) + model.intercept_, model.decision_function(X)
    )
    main = model.feature_coefficients()
    assert main[1] == pytest.approx(2 * main[0])
    with pytest.raises(ValueError, match="distinct columns"):
        LogisticRanker(tie=((0, 1.0), (7, 1.0))).fit(X, y)


def test_contributions_sum_to_the_log_odds_and_products_split_evenly() -> None:
    rng = np.random.default_rng(1)
    X = rng.random((200, 4))
    y = (X[:, 0] + X[:, 1] * X[:, 2] + 0.2 * rng.standard_normal(200) > 0.7).astype(int)
    model = LogisticRanker().fit(X, y)
    parts = model.contributions(X)
    assert parts.shape == (200, 4)
    np.testing.assert_allclose(
        parts.sum(axis=1) + model.intercept_, model.decision_function(X), atol=1e-9
    )
    coef = np.zeros(4 + 6)
    coef[4] = 2.0  # the product of features 0 and 1
    one = np.array([[1.0, 0.5, 0.0, 0.0]])
    np.testing.assert_allclose(split_contributions(one, coef), [[0.5, 0.5, 0.0, 0.0]])
    assert expand(one).shape == (1, 10)
    with pytest.raises(ShapeError, match="coef has shape"):
        split_contributions(one, np.zeros(3))


def test_propensity_weights_weigh_deep_positives_up_to_the_cap() -> None:
    w = propensity_weights(np.array([1, 2, 4, 30, 3]), np.array([1, 1, 1, 1, 0]), eta=1.0)
    assert w.tolist() == [1.0, 2.0, 4.0, 10.0, 1.0]
    assert propensity_weights(np.array([5]), np.array([1]), eta=0.0).tolist() == [1.0]
    with pytest.raises(ValueError, match="counted from 1"):
        propensity_weights(np.array([0]), np.array([1]))


def test_metrics_on_a_list_small_enough_to_check_by_hand() -> None:
    gain = np.array([0, 2, 0, 1])
    group = np.zeros(4, dtype=int)
    perfect = np.array([0.1, 0.9, 0.0, 0.5])
    worst = -perfect
    assert ndcg_at_k(gain, perfect, group) == pytest.approx(1.0)
    assert ndcg_at_k(gain, worst, group) < 0.6
    label = (gain >= 2).astype(int)
    assert auc(label, perfect) == 1.0 and auc(label, worst) == 0.0
    assert top_share(label, perfect, group, k=1) == 1.0
    assert top_share(label, worst, group, k=3) == 0.0


def _decisions(preference: str, n_lists: int, seed: int = 3) -> DecisionSet:
    return DecisionSet.from_arrays(
        ranker_sim.simulate_decisions(
            n_lists=n_lists,
            hand_weights=MatchingConfig().weights,
            preference=preference,  # type: ignore[arg-type]
            seed=seed,
        )
    )


def test_time_split_trains_on_the_past_only() -> None:
    data = _decisions("planted", 100)
    train, test = time_split(data, 0.3)
    assert train.time.max() <= test.time.min()
    assert not set(train.group.tolist()) & set(test.group.tolist())
    assert len(set(test.group.tolist())) == 30


def test_simulator_is_deterministic_and_speaks_the_engines_features() -> None:
    assert ranker_sim.FEATURE_NAMES == FEATURE_NAMES
    a = ranker_sim.simulate_decisions(n_lists=20, hand_weights=MatchingConfig().weights, seed=5)
    b = ranker_sim.simulate_decisions(n_lists=20, hand_weights=MatchingConfig().weights, seed=5)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    data = DecisionSet.from_arrays(a)
    # Shown in the hand weights' order.
    shown = hand_scores(data.X, MatchingConfig().weights)
    for g in range(20):
        rows = data.group == g
        assert np.all(np.diff(shown[rows]) <= 1e-12)


def test_the_learner_recovers_the_planted_preference_and_beats_the_hand_weights() -> None:
    data = _decisions("planted", 600)
    result = compare(data, MatchingConfig().weights, TrainOptions(), "prefecture")
    assert result.learned is not None
    assert result.beats_hand, result.why
    assert result.learned.ndcg10 > result.hand.ndcg10 + 0.01
    assert result.learned.auc > result.hand.auc
    assert result.learned.top3 > result.hand.top3
    model = fit_ranker(data, TrainOptions())
    main = dict(zip(FEATURE_NAMES, model.feature_coefficients(), strict=True))
    planted = {"skills", "distance", "availability", "load"}
    strongest = sorted(main, key=lambda f: -main[f])[:4]
    assert set(strongest) == planted, main
    assert all(main[f] > 0.5 for f in planted)


def test_the_guardrail_keeps_the_hand_weights_when_people_follow_them() -> None:
    data = _decisions("hand", 300)
    result = compare(data, MatchingConfig().weights, TrainOptions(), "prefecture")
    assert result.learned is not None
    assert not result.beats_hand, result.why


def test_position_bias_correction_helps_when_decisions_follow_the_shown_order() -> None:
    """Without the correction, the learner partly learns the order lists were shown in
    (people decide on the top of a list) instead of what people prefer."""
    data = _decisions("planted", 600, seed=9)
    weights = MatchingConfig().weights
    corrected = compare(data, weights, TrainOptions(eta=1.0), "p").learned
    plain = compare(data, weights, TrainOptions(eta=0.0), "p").learned
    assert corrected is not None and plain is not None
    assert corrected.auc > plain.auc
    assert corrected.ndcg10 > plain.ndcg10


def test_too_few_decisions_give_no_learned_ranker() -> None:
    data = _decisions("planted", 30)
    result = compare(data, MatchingConfig().weights, TrainOptions(min_decisions=10_000), "p")
    assert result.learned is None and not result.beats_hand
    assert "decisions <" in result.why


def test_artefacts_round_trip_and_refuse_tampering(tmp_path: Path) -> None:
    data = _decisions("planted", 200)
    model = fit_ranker(data, TrainOptions())
    folder = ranker_store.save(tmp_path, "prefecture", model, {"guardrail": {"beats_hand": True}})
    loaded = ranker_store.load_latest(tmp_path, "prefecture")
    assert loaded is not None and loaded.beats_hand
    expected = LearnedScorer.from_estimator(model, scope="prefecture", version=1)
    np.testing.assert_allclose(loaded.scorer.scores(data.X[:50]), expected.scores(data.X[:50]))
    np.testing.assert_allclose(
        loaded.scorer.scores(data.X[:50]) + loaded.scorer.intercept,
        model.decision_function(data.X[:50]),
    )
    second = ranker_store.save(tmp_path, "prefecture", model, {})
    assert second.name == "v002" and ranker_store.versions_of(tmp_path, "prefecture") == [1, 2]

    (second / "model.json").write_text("{not json")
    with pytest.raises(ranker_store.RankerArtefactError, match="sha256"):
        ranker_store.load(second)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["format"] = "something-else/9"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ranker_store.RankerArtefactError, match="format"):
        ranker_store.load(folder)
    (folder / "manifest.json").unlink()
    with pytest.raises(ranker_store.RankerArtefactError, match="missing"):
        ranker_store.load(folder)


def test_decision_sets_check_their_shapes_and_round_trip(tmp_path: Path) -> None:
    data = _decisions("planted", 10)
    path = tmp_path / "d.npz"
    data.save(path)
    again = DecisionSet.load(path)
    np.testing.assert_array_equal(again.X, data.X)
    np.testing.assert_array_equal(again.scope, data.scope)
    with pytest.raises(ShapeError, match="X has shape"):
        DecisionSet.from_arrays(
            {
                "X": data.X[:, :3],
                "gain": data.gain,
                "rank": data.rank,
                "group": data.group,
                "time": data.time,
                "scope": data.scope,
                "decided": data.decided,
            }
        )
    with pytest.raises(ValueError, match="miss"):
        DecisionSet.from_arrays({"X": data.X})
