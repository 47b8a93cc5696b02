"""Ranked candidates and the "why not" answer, as the API returns them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class CandidateRead(BaseModel):
    rank: int
    score: float
    breakdown: list[dict[str, Any]]
    talent: dict[str, Any] | None = None
    need: dict[str, Any] | None = None


class WhyNotRead(BaseModel):
    need_id: int
    talent_id: int
    feasible: bool
    violations: list[dict[str, str]]
    score: float
    breakdown: list[dict[str, Any]]
