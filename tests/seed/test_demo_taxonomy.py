"""The skills taxonomy covers what the demo's sites ask for (issue 15, item 6): every
demo need's own words name at least one skill, and the needs the taxonomy once could not
tag (留守儿童心理辅导, 菌子市场食品安全检测) are in the demo, tagged with the new skills."""

from __future__ import annotations

import pytest

from reference.taxonomy import load_taxonomy, skills_in_text
from seed.demo import Population, generate_population, reference_from_seed


@pytest.fixture(scope="module")
def pop() -> Population:
    return generate_population(
        n_sites=200, n_talents=600, seed=2020, reference=reference_from_seed()
    )


def test_every_demo_need_text_maps_to_a_skill(pop: Population) -> None:
    taxonomy = load_taxonomy()
    untagged = [
        (n.external_id, n.title)
        for n in pop.needs
        if not skills_in_text(taxonomy, f"{n.title}。{n.description}")
    ]
    assert untagged == []


def test_every_demo_need_asks_for_taxonomy_skills(pop: Population) -> None:
    codes = load_taxonomy().codes
    assert all(n.skills and set(n.skills) <= codes for n in pop.needs)


@pytest.mark.parametrize(
    ("skill", "words"),
    [("social.mental_health", "心理"), ("agri.food_safety", "食品安全")],
)
def test_new_skills_are_asked_for_and_offered(pop: Population, skill: str, words: str) -> None:
    asking = [n for n in pop.needs if skill in n.skills]
    assert asking, f"no demo need asks for {skill}"
    assert any(words in n.title + n.description for n in asking)
    assert any(skill in t.skills for t in pop.talents), f"no demo talent offers {skill}"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("乡村小学留守儿童心理辅导", "social.mental_health"),
        ("野生菌交易市场菌子食品安全检测", "agri.food_safety"),
        ("卫生院需要儿科医生每周坐诊两天", "health.pediatrics"),
    ],
)
def test_site_sentences_are_tagged(text: str, code: str) -> None:
    assert code in {leaf.code for leaf in skills_in_text(load_taxonomy(), text)}
