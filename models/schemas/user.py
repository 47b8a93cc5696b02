"""User accounts as the admin creates and reads them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from models.enums import Role


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
