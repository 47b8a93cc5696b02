"""What the matcher returns: ranked recommendations with their score breakdown."""

from __future__ import annotations

from dataclasses import dataclass

from matching.constraints import Violation


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
