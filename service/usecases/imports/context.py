"""What validation needs from the database, read once per import: the counties and
townships by every name people write them with, the programme codes, and the ids of
the sites or institutions that rows refer to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import County, Institution, Programme, Site, Township
from service.usecases.columns import Kind
from service.usecases.imports.cells import norm
from service.usecases.imports.rows import HINTS_KEY, RowReader
from service.usecases.imports.vocabulary import Vocabularies, load_vocabularies


@dataclass
class Context:
    """What validation needs from the database, read once per import."""

    vocab: Vocabularies
    counties: dict[str, County]
    county_by_name: dict[str, str]
    townships: dict[tuple[str, str], Township]
    programme_codes: set[str]
    programme_titles: dict[str, str] = field(default_factory=dict)  # code → title
    site_ids: dict[str, int] = field(default_factory=dict)
    # external id → (county code, site type, poverty township), for the line rules
    site_facts: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    institution_ids: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, kind: Kind) -> Context:
        counties = {c.code: c for c in session.scalars(select(County))}
        by_name: dict[str, str] = {}
        for county in counties.values():
            for name in (county.name, county.former_name, county.name_en, county.code):
                if name:
                    by_name.setdefault(norm(name), county.code)
            # 双柏 for 双柏县, 楚雄 for 楚雄市
            short = re.sub(r"(彝族自治县|自治县|县|市)$", "", county.name)
            if short:
                by_name.setdefault(norm(short), county.code)
        townships: dict[tuple[str, str], Township] = {}
        for township in session.scalars(select(Township)):
            townships.setdefault((township.county_code, norm(township.name)), township)
            short = re.sub(
                r"(((彝|傣|傈僳|苗|白|回|哈尼|壮|民)族)?[乡镇]|街道(办事处)?)$", "", township.name
            )
            if short:
                townships.setdefault((township.county_code, norm(short)), township)
        _add_english_townships(townships)
        context = cls(
            vocab=load_vocabularies(),
            counties=counties,
            county_by_name=by_name,
            townships=townships,
            programme_codes=set(session.scalars(select(Programme.code))),
            programme_titles={
                code: title
                for code, title in session.execute(
                    select(Programme.code, Programme.title).order_by(
                        Programme.sort_order, Programme.id
                    )
                )
            },
        )
        if kind == "needs":
            for ext, id_, site_county, site_type, poverty in session.execute(
                select(
                    Site.external_id,
                    Site.id,
                    Site.county_code,
                    Site.site_type,
                    Site.poverty_township,
                )
            ):
                context.site_ids[ext] = id_
                context.site_facts[ext] = (site_county, site_type, bool(poverty))
        if kind == "talents":
            for id_, ext, name in session.execute(
                select(Institution.id, Institution.external_id, Institution.name)
            ):
                context.institution_ids.setdefault(norm(name), id_)
                context.institution_ids[norm(ext)] = id_
        return context

    def schema_context(self) -> dict[str, Any]:
        return {
            "county_codes": set(self.counties),
            "site_types": set(self.vocab.site_types.codes),
            "talent_categories": set(self.vocab.talent_categories.codes),
            "skill_codes": set(self.vocab.skills.codes),
            "programme_codes": self.programme_codes,
            HINTS_KEY: {
                "county": "、".join(c.name for c in self.counties.values()),
                "site type": self.vocab.site_types.hint(limit=40),
                "talent category": self.vocab.talent_categories.hint(limit=40),
                "skill": self.vocab.skills.hint(limit=20),
                "programme": "、".join(list(self.programme_titles.values())[:12])
                + ("…" if len(self.programme_titles) > 12 else ""),
            },
        }

    def programme(self, text: str) -> str:
        """A programme line by its code or its title (as the templates write it)."""
        if text in self.programme_codes:
            return text
        wanted = norm(text)
        found = next((c for c, t in self.programme_titles.items() if norm(t) == wanted), None)
        return found or text


def county_code(row: RowReader, ctx: Context, code_key: str, name_key: str) -> str | None:
    code_text, name_text = row.get(code_key), row.get(name_key)
    code: str | None = None
    if code_text:
        code = code_text if code_text in ctx.counties else ctx.county_by_name.get(norm(code_text))
        if code is None:
            names = "、".join(c.name for c in ctx.counties.values())
            row.issue(
                code_key,
                f"unknown county code {code_text!r}; expected a county code or one of {names}",
                f"无法识别的县市代码“{code_text}”，应为县市代码或：{names}",
            )
            return None
    if name_text:
        by_name = ctx.county_by_name.get(norm(name_text))
        if by_name is None:
            names = "、".join(c.name for c in ctx.counties.values())
            row.issue(
                name_key,
                f"unknown county {name_text!r}; expected one of {names}",
                f"无法识别的县市“{name_text}”，应为：{names}",
            )
            return None
        if code is not None and code != by_name:
            row.issue(
                name_key,
                f"county {name_text!r} does not match county code {code_text!r}",
                f"县市“{name_text}”与县市代码“{code_text}”不一致",
            )
            return None
        code = by_name
    return code


def _add_english_townships(townships: dict[tuple[str, str], Township]) -> None:
    """Each township by its pinyin too (Lucheng for 鹿城镇), as an English export writes it;
    the reference data's names, for the townships the database holds."""
    import reference

    divisions = reference.load_divisions()
    for (county, _name), township in list(townships.items()):
        try:
            found = divisions.find_township(county, township.name)
        except KeyError:
            continue
        if found is not None and found.en:
            townships.setdefault((county, norm(found.en)), township)
