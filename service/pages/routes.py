"""Page routes, one module per resource like ``service/api/`` and ``service/usecases/``.
Each page calls the same use case as its API twin; this module gathers their routers."""

from __future__ import annotations

from fastapi import APIRouter

from service.pages import (
    account,
    county_targets,
    entries,
    exports,
    glossary,
    home,
    imports,
    ledger,
    map,
    matches,
    messages,
    needs,
    notifications,
    people,
    privacy,
    profile,
    progress,
    queue,
    reference,
    runs,
    suggestions,
    talents,
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
    county_targets,
    map,
    exports,
    users,
    reference,
    imports,
    privacy,
    entries,
    ledger,
    people,
    notifications,
    talents,
    glossary,
)

router = APIRouter(include_in_schema=False)
for _module in MODULES:
    router.include_router(_module.router)
