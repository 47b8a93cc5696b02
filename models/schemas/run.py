"""Batch matching runs: what starts one and the run as read back with its report."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class RunCreate(BaseModel):
    county: str | None = Field(
        None,
        max_length=40,
        description="County code or name (双柏县). Omit (null) to run every county: "
        "prefecture coordinators and admins only.",
    )
    mode: Literal["optimal", "stable"] = "optimal"
    dry_run: bool = Field(
        False,
        description="A preview: compute and list the placements, write no proposals; "
        "POST /runs/{id}/confirm writes exactly them.",
    )
    candidates_per_need: int = Field(30, ge=1, le=200)


class RunProgress(BaseModel):
    phase: str | None = Field(
        description="candidates, solve, report, check, write or done; null while queued"
    )
    done: int
    total: int
    percent: int = Field(ge=0, le=100)
    cancel_requested: bool


class RunRead(BaseModel):
    id: int
    county_code: str | None
    mode: str
    status: str = Field(description="queued, running, succeeded, failed or cancelled")
    dry_run: bool
    started_at: datetime
    finished_at: datetime | None
    created_by: int | None
    progress: RunProgress
    preview_of: int | None = Field(
        None, description="For a confirmation: the preview (dry run) whose placements it writes."
    )
    report: dict[str, Any] | None = Field(
        description="The run's report: counts, per-county figures and, for a failed run, "
        "the error. Free-form JSON by design: its keys follow the matching mode and may "
        "grow between releases; clients should read the keys they know and ignore others.",
        json_schema_extra={"x-free-form": True},
    )


class RunProposalRead(BaseModel):
    need_id: int
    need: str
    site: str
    county: str
    talent: str
    score: float
