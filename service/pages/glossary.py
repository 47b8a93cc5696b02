"""Help pages: what each reason beside a candidate means (the glossary)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from service.auth import OptionalActorDep
from service.pages.render import render
from service.usecases.explain import GLOSSARY, glossary_example

router = APIRouter(include_in_schema=False)


@router.get("/help/reasons", response_class=HTMLResponse)
def reasons_glossary(request: Request, actor: OptionalActorDep) -> HTMLResponse:
    return render(
        request,
        "help_reasons.html",
        {"actor": actor, "entries": GLOSSARY, "example": glossary_example},
    )
