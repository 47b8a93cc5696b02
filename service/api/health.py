from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from models.schemas.health import HealthRead
from service.deps import SessionDep
from service.engine import MatchingEngine

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthRead)
def get_health(request: Request, session: SessionDep) -> HealthRead:
    """Liveness and readiness: the database answers; the engine is fitted or warming."""
    session.execute(text("SELECT 1"))
    engine: MatchingEngine = request.app.state.engine
    return HealthRead(status="ok", database="ok", engine="ready" if engine.fitted else "warming")
