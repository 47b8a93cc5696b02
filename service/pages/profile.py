"""A talent's own profile: skills, availability windows, modes, travel radius."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from models import Talent
from models.enums import Role
from models.schemas.talent import TalentUpdate
from service.actor import Actor, require
from service.deps import SessionDep
from service.pages.common import (
    FormDep,
    PageActorDep,
    field_messages,
    present,
    see_other,
    skill_groups,
    values,
)
from service.pages.render import render, request_locale
from service.usecases import talents
from service.usecases.reference import labels

router = APIRouter(include_in_schema=False)

_TEXT_FIELDS = (
    "bio",
    "title_level",
    "degree_level",
    "travel_radius_km",
    "capacity_concurrent",
    "capacity_days_per_year",
    "phone",
    "email",
)


# Empty rows are offered so a talent can add windows without any JavaScript.
_SPARE_WINDOWS = 2


def _profile_values(talent: Talent) -> dict[str, Any]:
    return {
        "bio": talent.bio,
        "title_level": str(talent.title_level),
        "degree_level": str(talent.degree_level),
        "travel_radius_km": f"{talent.travel_radius_km:g}",
        "capacity_concurrent": str(talent.capacity_concurrent),
        "capacity_days_per_year": str(talent.capacity_days_per_year),
        "phone": talent.phone or "",
        "email": talent.email or "",
        "skills": list(talent.skills),
        "modes": list(talent.modes),
        "licences": list(talent.licences),
        "languages": list(talent.languages),
        "windows": [(w.start_date.isoformat(), w.end_date.isoformat()) for w in talent.windows],
    }


def _profile_input(form: FormData) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    raw: dict[str, Any] = present(form, _TEXT_FIELDS)
    for name in ("skills", "modes", "licences", "languages"):
        raw[name] = values(form, name)
    rows = list(zip(form.getlist("window_start"), form.getlist("window_end"), strict=False))
    windows = [
        (str(s).strip(), str(e).strip()) for s, e in rows if str(s).strip() or str(e).strip()
    ]
    raw["windows"] = [{"start_date": s, "end_date": e} for s, e in windows]
    return raw, windows


def _context(
    actor: Actor,
    talent: Talent,
    values_: dict[str, Any],
    errors: dict[str, str],
    saved: bool = False,
) -> dict[str, Any]:
    windows = list(values_.get("windows") or [])
    return {
        "actor": actor,
        "talent": talent,
        "values": values_,
        "errors": errors,
        "saved": saved,
        "window_rows": windows + [("", "")] * _SPARE_WINDOWS,
        "skill_groups": skill_groups(),
        "modes": list(labels()["mode"]),
        "titles": list(labels()["title"]),
        "degrees": list(labels()["degree"]),
        "licences": list(labels()["licence"]),
        "languages": list(labels()["language"]),
    }


@router.get("/profile", response_class=HTMLResponse, response_model=None)
def profile(request: Request, session: SessionDep, actor: PageActorDep, saved: int = 0) -> Response:
    require(actor, Role.TALENT)
    assert actor.talent_id is not None
    talent = talents.get_or_raise(session=session, actor=actor, talent_id=actor.talent_id)
    return render(
        request, "profile.html", _context(actor, talent, _profile_values(talent), {}, bool(saved))
    )


@router.post("/profile", response_model=None)
def profile_save(
    request: Request, session: SessionDep, form: FormDep, actor: PageActorDep
) -> Response:
    require(actor, Role.TALENT)
    assert actor.talent_id is not None
    raw, windows = _profile_input(form)
    try:
        data = TalentUpdate.model_validate(raw)
        talents.update(session=session, actor=actor, talent_id=actor.talent_id, data=data)
    except ValidationError as exc:
        session.rollback()
        errors = field_messages(exc, request_locale(request))
    else:
        return see_other("/profile?saved=1")
    talent = talents.get_or_raise(session=session, actor=actor, talent_id=actor.talent_id)
    shown = {**raw, "windows": windows}
    return render(request, "profile.html", _context(actor, talent, shown, errors), status=422)
