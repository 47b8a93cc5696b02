"""A year of demo decisions in the database, so that ``rencai ranker train`` and
``rencai ranker eval`` have something to learn from on the demo population (issue 15,
item 8).

The lists and their outcomes come from :mod:`seed.ranker_sim` (shown in the hand
weights' order, decided by its documented hidden preference with position bias). Each
simulated list is written as what the engine would have left behind:

- a **past need**: a closed copy of one of the site's demo needs, dated in the year
  before today (under no plan line, so it counts toward no target), so the current
  demo's needs, matches and progress stay as they were;
- one ``match_impression`` row per candidate (surface ``batch``: every list stands on
  its own), with the simulated feature values, rank and time, for real demo talents;
- a ``match`` row for each candidate someone decided on: ``completed`` when approved,
  ``cancelled`` after interest or a site accept, ``declined`` or ``rejected`` otherwise.
  No event rows: declines leave no reasons, so fast feedback is untouched.

This proves the machinery, not real-world gains: the feature values are simulated, not
the breakdowns of these pairs. Same arguments and population, same rows; a second load
adds nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from models import Match, MatchImpression, Need, Site, Talent
from models.enums import MatchOrigin, MatchStatus, NeedStatus
from seed.ranker_sim import Preference, simulate_decisions

PAST_PREFIX = "DEMO-PAST-"
SCORER = "hand"
_YEAR = timedelta(days=365)


@dataclass(frozen=True)
class DemoDecisions:
    lists: int
    needs: int
    impressions: int
    matches: int
    approved: int


def _status(gain: int, rng: np.random.Generator) -> str:
    if gain >= 2:
        return MatchStatus.COMPLETED.value
    if gain == 1:
        return MatchStatus.CANCELLED.value
    return MatchStatus.DECLINED.value if rng.random() < 0.6 else MatchStatus.REJECTED.value


def _past_needs(session: Session, count: int, today: date) -> dict[str, list[int]]:
    """Insert up to ``count`` closed copies of demo needs dated in the past year; their
    ids by county code."""
    table = Need.__table__
    rows = session.execute(
        select(table, Site.county_code)
        .join(Site, Site.id == table.c.site_id)
        .where(table.c.external_id.like("DEMO-N%"))
        .order_by(table.c.id)
        .limit(count)
    ).all()
    start = today - _YEAR
    copies: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        values = {
            k: v for k, v in row._mapping.items() if k in table.c and k not in ("id", "county_code")
        }
        begins = start + timedelta(days=(i * 7) % 300)
        values.update(
            external_id=f"{PAST_PREFIX}{i + 1:05d}",
            start_date=begins,
            end_date=begins + timedelta(days=30),
            status=NeedStatus.CLOSED.value,
            programme_code=None,
        )
        for stamp in ("created_at", "updated_at"):
            if stamp in values:
                values[stamp] = datetime.combine(begins, datetime.min.time(), UTC)
        copies.append(values)
    if copies:
        session.execute(insert(Need), copies)
    by_county: dict[str, list[int]] = {}
    for need_id, county in session.execute(
        select(Need.id, Site.county_code)
        .join(Site, Site.id == Need.site_id)
        .where(Need.external_id.like(f"{PAST_PREFIX}%"))
        .order_by(Need.id)
    ):
        by_county.setdefault(county or "", []).append(need_id)
    return by_county


def load_demo_decisions(
    *,
    session: Session,
    hand_weights: Mapping[str, float],
    lists: int = 1200,
    past_needs: int = 300,
    preference: Preference = "planted",
    seed: int = 2020,
    today: date | None = None,
) -> DemoDecisions:
    """Write ``lists`` simulated candidate lists of the year before ``today`` (see the
    module's docstring). Does nothing when demo decisions are already there or the
    database holds no demo needs or too few talents."""
    already = session.scalar(
        select(func.count()).select_from(Need).where(Need.external_id.like(f"{PAST_PREFIX}%"))
    )
    talent_ids = np.array(sorted(session.scalars(select(Talent.id))), dtype=np.int64)
    if already or len(talent_ids) < 20:
        return DemoDecisions(0, 0, 0, 0, 0)
    today = today or datetime.now(UTC).date()
    by_county = _past_needs(session, past_needs, today)
    if not by_county:
        return DemoDecisions(0, 0, 0, 0, 0)
    sim = simulate_decisions(
        n_lists=lists, hand_weights=hand_weights, preference=preference, seed=seed
    )
    # The simulated lists, spread evenly over the past year.
    t0, t1 = float(sim["time"].min()), float(sim["time"].max())
    begin = datetime.combine(today - _YEAR, datetime.min.time(), UTC).timestamp()
    when = begin + (sim["time"] - t0) * (_YEAR.total_seconds() - 86_400) / max(t1 - t0, 1.0)
    rng = np.random.default_rng(seed)
    impressions, matches = _rows(sim, when, by_county, talent_ids, rng)
    session.execute(insert(MatchImpression), impressions)
    if matches:
        session.execute(insert(Match), matches)
    return DemoDecisions(
        lists=lists,
        needs=sum(len(v) for v in by_county.values()),
        impressions=len(impressions),
        matches=len(matches),
        approved=sum(m["status"] == MatchStatus.COMPLETED.value for m in matches),
    )


def _rows(
    sim: dict[str, np.ndarray],
    when: np.ndarray,
    by_county: dict[str, list[int]],
    talent_ids: np.ndarray,
    rng: np.random.Generator,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    impressions: list[dict[str, Any]] = []
    matches: list[dict[str, Any]] = []
    taken: set[tuple[int, int]] = set()
    needs = [(n, county) for county, ids in sorted(by_county.items()) for n in ids]
    needs.sort()
    for group in np.unique(sim["group"]):
        rows = np.flatnonzero(sim["group"] == group)
        # Lists go round the past needs, so each need is shown to a fresh few talents
        # (a pair's outcome is read per need and talent) and scopes follow the demo's.
        need_id, county = needs[int(group) % len(needs)]
        fresh = (int(t) for t in rng.permutation(talent_ids) if (need_id, int(t)) not in taken)
        talents = list(itertools.islice(fresh, len(rows)))
        shown = datetime.fromtimestamp(float(when[rows[0]]), UTC)
        list_id = int(group) + 1 + (1 << 40)  # apart from the engine's random list ids
        for row, talent_id in zip(rows, talents, strict=False):
            impressions.append(
                {
                    "list_id": list_id,
                    "surface": "batch",
                    "need_id": need_id,
                    "talent_id": talent_id,
                    "rank": int(sim["rank"][row]),
                    "score": 0.0,
                    "scorer": SCORER,
                    "features": [round(float(v), 6) for v in sim["X"][row]],
                    "county_code": county,
                    "shown_at": shown,
                }
            )
            # A pair's outcome is read per (need, talent): shown once per need only.
            taken.add((need_id, talent_id))
            if not sim["decided"][row]:
                continue
            matches.append(
                {
                    "need_id": need_id,
                    "talent_id": talent_id,
                    "status": _status(int(sim["gain"][row]), rng),
                    "origin": MatchOrigin.BATCH.value,
                    "score": 0.0,
                    "breakdown": [],
                    "version": 1,
                    "created_at": shown,
                    "updated_at": shown,
                }
            )
    return impressions, matches
