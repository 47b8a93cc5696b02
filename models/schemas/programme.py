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
    (empty for a target without a yearly period)."""

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
    achieved: int
    share: float | None
    match_ids: list[int]
    by_county: dict[str, int]
