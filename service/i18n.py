"""Every string a page shows goes through this one table: zh-CN first, English second."""

from __future__ import annotations

from typing import Literal

Locale = Literal["zh-CN", "en"]
LOCALES: tuple[Locale, ...] = ("zh-CN", "en")
DEFAULT_LOCALE: Locale = "zh-CN"

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (zh-CN, en)
    "app.name": ("人才对接", "Rencai Match"),
    "app.tagline": (
        "鼓励引导人才向艰苦贫困地区和基层一线流动",
        "Sending talent to hardship areas and the grassroots front line",
    ),
    "nav.home": ("首页", "Home"),
    "nav.programmes": ("行动方案", "Action plan"),
    "nav.login": ("登录", "Log in"),
    "nav.logout": ("退出", "Log out"),
    "nav.language": ("English", "中文"),
    "programmes.title": ("行动方案与目标任务", "Programmes and targets"),
    "programmes.goals": ("行动目标（每年）", "Yearly goals"),
    "programmes.measures": ("行动措施（任务分解表）", "Measures (task table)"),
    "programmes.content": ("主要内容", "Main content"),
    "programmes.targets": ("目标要求", "Targets"),
    "programmes.lead": ("牵头单位", "Lead units"),
    "programmes.responsible": ("责任单位", "Responsible units"),
    "programmes.source": ("依据", "Source"),
    "programmes.empty": (
        "尚未载入行动方案数据。请运行 rencai seed reference。",
        "The plan has not been loaded yet. Run `rencai seed reference`.",
    ),
    "target.approx": ("左右", "about"),
    "target.at_least": ("以上", "at least"),
    "home.stats.sites": ("基层单位", "Sites"),
    "home.stats.needs": ("开放需求", "Open needs"),
    "home.stats.talents": ("人才", "Talents"),
    "home.stats.matches": ("对接", "Matches"),
    "error.title": ("出错了", "Something went wrong"),
    "error.back": ("返回首页", "Back to the home page"),
    "error.fields": ("请检查以下字段", "Please check these fields"),
}


def translate(key: str, locale: str) -> str:
    """The message for ``key`` in ``locale``; an unknown key shows itself so a gap is
    visible, never a crash."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    return pair[1] if locale == "en" else pair[0]


def pick_locale(query_value: str | None, cookie_value: str | None, accept_language: str) -> Locale:
    for candidate in (query_value, cookie_value):
        if candidate in LOCALES:
            return candidate  # type: ignore[return-value]
    if accept_language.lower().startswith("en"):
        return "en"
    return DEFAULT_LOCALE
