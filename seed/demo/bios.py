"""The facts a demo talent's bio is written from: employer, department, school, major,
years of work, home and the local words (crop, animal, product, fungus, nickname)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from seed.demo import catalog, text
from seed.demo.context import GenState
from seed.demo.domains import Domain, Topic
from seed.demo.grammar import pick
from seed.demo.profiles import CROP_SEASON, FIELD_CROPS, NICKNAMES, TREE_CROPS
from seed.demo.records import RefCounty

_TEACHER_MAJORS = {"数学": "数学与应用数学", "英语": "英语", "语文": "汉语言文学"}


@dataclass(frozen=True, slots=True)
class BioFacts:
    """Who the talent is, as drawn for the record; the bio adds colour to these."""

    cat: str
    dom: Domain
    topic: Topic
    name: str
    age: int
    title: int
    degree: int
    inst: catalog.InstitutionSpec | None
    home: RefCounty | None
    anchor: RefCounty
    township: str
    subject: str
    licence_names: Sequence[str]


def _crop_for_topic(rng: random.Random, crop: str, topic: str) -> str:
    if topic == "orchard" and crop not in TREE_CROPS:
        return pick(rng, TREE_CROPS)
    if topic == "field_crops" and crop in TREE_CROPS:
        return pick(rng, FIELD_CROPS)
    return crop


def _workplace(rng: random.Random, f: BioFacts) -> tuple[str, str | None]:
    """The employer's name and institution kind (None for a local unit)."""
    if f.inst is not None:
        return f.inst.name, f.inst.kind
    if f.cat == "gp":
        return f"{f.anchor.name}{f.township}卫生院", None
    return pick(rng, text.DOMAIN_LOCAL_UNITS[f.dom.key]).format(county=f.anchor.name), None


def _dept(rng: random.Random, dom: Domain, inst_kind: str | None) -> str:
    if inst_kind in ("university", "research") or (
        inst_kind == "hospital3" and dom.key in ("health", "elderly")
    ):
        return pick(rng, dom.depts) if dom.depts else ""
    return ""


def _schools(cat: str) -> Sequence[str]:
    return {
        "gp": text.MEDICAL_SCHOOLS,
        "phd": text.PHD_SCHOOLS,
        "teacher": text.TEACHER_SCHOOLS,
    }.get(cat, text.SCHOOLS)


def bio_ctx(g: GenState, f: BioFacts) -> dict[str, str]:
    rng = g.rng
    age = f.age
    crop, animal, product, fungus = g.county_vocab(f.anchor)
    if f.dom.key == "crops":
        crop = _crop_for_topic(rng, crop, f.topic.key)
    inst_name, inst_kind = _workplace(rng, f)
    dept = _dept(rng, f.dom, inst_kind)
    years = max(1, min(age - 22, rng.randint(max(3, (age - 24) // 2), max(4, age - 23))))
    grad_year = min(2025, 2025 - (age - 22))
    school = pick(rng, _schools(f.cat))
    home_place = (f.home or f.anchor).name + (f.township if rng.random() < 0.4 else "")
    major = pick(rng, text.DOMAIN_MAJORS[f.dom.key])
    if f.cat == "teacher":
        major = _TEACHER_MAJORS.get(f.subject, major)
    title_name = (
        text.title_name(f.dom.title_series, f.title, inst_kind) if f.title else "专业技术人员"
    )
    return {
        "name": f.name,
        "inst": inst_name,
        "dept": dept,
        "title_name": title_name,
        "degree_name": text.DEGREE_NAMES[f.degree],
        "years": str(years),
        "age": str(age),
        "retire_year": str(min(2024, 2025 - age + 60)),
        "return_year": str(rng.randint(2016, 2024)),
        "grad_year": str(grad_year),
        "school": school,
        "major": major,
        "home_place": home_place,
        "county_place": f.anchor.name + f.township,
        "county": f.anchor.name,
        "township": f.township,
        "subject": f.subject,
        "lic_name": f.licence_names[0] if f.licence_names else "执业医师资格",
        "crop": crop,
        "crop_season": CROP_SEASON.get(crop, "关键时节"),
        "animal": animal,
        "product": product,
        "fungus": fungus,
        "alt": "2000",
        "nickname": pick(rng, NICKNAMES[f.dom.key]).format(
            crop=crop, animal=animal, product=product, fungus=fungus
        ),
        "site": inst_name,
        "site_kind": "单位",
    }
