"""Logging in: the credentials, the token issued, and who the token belongs to."""

from __future__ import annotations

from pydantic import BaseModel, Field


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=200)


class PasswordChangeIn(BaseModel):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(
        min_length=1,
        max_length=200,
        description="At least 10 characters, not a common password, not containing the "
        "username; a refusal is 422 `weak_password` naming the rule.",
    )


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    role: str


class MeOut(BaseModel):
    id: int
    username: str
    role: str
    display_name: str
    site_id: int | None
    talent_id: int | None
    jurisdiction: str | None
    locale: str
