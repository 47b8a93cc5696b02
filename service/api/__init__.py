"""The JSON API under /api/v1."""

from fastapi import APIRouter

from service.api import (
    auth,
    candidates,
    health,
    institutions,
    matches,
    needs,
    privacy,
    programmes,
    runs,
    sites,
    talents,
    todo,
    users,
)

router = APIRouter(prefix="/api/v1")
for module in (
    health,
    auth,
    programmes,
    candidates,
    sites,
    needs,
    talents,
    institutions,
    matches,
    runs,
    users,
    privacy,
    todo,
):
    router.include_router(module.router)
