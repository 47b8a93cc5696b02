"""Programme progress against the plan's targets, as charts and a table."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from service import policy
from service.actor import Actor
from service.deps import SessionDep
from service.errors import AppError
from service.i18n import translate
from service.pages import charts
from service.pages.common import PageActorDep
from service.pages.render import plan_word, render, request_locale
from service.usecases import views
from service.usecases.progress import progress

router = APIRouter(include_in_schema=False)


@router.get("/progress", response_class=HTMLResponse, response_model=None)
def progress_page(
    request: Request,
    session: SessionDep,
    actor: PageActorDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    county: str | None = None,
) -> Response:
    policy.require_coordinator(actor)
    year = year or date.today().year
    county = policy.county_scope(actor, county)
    locale = request_locale(request)
    try:
        items = progress(session=session, year=year, county=county)
    except AppError as error:
        if error.status != 422:
            raise
        return _unknown_county(request, actor, session, year)
    english = locale == "en"
    county_list = views.counties(session=session)
    names = {c.code: (c.name_en if english else c.name) for c in county_list}
    # One row per target: a figure the plan states twice is one target (its key).
    seen: set[str] = set()
    counted = []
    for p in items:
        if not p.counted_by_hand and p.key not in seen:
            seen.add(p.key)
            counted.append(p)
    area = names[county] if county else translate("runs.prefecture", locale)
    heading = translate("browse.progress.heading", locale).format(area=area, year=year)
    # The plan's targets and units in the reader's language (the table reads the same).
    label = {p.key: plan_word("target", p.key, p.text, locale) for p in counted}
    bullets = charts.bullet_list(
        [
            charts.Bar(label[p.key], p.achieved, p.county_value if county else p.value)
            for p in counted
        ],
        title=heading,
        unit_of=[plan_word("unit", p.unit, p.unit or "", locale) for p in counted],
    )
    by_county = [
        (
            label[p.key],
            charts.bullet_list(
                [
                    charts.Bar(names[c.code], p.by_county.get(c.code, 0))
                    for c in county_list
                    if county in (None, c.code)
                ],
                title=label[p.key],
            ),
        )
        for p in counted
        if p.achieved
    ]
    return render(
        request,
        "progress.html",
        {
            "actor": actor,
            "items": items,
            "bullets": bullets,
            "heading": heading,
            # Inside a sentence: "cover the whole prefecture", not "cover Whole prefecture".
            "area_in_sentence": names[county] if county else _whole_prefecture(locale),
            "area": area,
            "by_county": by_county,
            "year": year,
            "county": county or "",
            "counties": county_list,
            "years": sorted({*request.app.state.settings.plan_years, year}),
            "fixed_county": policy.has_fixed_county(actor),
        },
    )


def _unknown_county(request: Request, actor: Actor, session: Session, year: int) -> Response:
    """The page for a county that does not exist: the filters and a plain sentence, no
    table that could read as "nothing achieved" (422)."""
    return render(
        request,
        "progress.html",
        {
            "actor": actor,
            "items": [],
            "bullets": "",
            "by_county": [],
            "year": year,
            "county": "",
            "counties": views.counties(session=session),
            "years": sorted({*request.app.state.settings.plan_years, year}),
            "fixed_county": policy.has_fixed_county(actor),
            "notice": translate("progress.unknown_county", request_locale(request)),
        },
        status=422,
    )


def _whole_prefecture(locale: str) -> str:
    from service.places import county_words

    zh, en = county_words(None)
    return en if locale == "en" else zh
