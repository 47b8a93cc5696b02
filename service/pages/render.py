"""Template rendering with the user's locale and the shared layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import SQLAlchemyError

from service.i18n import pick_locale, translate
from service.pages.common import CSRF_COOKIE, csrf_token
from service.urls import here_with
from service.usecases.explain import fit_band
from service.usecases.reference import labels

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.globals["LOCALES"] = ("zh-CN", "en")
    templates.env.globals["here_with"] = here_with
    templates.env.globals["fit_band"] = fit_band
    return templates


def request_locale(request: Request) -> str:
    return pick_locale(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language", ""),
    )


def unread_notifications(request: Request, actor: Any) -> int:
    """The count in the navigation; a page that cannot count shows none."""
    from service.usecases.notifications import unread_count

    if actor is None or not hasattr(actor, "id"):
        return 0
    try:
        with request.app.state.database.session() as session:
            return unread_count(session=session, actor=actor)
    except SQLAlchemyError:  # an error page must still render
        return 0


def _todo_count(request: Request, actor: Any) -> int:
    """The number shown beside "待办" in the navigation."""
    from service.usecases import todo

    with request.app.state.database.session() as session:
        return todo.for_actor(session=session, actor=actor).count


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    locale = request_locale(request)
    english = locale == "en"

    def t(key: str, **params: Any) -> str:
        message = translate(key, locale)
        return message.format(**params) if params else message

    def label(kind: str, code: Any) -> str:
        """The display name of a vocabulary code (skill, mode, category…)."""
        pair = labels().get(kind, {}).get(str(code))
        if pair is None:
            return str(code)
        return pair[1] if english else pair[0]

    def say(zh: str, en: str) -> str:
        """Pick the sentence in the user's language from a zh/en pair the engine wrote."""
        return en if english else zh

    token = csrf_token(request)
    if context.get("actor") is not None and "todo_count" not in context:
        context = {**context, "todo_count": _todo_count(request, context["actor"])}
    response = templates.TemplateResponse(
        request,
        template,
        {
            "t": t,
            "label": label,
            "say": say,
            "locale": locale,
            "csrf_token": token,
            "actor": None,
            "unread_notifications": lambda: unread_notifications(request, context.get("actor")),
            **context,
        },
        status_code=status,
    )
    if request.query_params.get("lang") == locale:
        response.set_cookie("lang", locale, max_age=365 * 24 * 3600, samesite="lax")
    if getattr(request.state, "new_csrf", None) and not request.cookies.get(CSRF_COOKIE):
        secure = request.app.state.settings.secure_cookies
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", secure=secure)
    return response


def render_error_page(
    request: Request,
    status: int,
    code: str,
    message: str,
    message_zh: str,
    fields: list[dict[str, Any]],
) -> HTMLResponse:
    locale = request_locale(request)
    return render(
        request,
        "error.html",
        {
            "status": status,
            "code": code,
            "message": message if locale == "en" else message_zh,
            "fields": fields,
        },
        status=status,
    )
