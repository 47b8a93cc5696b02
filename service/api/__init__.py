"""The JSON API under /api/v1."""

from fastapi import APIRouter

from service.api import auth, candidates, matches, needs, programmes, talents

router = APIRouter(prefix="/api/v1")
for module in (auth, programmes, candidates, needs, talents, matches):
    router.include_router(module.router)
