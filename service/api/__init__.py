"""The JSON API under /api/v1."""

from fastapi import APIRouter

from service.api import programmes

router = APIRouter(prefix="/api/v1")
router.include_router(programmes.router)
