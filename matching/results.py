"""What the matcher returns: ranked recommendations with their score breakdown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matching.constraints import Violation

#: What a pair is *about*, as opposed to where, when and how busy: the relevance floor
#: reads only these, so a near, free talent with nothing to offer stays below it.
RELEVANCE_FEATURES = ("semantic", "lexical", "skills")


@dataclass(frozen=True, slots=True)
class FeatureContribution:
    """One line of a score breakdown: the feature's value, what it added to the score,
    and a sentence for people in Chinese and English."""

    feature: str
    value: float
    contribution: float
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One need × talent pair as ranked for a query (``rank`` counts from 1 over the
    whole ranking, so page 2 starts at ``offset + 1``)."""

    need_id: int
    talent_id: int
    score: float
    rank: int
    breakdown: tuple[FeatureContribution, ...]
    #: Which scorer ranked this list: ``"hand"`` (the configured weights) or a learned
    #: ranker's label such as ``"learned:532322:v3"``; the breakdown's contributions
    #: are that scorer's.
    scorer: str = "hand"

    def contribution(self, feature: str) -> float:
        return sum(line.contribution for line in self.breakdown if line.feature == feature)


@dataclass(frozen=True, slots=True)
class PairExplanation:
    """A pair explained in full: its score breakdown and the hard constraints it fails."""

    need_id: int
    talent_id: int
    score: float
    breakdown: tuple[FeatureContribution, ...]
    violations: tuple[Violation, ...]

    @property
    def feasible(self) -> bool:
        return not self.violations


def relevance(breakdown: Iterable[FeatureContribution], weights: Mapping[str, float]) -> float:
    """The hand-weighted sum of a breakdown's :data:`RELEVANCE_FEATURES` values: the
    same for a pair whichever scorer ranked it (a learned ranker's contributions are on
    another scale; the values are not)."""
    return sum(
        float(weights.get(line.feature, 0.0)) * line.value
        for line in breakdown
        if line.feature in RELEVANCE_FEATURES
    )
