from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text

from service.deps import SessionDep
from service.engine import MatchingEngine

router = APIRouter(tags=["health"])


class HealthRead(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]
    engine: Literal["ready", "warming"]


@router.get("/health", response_model=HealthRead)
def health(request: Request, session: SessionDep) -> HealthRead:
    """Liveness and readiness: the database answers; the engine is fitted or warming."""
    session.execute(text("SELECT 1"))
    engine: MatchingEngine = request.app.state.engine
    return HealthRead(status="ok", database="ok", engine="ready" if engine.fitted else "warming")
