"""The JSON API under /api/v1."""

from fastapi import APIRouter

from service.api import (
    auth,
    candidates,
    health,
    institutions,
    matches,
    messages,
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
    messages,
    matches,
    runs,
    users,
    privacy,
    todo,
):
    router.include_router(module.router)
