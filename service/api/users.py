from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select

from models import User
from models.enums import Role
from models.schemas.page import Page
from service.auth import ActorDep, require
from service.deps import SessionDep
from service.usecases import accounts

router = APIRouter(prefix="/users", tags=["users"])


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    role: str
    display_name: str
    site_id: int | None
    talent_id: int | None
    jurisdiction: str | None
    locale: str
    active: bool
    created_at: datetime


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=60, pattern=r"^[A-Za-z0-9_.\-]+$")
    # The policy (length, common passwords, username) is checked by the use case, whose
    # refusal names the rule: service/passwords.py.
    password: str = Field(
        min_length=1,
        max_length=200,
        description="At least 10 characters, not a common password, not containing the "
        "username; a refusal is 422 `weak_password` naming the rule.",
    )
    role: Role
    display_name: str = Field(min_length=1, max_length=60)
    site_id: int | None = Field(None, ge=1, le=2**63 - 1)
    talent_id: int | None = Field(None, ge=1, le=2**63 - 1)
    jurisdiction: str | None = Field(None, max_length=12)


@router.get("", response_model=Page[UserRead])
def list_users(
    actor: ActorDep,
    session: SessionDep,
    role: Role | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[UserRead]:
    """Accounts, for the admin."""
    require(actor, Role.ADMIN)
    stmt = select(User)
    if role:
        stmt = stmt.where(User.role == role.value)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(User.id).offset(offset).limit(limit))
    return Page(
        items=[UserRead.model_validate(u) for u in rows], total=total, offset=offset, limit=limit
    )


@router.post("", response_model=UserRead, status_code=201)
def create_user(body: UserCreate, actor: ActorDep, session: SessionDep) -> UserRead:
    return UserRead.model_validate(
        accounts.register(
            session=session,
            actor=actor,
            username=body.username,
            password=body.password,
            role=body.role,
            display_name=body.display_name,
            site_id=body.site_id,
            talent_id=body.talent_id,
            jurisdiction=body.jurisdiction,
        )
    )
