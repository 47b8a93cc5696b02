"""Template rendering with the user's locale and the shared layout."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

from service import timefmt
from service.i18n import has_message, pick_locale, translate
from service.pages.common import CSRF_COOKIE, csrf_token
from service.urls import here_with
from service.usecases.explain import fit_band
from service.usecases.reference import labels

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def _zone_of(context: Any) -> str:
    request = context.get("request")
    settings = getattr(getattr(getattr(request, "app", None), "state", None), "settings", None)
    return getattr(settings, "display_timezone", timefmt.DEFAULT_ZONE)


@pass_context
def when_filter(context: Any, value: datetime | None, seconds: bool = False) -> str:
    """``{{ x.created_at|when }}``: "2026年12月3日 16:35 北京时间" in the user's zone."""
    return timefmt.format_datetime(
        value, context.get("locale", "zh-CN"), _zone_of(context), seconds
    )


@pass_context
def day_filter(context: Any, value: date | datetime | None) -> str:
    """``{{ need.start_date|day }}``: "2026年12月3日" / "3 Dec 2026"."""
    return timefmt.format_date(value, context.get("locale", "zh-CN"), _zone_of(context))


@pass_context
def days_filter(context: Any, start: date | None, end: date | None) -> str:
    """``{{ need.start_date|days(need.end_date) }}``: a span of calendar dates."""
    return timefmt.format_range(start, end, context.get("locale", "zh-CN"))


_ATTRIBUTE = re.compile(r'\s*([A-Za-z][\w:-]*)(?:="([^"]*)")?')
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z][\w:-]*\Z")


def html_attrs(extra: Mapping[str, Any] | str | None) -> Markup:
    """Extra attributes of a form field, each value escaped once: ``{"min": 1}`` or the
    string ``'min="1" required'`` gives `` min="1" required`` (never ``min="&#34;1&#34;"``).
    True (or a bare name) writes a boolean attribute; False or None leaves it out."""
    if not extra:
        return Markup("")
    if isinstance(extra, str):
        if not _whole(extra):
            raise ValueError(f'form field attributes {extra!r}: expected name="value" pairs')
        pairs: list[tuple[str, Any]] = [
            (m[1], True if m[2] is None else m[2]) for m in _ATTRIBUTE.finditer(extra)
        ]
    else:
        pairs = list(extra.items())
    parts = []
    for name, value in pairs:
        if not _ATTRIBUTE_NAME.match(name):
            raise ValueError(f"form field attribute name {name!r}: expected letters, - or _")
        if value is True:
            parts.append(f" {name}")
        elif value is not False and value is not None:
            parts.append(f' {name}="{escape(str(value))}"')
    return Markup("".join(parts))  # nosec B704 # names checked, values escaped


def _whole(extra: str) -> bool:
    """True when ``extra`` is nothing but attributes (no stray quotes or brackets)."""
    return _ATTRIBUTE.sub("", extra).strip() == ""


def plan_word(kind: str, code: Any, fallback: Any, locale: str) -> str:
    """The plan's own words (programme titles, targets, units, organisations) are Chinese;
    an English page reads the catalogue's ``<kind>.<code>`` instead, when it has one."""
    if fallback is None:
        return ""
    key = f"{kind}.{code}"
    if locale == "en" and has_message(key, "en"):
        return translate(key, "en")
    return str(fallback)


def plan_list(kind: str, codes: Any, locale: str) -> str:
    """A list of the plan's names (lead units…), joined the way the language joins them."""
    joiner = ", " if locale == "en" else "、"
    return joiner.join(plan_word(kind, c, c, locale) for c in codes or ())


def programme_names(codes: Any, locale: str) -> str:
    """Lines of the plan by name (the catalogue's ``programme.<code>``), never by code."""
    joiner = ", " if locale == "en" else "、"
    names = []
    for code in codes or ():
        key = f"programme.{code}"
        names.append(translate(key, locale) if has_message(key, locale) else str(code))
    return joiner.join(names)


