"""The audit trail in words (issue 13): what was done, to which kind of record, and what
changed, in the reader's language. The trail stores codes (``match.approved``, ``talent``,
``{"status": "accepted"}``) for machines; a person downloading their personal data reads
"批准对接", "人才", "状态：已接受"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from service.i18n import has_message, translate

# Values are written as the caller's workbook writes a field (codes as names, times in a zone).
ValueWords = Callable[[str, Any], Any]


def _first_known(keys: list[str], locale: str) -> str:
    """The words of the first key the catalogue knows (the last key always has words)."""
    for key in keys[:-1]:
        if has_message(key, locale):
            return translate(key, locale)
    return translate(keys[-1], locale)


def action_words(action: str, locale: str) -> str:
    """``match.approved`` -> 批准对接; an action of a known family (``staffing.transfer``)
    by its family's words; any other as a change to a record, never as its code."""
    family = action.split(".", 1)[0]
    keys = [f"audit.action.{action}", f"audit.action.{family}", "audit.action.other"]
    return _first_known(keys, locale)


def entity_words(entity: str, locale: str) -> str:
    """``match_run`` -> 批量匹配; an unknown kind of record as 记录."""
    return _first_known([f"audit.entity.{entity}", "audit.entity.other"], locale)


def field_words(field: str, locale: str) -> str:
    """A stored field by name: the personal-data export's column words where it has them."""
    keys = [f"privacy.col.{field}", f"audit.field.{field}", "audit.field.other"]
    return _first_known(keys, locale)


def change_words(change: Any, locale: str, value_words: ValueWords) -> str:
    """A before/after copy as 状态：已接受；原因：…; nested copies in brackets; the list of
    fields an anonymisation cleared by their names."""
    if not isinstance(change, dict):
        return "" if change is None else str(change)
    colon, joiner = (": ", "; ") if locale == "en" else ("：", "；")
    return joiner.join(
        f"{field_words(field, locale)}{colon}{_value(field, value, locale, value_words)}"
        for field, value in change.items()
    )


def _value(field: str, value: Any, locale: str, value_words: ValueWords) -> str:
    comma = ", " if locale == "en" else "、"
    if isinstance(value, dict):
        inner = change_words(value, locale, value_words)
        return f"({inner})" if locale == "en" else f"（{inner}）"
    if field == "cleared" and isinstance(value, list):
        return comma.join(field_words(str(name), locale) for name in value)
    if value is None or value == "" or value == []:
        return "—"
    words = value_words(field, value)
    if isinstance(words, list):
        return comma.join(map(str, words))
    return str(words)
