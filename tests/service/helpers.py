"""Small builders the HTTP tests share."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Talent, User
from models.enums import Role
from service.usecases import accounts
from tests.conftest import DEMO_PASSWORD


def need_body(**overrides: Any) -> dict[str, Any]:
    start = date.today() + timedelta(days=20)
    body: dict[str, Any] = {
        "title": "核桃提质增效关键时节技术指导",
        "description": "我乡核桃种植面积大，近年病虫害多发、产量下降，想请农技推广专家在采收前"
        "来现场指导修剪、施肥和病虫害绿色防控，并给种植户开展培训。",
        "skills": ["agri.extension"],
        "mode": "onsite_short",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=240)).isoformat(),
        "headcount": 1,
        "days_needed": 5,
    }
    body.update(overrides)
    return body


def talent_user(session: Session, talent_id: int) -> str:
    """A login for the talent (created once per test transaction)."""
    username = f"t{talent_id}"
    if session.scalars(select(User).where(User.username == username)).first() is None:
        talent = session.get(Talent, talent_id)
        assert talent is not None
        accounts.create(
            session=session,
            username=username,
            password=DEMO_PASSWORD,
            role=Role.TALENT,
            display_name=talent.name,
            talent_id=talent_id,
        )
        session.commit()
    return username


def post_need(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/needs", json=need_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def first_candidate(
    client: TestClient, headers: dict[str, str], need_id: int, **params: Any
) -> dict[str, Any]:
    response = client.get(
        f"/api/v1/needs/{need_id}/candidates", params={"k": 5, **params}, headers=headers
    )
    assert response.status_code == 200, response.text
    found = response.json()
    assert found, "the demo population should offer at least one candidate"
    return dict(found[0])
