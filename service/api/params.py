"""Shared parameter types. Ids are bounded to what a 64-bit integer column holds, so a
huge number is a 422 naming the parameter, never a database overflow."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from models.schemas.common import MAX_ID

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
