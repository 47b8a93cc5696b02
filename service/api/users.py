from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from models.enums import Role
from models.schemas.page import Page
from models.schemas.user import UserCreate, UserRead
from service.auth import ActorDep
from service.deps import SessionDep
from service.usecases import accounts

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", response_model=Page[UserRead])
def list_users(
    actor: ActorDep,
    session: SessionDep,
    role: Role | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[UserRead]:
    """Accounts, for the admin."""
    return accounts.list_(session=session, actor=actor, role=role, offset=offset, limit=limit)


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
