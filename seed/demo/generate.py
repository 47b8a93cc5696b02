"""The deterministic demo population: institutions, sites, needs, talents, pairings.

``generate_population(n_sites=…, n_talents=…, seed=…, reference=…)`` draws everything
from one ``random.Random(seed)``, walks only lists and tuples (never sets or dicts keyed
by hash-randomised strings in an order that matters), and so returns identical output for
identical input in any process. Each entity has its module (``institutions``, ``sites``,
``needs``, ``talents`` with ``windows`` and ``bios``, ``pairings``); they share one
:class:`~seed.demo.context.GenState` and run in this order, which fixes the draws.
"""

from __future__ import annotations

from seed.demo.context import GenState
from seed.demo.institutions import institutions as make_institutions
from seed.demo.needs import needs as make_needs
from seed.demo.pairings import pairings as make_pairings
from seed.demo.records import DemoReference, Population
from seed.demo.sites import sites as make_sites
from seed.demo.talents import talents as make_talents


def generate_population(
    *, n_sites: int, n_talents: int, seed: int, reference: DemoReference
) -> Population:
    """A deterministic demo population of about ``2.25 × n_sites`` needs.

    Same arguments → the same records, field for field, in any process.
    """
    if n_sites < 0 or n_talents < 0:
        raise ValueError("n_sites and n_talents must be ≥ 0")
    g = GenState(reference, seed)
    institutions = make_institutions(g)
    site_ctx = make_sites(g, n_sites)
    needs, hard = make_needs(g, site_ctx)
    talents, fit_nothing, reasons = make_talents(g, n_talents, needs)
    pairings = make_pairings(g, site_ctx)
    return Population(
        institutions=institutions,
        sites=[sc.site for sc in site_ctx],
        needs=needs,
        talents=talents,
        pairings=pairings,
        hard_need_ids=tuple(hard),
        fit_nothing_talent_ids=tuple(fit_nothing),
        fit_nothing_reasons=reasons,
    )
