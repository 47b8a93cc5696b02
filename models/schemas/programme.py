from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CountingRead(BaseModel):
    """How the service counts matches toward a target. ``null`` in a list means "no
    restriction"."""

    talent_categories: list[str] | None = None
    modes: list[str] | None = None
    field_codes: list[str] | None = None
    site_types: list[str] | None = None
    institution_types: list[str] | None = None
    min_days: int | None = None
    poverty_township_only: bool = False
    poverty_county_only: bool = False
    home_county_match: bool = False
    count: str = Field(description="What one counted unit is (see reference data).")
    note: str = ""


class TargetRead(BaseModel):
    """One target as the plan states it; ``years`` lists the years it is tracked for
    (empty for a target without a yearly period). ``key`` is its stable key; ``same_as``
    the key of the target it states again; ``rolls_up`` the keys an umbrella sums up."""

    key: str
    same_as: str | None = None
    rolls_up: list[str] = []
    text: str
    value: float | None
    unit: str | None
    period: str
    approx: bool = False
    at_least: bool = False
    counting: CountingRead | None = Field(
        None, description="How matches count toward it; null when counted by hand."
    )
    years: list[int] = []


class ProgrammeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    kind: str
    number: int | None
    group_title: str | None
    title: str
    content: str
    lead_units: list[str]
    responsible_units: list[str]
    fields: list[str]
    targets: list[TargetRead]


class ProgressRead(BaseModel):
    """One target's progress. ``key`` is the target's stable key; ``same_as`` lists the
    keys of rows stating the same figure again (counted here, once); ``lines`` the
    programme codes that state it; ``rolls_up`` the keys an umbrella sums up. With a
    county chosen, ``county_value`` is the county's own target and ``share`` is measured
    against it. ``achieved`` = ``achieved_matches`` + ``achieved_entries``."""

    key: str
    lines: list[str]
    same_as: list[str]
    rolls_up: list[str]
    county: str | None
    county_value: int | None
    achieved_matches: int
    achieved_entries: float
    entry_ids: list[str]
    programme_code: str
    programme_title: str
    programme_kind: str
    text: str
    value: float | None
    unit: str | None
    approx: bool
    at_least: bool
    year: int | None
    counted_by_hand: bool
    achieved: float
    share: float | None
    match_ids: list[int]
    by_county: dict[str, float]
