"""Every string a page shows is looked up here: t("key") in templates, translate(key, locale)
in code.

The words live in standard gettext catalogues managed with Babel, one per locale:
``service/locale/zh_CN/LC_MESSAGES/messages.po`` and ``service/locale/en/LC_MESSAGES/messages.po``
(msgid = the key, e.g. ``nav.home``; msgstr = the words). ``make install`` compiles them to
``messages.mo`` with ``pybabel compile``. When a ``.mo`` is missing, or older than its ``.po``
(a fresh ``git clone`` run without ``make install``, or a catalogue just edited), the ``.po`` is
compiled in memory on first use instead: the service never fails for want of a compiled file and
never shows stale words, and it writes nothing into its own package directory.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Literal

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

Locale = Literal["zh-CN", "en"]
LOCALES: tuple[Locale, ...] = ("zh-CN", "en")
DEFAULT_LOCALE: Locale = "zh-CN"

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
# The page's locale (BCP 47, as in <html lang>) -> the gettext catalogue's directory.
GETTEXT_LOCALE: dict[str, str] = {"zh-CN": "zh_CN", "en": "en"}

# Areas whose words are still a Python table (service/messages/<area>.py, key -> (zh-CN,
# English)) are registered here until tools/i18n_tables_to_po.py moves them into the
# catalogues; a table entry wins over the catalogue.
TABLES: dict[str, tuple[str, str]] = {}


def catalogue_path(locale: str, suffix: str = ".po") -> Path:
    code = GETTEXT_LOCALE.get(locale, GETTEXT_LOCALE[DEFAULT_LOCALE])
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@cache
def catalogue(locale: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``locale``: the ``.mo`` when it is current, else the ``.po``
    compiled in memory."""
    po = catalogue_path(locale)
    mo = catalogue_path(locale, ".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fp:
            return Translations(fp, domain=DOMAIN)
    with po.open("rb") as fp:
        catalog = read_po(fp, locale=GETTEXT_LOCALE.get(locale, "zh_CN"))
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


def translate(key: str, locale: str) -> str:
    """The message for ``key`` in ``locale``; an unknown key shows itself so a gap is
    visible, never a crash."""
    pair = TABLES.get(key)
    if pair is not None:
        return pair[1] if locale == "en" else pair[0]
    return catalogue(locale).gettext(key)


def has_message(key: str, locale: str) -> bool:
    """True when ``locale``'s catalogue (or a table) has non-empty words for ``key``."""
    if key in TABLES:
        return bool(TABLES[key][1 if locale == "en" else 0])
    return translate(key, locale) != key


def pick_locale(query_value: str | None, cookie_value: str | None, accept_language: str) -> Locale:
    for candidate in (query_value, cookie_value):
        if candidate in LOCALES:
            return candidate  # type: ignore[return-value]
    if accept_language.lower().startswith("en"):
        return "en"
    return DEFAULT_LOCALE
