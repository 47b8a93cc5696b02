"""Deterministic demo population for Rencai Match: realistic sites, needs, talents,
institutions and pairings in 楚雄州, with varied natural-Chinese texts.

``generate_population`` takes the reference data as a parameter (``DemoReference``);
``reference_from_seed`` builds one from :mod:`reference`.
"""

from seed.demo.adapter import reference_from_seed
from seed.demo.generate import generate_population
from seed.demo.records import (
    DemoInstitution,
    DemoNeed,
    DemoPairing,
    DemoReference,
    DemoSite,
    DemoTalent,
    Population,
    RefCode,
    RefCounty,
    RefProgramme,
    RefRule,
    RefSkill,
    RefTownship,
)

__all__ = [
    "DemoInstitution",
    "DemoNeed",
    "DemoPairing",
    "DemoReference",
    "DemoSite",
    "DemoTalent",
    "Population",
    "RefCode",
    "RefCounty",
    "RefProgramme",
    "RefRule",
    "RefSkill",
    "RefTownship",
    "generate_population",
    "reference_from_seed",
]