@cache
def _measure_group_codes() -> dict[str, str]:
    """The task table's group headings (（一）搭建人才…) -> their codes (g1…)."""
    from reference.programmes import load_programmes

    return {m.group.heading: m.group.code for m in load_programmes().measures}


def measure_group_word(heading: Any, locale: str) -> str:
    """A group heading of the task table as stored (Chinese), in the page's language: the
    catalogue's ``measure_group.<code>`` for a heading of the plan, the heading itself else."""
    code = _measure_group_codes().get(str(heading or ""))
    return plan_word("measure_group", code, heading, locale) if code else str(heading or "")


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.globals["LOCALES"] = ("zh-CN", "en")
    templates.env.globals["here_with"] = here_with
    templates.env.filters["when"] = when_filter
    templates.env.filters["day"] = day_filter
    templates.env.filters["days"] = days_filter
    templates.env.globals["html_attrs"] = html_attrs
    templates.env.globals["plan_word"] = plan_word
    templates.env.globals["plan_list"] = plan_list
    templates.env.globals["fit_band"] = fit_band
    templates.env.globals["programme_names"] = programme_names
    templates.env.globals["measure_group_word"] = measure_group_word
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


def verbatim(value: Any) -> Markup:
    """A login name, a person's name or a password, marked to be read as it is written
    (``translate="no"``): never translated, never taken for a code (tests/pages/code_scanner.py)."""
    return Markup('<span translate="no">{}</span>').format(value)


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    locale = request_locale(request)
    english = locale == "en"

    def t(key: str, **params: Any) -> str:
        message = translate(key, locale)
        if any(isinstance(v, Markup) for v in params.values()):
            # A name marked up by verbatim() keeps its markup inside the sentence.
            return escape(message).format(**params)
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
            "has_t": lambda key: has_message(key, locale),
            "verbatim": verbatim,
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
    actor, todo_count = _signed_in(request)
    return render(
        request,
        "error.html",
        {
            "status": status,
            "code": code,
            "message": message if locale == "en" else message_zh,
            "fields": [_field_row(f, locale) for f in fields],
            "actor": actor,
            "todo_count": todo_count,
        },
        status=status,
    )


_CJK = re.compile(r"[\u4e00-\u9fff]")
_FORM_PREFIXES = ("need.", "profile.", "records.", "users.", "ledger.field.", "password.field.")


def field_label(name: str, locale: str) -> str:
    """A field of an error in words: ``profile.end_date`` → 结束日期; the key itself never."""
    last = re.split(r"[.\]\[]+", name.strip(".]"))[-1] if name else ""
    keys = [name, f"field.{name}", f"field.{last}", *(p + last for p in _FORM_PREFIXES)]
    for key in keys:
        if key and has_message(key, locale):
            return translate(key, locale)
    return translate("error.field.unnamed", locale)


def _field_row(field: dict[str, Any], locale: str) -> dict[str, str]:
    """One line of an error page: the field's label and, on a Chinese page, the message
    only when it is Chinese (the API's field messages are English)."""
    message = str(field.get("message", ""))
    if locale != "en" and not _CJK.search(message):
        message = translate("error.field.check", locale)
    return {"field": field_label(str(field.get("field", "")), locale), "message": message}


def _signed_in(request: Request) -> tuple[Any, int]:
    """The person behind the request's session cookie and their to-do count, so an error
    page keeps that person's menu; (None, 0) when nobody is signed in or the database
    cannot answer (an error page must still render)."""
    from service.auth import optional_actor

    database = getattr(request.app.state, "database", None)
    if database is None or not request.cookies:
        return None, 0
    try:
        with database.session() as session:
            actor = optional_actor(request, session, request.app.state.settings)
        return actor, (_todo_count(request, actor) if actor is not None else 0)
    except SQLAlchemyError:
        return None, 0
