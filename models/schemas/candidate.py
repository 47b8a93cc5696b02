"""Ranked candidates and the "why not" answer, as the API returns them: every part typed,
so a generated client hands back models, not dictionaries."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class BreakdownLine(BaseModel):
    """One feature's part in a score, with the sentence that explains it."""

    feature: str = Field(description="Feature name, e.g. `skill_overlap`.")
    value: float = Field(description="The feature's value for this pair, usually 0–1.")
    contribution: float = Field(description="What the feature adds to the score.")
    zh: str = Field(description="The explanation in Chinese.")
    en: str = Field(description="The explanation in English.")


class ReasonLine(BaseModel):
    """One of the strongest reasons for a pair, as a plain sentence (no raw numbers)."""

    feature: str = Field(description="Which kind of reason, e.g. `skills`, `distance`.")
    zh: str = Field(description="The sentence in Chinese.")
    en: str = Field(description="The sentence in English.")


class TalentSummary(BaseModel):
    """A ranked talent, as a site or coordinator sees it in a candidate list."""

    id: int
    name: str
    category: str
    title_level: int
    degree_level: int
    skills: list[str]
    modes: list[str]
    home_county_code: str | None
    bio: str


class NeedSummary(BaseModel):
    """A ranked open need, as a talent sees it in a suggestion list."""

    id: int
    title: str
    description: str
    mode: str
    start_date: date
    end_date: date
    headcount: int
    site_id: int
    site_name: str
    county_code: str
    poverty_township: bool
    programme_code: str | None


class RankedBy(BaseModel):
    """Which scorer ranked the list, and the feedback that adjusted it."""

    scorer: str = Field(
        description="`hand` (the configured weights) or a learned ranker, "
        "`learned:<scope>:v<version>`; the breakdown's contributions are this scorer's."
    )
    kind: str = Field(description="`hand` or `learned`.")
    feedback: list[str] = Field(
        description="Features whose weight this site's recent decline and rejection "
        "reasons raised (e.g. `distance`)."
    )
    zh: str = Field(description="The same in Chinese, for people.")
    en: str = Field(description="The same in English, for people.")


class CandidateRead(BaseModel):
    """One ranked answer: a talent (for a need's candidates) or a need (for a talent's
    suggestions), never both."""

    rank: int
    score: float
    breakdown: list[BreakdownLine]
    talent: TalentSummary | None = None
    need: NeedSummary | None = None
    fit: int = Field(0, ge=0, le=100, description="The score as a fit from 0 to 100.")
    reasons: list[ReasonLine] = Field(
        default_factory=list, description="The three strongest reasons, strongest first."
    )
    ranked_by: RankedBy | None = None


class ViolationRead(BaseModel):
    """A hard constraint the pair fails."""

    constraint: str
    zh: str
    en: str


class WhyNotRead(BaseModel):
    need_id: int
    talent_id: int
    feasible: bool
    violations: list[ViolationRead]
    score: float
    breakdown: list[BreakdownLine]
    fit: int = Field(0, ge=0, le=100, description="Fit 0–100; 0 when a constraint fails.")
    reasons: list[ReasonLine] = Field(
        default_factory=list, description="Top reasons; empty when a constraint fails."
    )
    talent_name: str = ""
