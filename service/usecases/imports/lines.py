"""A need row under a plan line is held to the line's rule, as a posted need is
(``line_rules.posting_breaks``): each part it breaks is reported at its cell, naming the
row, the column, the value and what the line expects, in words (names, not codes)."""

from __future__ import annotations

from typing import Any

from service.usecases import line_rules
from service.usecases.imports.context import Context
from service.usecases.imports.rows import RowReader
from service.usecases.imports.vocabulary import Vocab

# The column a broken part of the rule is reported at.
_COLUMNS = {
    "mode": "mode",
    "site_type": "site_external_id",
    "site_id": "site_external_id",
    "skills": "skills",
    "days_needed": "days_needed",
    "programme_code": "programme_code",
}


def _vocab(ctx: Context, field: str) -> Vocab | None:
    return {"mode": ctx.vocab.modes, "site_type": ctx.vocab.site_types}.get(
        field, ctx.vocab.skills if field == "skills" else None
    )


def _named(vocab: Vocab | None, codes: Any) -> str:
    items = codes if isinstance(codes, list | tuple) else [codes]
    if vocab is None:
        return "、".join(str(c) for c in items)
    return "、".join(vocab.labels.get(str(c)) or str(c) for c in items)


def _zh(ctx: Context, broken: line_rules.Broken) -> str:
    vocab = _vocab(ctx, broken.field)
    if broken.allowed:
        what = {"mode": "服务方式", "site_type": "单位类型", "skills": "技能领域"}[broken.field]
        verb = "至少包含" if broken.field == "skills" else "为"
        allowed = _named(vocab, broken.allowed)
        return f"{what}为“{_named(vocab, broken.value)}”，该行动措施要求{verb}以下之一：{allowed}"
    return broken.expected_zh


def check_need_line(row: RowReader, ctx: Context, values: dict[str, Any]) -> None:
    """Report each part of the line's rule the row's need breaks (nothing if none)."""
    code = values.get("programme_code")
    site = ctx.site_facts.get(row.get("site_external_id"))
    if not code or site is None:
        return
    county, site_type, poverty = site
    facts = line_rules.NeedFacts(
        county_code=county,
        mode=str(values["mode"]),
        site_type=site_type,
        days_needed=int(values["days_needed"]),
        skills=tuple(values.get("skills") or ()),
        poverty_township=poverty,
    )
    for broken in line_rules.posting_breaks(code, facts):
        if broken.field == "programme_code":
            row.issue(
                "programme_code",
                f"line {code} counts no matches (its figures are entered or registered); "
                "expected no line, or a line whose targets count matches",
                f"行动措施 {code} 的目标由录入或登记计数，不按对接统计；"
                "请不填项目代码，或改填按对接统计的行动措施",
            )
            continue
        row.issue(
            _COLUMNS.get(broken.field, "programme_code"),
            f"line {code}: {broken.field} {broken.value!r} breaks the line's rule; "
            f"expected {broken.expected_en}",
            f"不符合行动措施 {code} 的规则：{_zh(ctx, broken)}",
        )
