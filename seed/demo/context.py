"""The state one demo generation run shares: the random stream, the resolved reference
data and the draw tables built from it, and the records later entities refer to."""

from __future__ import annotations

import random
from dataclasses import dataclass

from seed.demo import catalog
from seed.demo.domains import (
    ANIMALS,
    COUNTY_ANIMALS,
    COUNTY_CROPS,
    COUNTY_PRODUCTS,
    CROPS,
    FUNGI,
    PRODUCTS,
)
from seed.demo.draw import Weighted, county_key, search_text
from seed.demo.grammar import pick
from seed.demo.profiles import NEED_MODE_WEIGHTS
from seed.demo.records import DemoInstitution, DemoReference, DemoSite, RefCounty
from seed.demo.resolve import resolve

_FALLBACK_REGIONS = ["532301", "532322", "532323", "532324", "532325", "532326", "532327", "532328"]


@dataclass(slots=True)
class SiteCtx:
    """A generated site with the archetype, county and local words its needs draw on."""

    site: DemoSite
    archetype: catalog.SiteArchetype
    county: RefCounty
    county_short: str  # 大姚县 → 大姚
    crop: str
    animal: str
    product: str
    fungus: str


class GenState:
    """Everything the entity generators share. Every draw goes through ``rng``, in the
    order the entities are generated, so the output depends on the seed alone."""

    def __init__(self, reference: DemoReference, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ref = resolve(reference)
        self.bbox = reference.bbox
        self.anchor_cache: dict[tuple[str, str], tuple[str, ...]] = {}
        skill_hay = {s.code: search_text(s.name_zh, *s.keywords) for s in reference.skills}
        self.skill_hay = skill_hay
        self.craft_skill = next(
            (c for c, hay in skill_hay.items() if "能工巧匠" in hay or "craftsman" in c), None
        )
        self.archetypes = [
            a
            for a in catalog.SITE_ARCHETYPES
            if any(k in self.ref.domain_skills for k, _ in a.domains)
        ]
        self.arch_draw = Weighted([(a.key, a.weight) for a in self.archetypes])
        self.arch_by_key = {a.key: a for a in self.archetypes}
        self.domain_by_key = {d.key: d for d in self.ref.domains}
        self.arch_domain_draw = {
            a.key: Weighted([(k, w) for k, w in a.domains if k in self.ref.domain_skills])
            for a in self.archetypes
        }
        self.mode_draw = {k: Weighted(v) for k, v in NEED_MODE_WEIGHTS.items()}
        self.region_codes = [
            c.code for c in self.ref.counties if len(c.code) == 6 and c.code.startswith("5323")
        ] or list(_FALLBACK_REGIONS)
        # Filled in by the institutions step; talents and pairings refer to them.
        self.inst_specs: list[catalog.InstitutionSpec] = []
        self.inst_records: list[DemoInstitution] = []

    def county_vocab(self, county: RefCounty) -> tuple[str, str, str, str]:
        """A crop, an animal, a product and a fungus, mostly ones the county is known for."""
        rng = self.rng
        key = county_key(county.name)
        crop = (
            pick(rng, COUNTY_CROPS.get(key, ()))
            if rng.random() < 0.75 and key in COUNTY_CROPS
            else pick(rng, [c for c, _ in CROPS])
        )
        animal = (
            pick(rng, COUNTY_ANIMALS[key])
            if key in COUNTY_ANIMALS and rng.random() < 0.7
            else pick(rng, ANIMALS)
        )
        product = (
            pick(rng, COUNTY_PRODUCTS[key])
            if key in COUNTY_PRODUCTS and rng.random() < 0.7
            else pick(rng, PRODUCTS)
        )
        fungus = FUNGI[0] if key == "南华" and rng.random() < 0.4 else pick(rng, FUNGI)
        return crop, animal, product, fungus
