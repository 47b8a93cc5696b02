"""Training and judging learned rankers per scope (the prefecture, and each county with
enough decisions of its own), and saving them with their manifests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from matching.decisions import (
    Comparison,
    DecisionSet,
    TrainOptions,
    compare,
    fit_ranker,
    scopes_to_train,
    text_tie,
)
from service.settings import Settings


def options_from(settings: Settings, *, min_decisions: int | None = None) -> TrainOptions:
    return TrainOptions(
        eta=settings.ranker_position_bias,
        min_decisions=settings.ranker_min_decisions if min_decisions is None else min_decisions,
        min_gain=settings.ranker_min_gain,
        tie=text_tie(settings.matching_config().weights),
    )


def _scope_name(scope: str | None) -> str:
    from matching.ranker_store import PREFECTURE

    return scope or PREFECTURE


def evaluate(data: DecisionSet, settings: Settings) -> list[Comparison]:
    """Held-out comparison, learned vs hand weights, for every scope worth a ranker."""
    weights = settings.matching_config().weights
    out = []
    for scope in scopes_to_train(data, settings.ranker_county_min_decisions):
        options = options_from(
            settings,
            min_decisions=settings.ranker_county_min_decisions if scope else None,
        )
        out.append(compare(data.in_scope(scope), weights, options, _scope_name(scope)))
    return out


@dataclass(frozen=True)
class Trained:
    comparison: Comparison
    folder: Path | None


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def train(data: DecisionSet, settings: Settings, *, source: str) -> list[Trained]:
    """For each scope: judge on the time-ordered split, then (with enough decisions) fit
    on all of the scope's decisions and save the next version with its manifest. The
    engine uses a saved ranker only when its manifest says it beat the hand weights."""
    from matching import ranker_store

    root = settings.resolved_ranker_dir
    out = []
    for comparison in evaluate(data, settings):
        if comparison.learned is None:
            out.append(Trained(comparison, None))
            continue
        scope_data = data.in_scope(
            None if comparison.scope == ranker_store.PREFECTURE else comparison.scope
        )
        options = options_from(settings)
        model = fit_ranker(scope_data, options)
        manifest = {
            "trained_at": datetime.now(UTC).isoformat(),
            "source": source,
            "data_window": {"from": _iso(comparison.window[0]), "to": _iso(comparison.window[1])},
            "counts": {
                "rows": len(scope_data),
                "lists": len(set(scope_data.group.tolist())),
                "decisions": scope_data.decisions,
                "approved": int(scope_data.label.sum()),
                "train_rows": comparison.train,
                "test_rows": comparison.test,
            },
            "position_bias": {"eta": options.eta, "max_weight": options.max_weight},
            "params": model.get_params(),
            "metrics": {
                "held_out_learned": comparison.learned.as_dict(),
                "held_out_hand": comparison.hand.as_dict(),
            },
            "guardrail": {
                "beats_hand": comparison.beats_hand,
                "why": comparison.why,
                "min_gain": options.min_gain,
            },
        }
        folder = ranker_store.save(root, comparison.scope, model, manifest)
        out.append(Trained(comparison, folder))
    return out
