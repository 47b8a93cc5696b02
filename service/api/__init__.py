"""The JSON API under /api/v1."""

from fastapi import APIRouter

from service.api import auth, candidates, health, matches, needs, programmes, runs, talents

router = APIRouter(prefix="/api/v1")
for module in (health, auth, programmes, candidates, needs, talents, matches, runs):
    router.include_router(module.router)
