"""The county map: open needs and placements per county and township."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from service.deps import SessionDep
from service.i18n import translate
from service.pages import charts
from service.pages.common import PageActorDep
from service.pages.render import render, request_locale
from service.usecases import views

router = APIRouter(include_in_schema=False)


@router.get("/map", response_class=HTMLResponse, response_model=None)
def map_page(request: Request, session: SessionDep, actor: PageActorDep) -> Response:
    data = views.map_counts(session=session, actor=actor)
    locale = request_locale(request)
    english = locale == "en"
    svg = charts.county_map(
        data,
        english=english,
        title=translate("map.title", locale),
        labels={
            "open": translate("map.open_needs", locale),
            "placed": translate("map.placements", locale),
        },
    )
    townships: dict[str, list[views.TownshipPoint]] = {}
    for t in data.townships:
        townships.setdefault(t.county_code, []).append(t)
    return render(
        request,
        "map.html",
        {
            "actor": actor,
            "data": data,
            "svg": svg,
            "marks": charts.legend_marks(),
            "townships": townships,
        },
    )
