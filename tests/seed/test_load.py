"""Loading reference and demo data into the database is idempotent."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import County, Need, Programme, Site, Talent, Target, Township
from seed.demo import generate_population, reference_from_seed
from seed.load import load_reference
from seed.load_demo import load_population


def _counts(session: Session) -> dict[str, int]:
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (County, Township, Programme, Target, Site, Need, Talent)
    }


def test_reference_load_twice_changes_nothing(session: Session) -> None:
    before = _counts(session)
    target_ids = set(session.scalars(select(Target.id)))
    result = load_reference(session=session)
    session.flush()
    assert _counts(session) == before
    assert set(session.scalars(select(Target.id))) == target_ids, "targets were not recreated"
    assert (result.counties, result.programmes) == (10, 21)


def test_yearly_targets_have_one_row_per_year(session: Session) -> None:
    rows = session.execute(
        select(Target.year, Target.value, Target.unit)
        .join(Programme)
        .where(Programme.code == "technicians_frontline")
        .order_by(Target.year)
    ).all()
    assert [r.year for r in rows] == list(range(2020, 2027))
    assert {(r.value, r.unit) for r in rows} == {(1000.0, "名")}


def test_demo_load_twice_duplicates_nothing(session: Session) -> None:
    # More than the session's shared demo population, so the first load adds rows.
    population = generate_population(
        n_sites=60, n_talents=500, seed=99, reference=reference_from_seed()
    )
    known = set(session.scalars(select(Talent.external_id)))
    first = load_population(population, session=session)
    assert first.talents == len({t.external_id for t in population.talents} - known) > 0
    counts = _counts(session)
    again = load_population(population, session=session)
    assert (again.sites, again.needs, again.talents, again.windows) == (0, 0, 0, 0)
    assert _counts(session) == counts
