"""Logging in: the credentials, the token issued, and who the token belongs to."""

from __future__ import annotations

from pydantic import BaseModel, Field


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=200)


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
