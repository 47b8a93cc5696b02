"""Page routes, one module per resource like ``service/api/`` and ``service/usecases/``.
Each page calls the same use case as its API twin; this module gathers their routers."""

from __future__ import annotations

from fastapi import APIRouter

from service.pages import (
    account,
    exports,
    home,
    imports,
    map,
    matches,
    messages,
    needs,
    privacy,
    profile,
    progress,
    queue,
    reference,
    runs,
    suggestions,
    users,
)

MODULES = (
    home,
    account,
    needs,
    matches,
    messages,
    profile,
    suggestions,
    queue,
    runs,
    progress,
    map,
    exports,
    users,
    reference,
    imports,
    privacy,
)

router = APIRouter(include_in_schema=False)
for _module in MODULES:
    router.include_router(_module.router)
