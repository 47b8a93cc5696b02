"""The JSON API under /api/v1."""

from fastapi import APIRouter

from service.api import (
    auth,
    candidates,
    county_targets,
    health,
    institutions,
    matches,
    messages,
    needs,
    notifications,
    people,
    privacy,
    programme_entries,
    programmes,
    registers,
    runs,
    sites,
    talents,
    todo,
    trainings,
    users,
)

router = APIRouter(prefix="/api/v1")
for module in (
    health,
    auth,
    county_targets,  # before programmes, whose /programmes/{code} would shadow it
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
    programme_entries,
    registers,
    trainings,
    people,
    notifications,
    todo,
):
    router.include_router(module.router)
