"""The JSON API under /api/v1."""

from fastapi import APIRouter

from service.api import auth, candidates, matches, needs, programmes, runs, talents

router = APIRouter(prefix="/api/v1")
for module in (auth, programmes, candidates, needs, talents, matches, runs):
    router.include_router(module.router)
