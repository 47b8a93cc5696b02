"""The matching engine as the service holds it: one fitted ``Matcher`` per process,
kept in step with the database.

Before answering, ``sync`` compares a cheap watermark (latest change times and row
counts) with the one it last saw, and re-reads only the profiles changed since; edits
made by another process (an import from the CLI) are picked up the same way. Open needs
only are offered to talents. Embeddings are cached on disk by text hash, so a restart
re-encodes nothing that did not change."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.ranker import LearnedScorer
from matching.results import PairExplanation, Recommendation
from matching.types import Mode, NeedProfile, TalentProfile
from models import Match, Need, Pairing, ServiceRecord, Talent
from models.enums import NeedStatus
from service.impressions import ImpressionBuffer
from service.profiles import install_category_names, need_profiles, talent_profiles
from service.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Watermark:
    need_changed: datetime | None
    talent_changed: datetime | None
    match_changed: datetime | None
    needs: int
    talents: int
    matches: int
    # Pairings and service records change a talent's continuity and history features.
    pairing_changed: datetime | None = None
    pairings: int = 0
    record_changed: datetime | None = None
    records: int = 0

    def went_back(self, seen: Watermark) -> bool:
        """Rows deleted or a transaction rolled back: chasing single changes would miss
        what disappeared, so the caller rebuilds."""
        pairs = (
            (self.need_changed, seen.need_changed),
            (self.talent_changed, seen.talent_changed),
            (self.match_changed, seen.match_changed),
            (self.pairing_changed, seen.pairing_changed),
            (self.record_changed, seen.record_changed),
        )
        if any(now is None and before is not None for now, before in pairs):
            return True
        if any(now is not None and before is not None and now < before for now, before in pairs):
            return True
        return (
            self.needs < seen.needs
            or self.talents < seen.talents
            or self.matches < seen.matches
            or self.pairings < seen.pairings
            or self.records < seen.records
        )


def _watermark(session: Session) -> Watermark:
    need_max, need_n = session.execute(select(func.max(Need.updated_at), func.count(Need.id))).one()
    talent_max, talent_n = session.execute(
        select(func.max(Talent.updated_at), func.count(Talent.id))
    ).one()
    match_max, match_n = session.execute(
        select(func.max(Match.updated_at), func.count(Match.id))
    ).one()
    pairing_max, pairing_n = session.execute(
        select(func.max(Pairing.updated_at), func.count(Pairing.id))
    ).one()
    record_max, record_n = session.execute(
        select(func.max(ServiceRecord.created_at), func.count(ServiceRecord.id))
    ).one()
    return Watermark(
        need_max,
        talent_max,
        match_max,
        need_n,
        talent_n,
        match_n,
        pairing_max,
        pairing_n,
        record_max,
        record_n,
    )


def _frozen(values: Sequence[str] | None) -> frozenset[str] | None:
    return frozenset(values) if values is not None else None


# Rows whose change can change a recommendation.
_TRACKED = ("Need", "Talent", "AvailabilityWindow", "Match", "ServiceRecord", "Pairing")


def track_changes(sessions: Any, engine: MatchingEngine) -> None:
    """Mark ``engine`` dirty after any commit of ``sessions`` that touched a tracked row,
    so this process's own changes show in the very next recommendation."""
    from sqlalchemy import event

    def _after_flush(session: Session, _context: Any) -> None:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if type(obj).__name__ in _TRACKED:
                session.info["rencai_touched"] = True
                return

    def _after_commit(session: Session) -> None:
        if session.info.pop("rencai_touched", False):
            engine.mark_dirty()

    def _after_rollback(session: Session) -> None:
        session.info.pop("rencai_touched", None)

    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "after_commit", _after_commit)
    event.listen(sessions, "after_soft_rollback", lambda s, _t: _after_rollback(s))


class MatchingEngine:
    # Recent answers kept per engine state; a change to the data starts a new state.
    CACHE_SIZE = 2048

    def __init__(self, settings: Settings, *, show_progress: bool = False) -> None:
        install_category_names()
        self.settings = settings
        self.show_progress = show_progress
        self._lock = threading.RLock()
        self._dirty = True
        self._checked_at = 0.0
        self._cache: OrderedDict[tuple[Any, ...], list[Recommendation]] = OrderedDict()
        self._matcher: Any = None
        self._seen: Watermark | None = None
        self._open_need_ids: set[int] = set()
        self._talent_ids: set[int] = set()
        self.fit_seconds: float | None = None
        self.impressions = ImpressionBuffer(
            max_rows=settings.impression_flush_rows, max_seconds=settings.impression_flush_seconds
        )
        self.rankers = RankerShelf(settings.resolved_ranker_dir, enabled=settings.ranker_enabled)

    # ---------------------------------------------------------------- state
    @property
    def fitted(self) -> bool:
        return self._matcher is not None

    def fit(self, session: Session) -> None:
        """(Re)build from the database: every open need and every active talent."""
        from matching.matcher import Matcher

        started = time.perf_counter()
        with self._lock:
            mark = _watermark(session)
            needs = [n for n in need_profiles(session, self._open_ids(session))]
            talents = talent_profiles(session)
            config = self.settings.matching_config(show_progress=self.show_progress)
            matcher = Matcher(config).fit(needs, talents)
            self._matcher = matcher
            self._open_need_ids = {n.id for n in needs}
            self._talent_ids = {t.id for t in talents}
            self._seen = mark
            self._cache.clear()
            self._dirty = False
            self._checked_at = time.monotonic()
        # A fitted engine holds millions of long-lived objects; moving them out of the
        # collector's reach spares every later request a multi-second full collection.
        gc.collect()
        gc.freeze()
        self.fit_seconds = time.perf_counter() - started
        log.info(
            "matching engine fitted: %d needs, %d talents in %.1f s",
            len(needs),
            len(talents),
            self.fit_seconds,
        )

    @staticmethod
    def _open_ids(session: Session) -> list[int]:
        return list(session.scalars(select(Need.id).where(Need.status == NeedStatus.OPEN)))

    def mark_dirty(self) -> None:
        """Something this process committed may change recommendations: check the
        database before the next answer instead of waiting for the interval."""
        self._dirty = True

    def sync(self, session: Session, *, force: bool = False) -> None:
        """Bring the fitted state up to date with the database. The watermark is read
        when this process committed a change, or every ``engine_sync_seconds`` for
        changes made by other processes; it is read outside the lock, so answers from
        the current state go on meanwhile."""
        if self._matcher is None or self._seen is None:
            with self._lock:
                if self._matcher is None or self._seen is None:
                    self.fit(session)
            return
        due = time.monotonic() - self._checked_at >= self.settings.engine_sync_seconds
        if not (force or self._dirty or due):
            return
        if self.rankers.refresh():
            self._cache.clear()
        mark = _watermark(session)
        with self._lock:
            self._dirty = False
            self._checked_at = time.monotonic()
            seen = self._seen
            assert seen is not None
            if mark == seen:
                return
            if mark.went_back(seen):
                # Another thread may have applied newer changes after this mark was read.
                mark = _watermark(session)
                if mark == self._seen:
                    return
                if mark.went_back(seen):
                    self.fit(session)
                    return
            self._cache.clear()
            self._apply_need_changes(session, seen)
            self._apply_talent_changes(session, seen)
            self._seen = mark

    def _cached(self, key: tuple[Any, ...], compute: Any) -> list[Recommendation]:
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        value = list(compute())
        self._cache[key] = value
        if len(self._cache) > self.CACHE_SIZE:
            self._cache.popitem(last=False)
        return value

    def _apply_need_changes(self, session: Session, seen: Watermark) -> None:
        stmt = select(Need.id, Need.status)
        if seen.need_changed is not None:
            stmt = stmt.where(Need.updated_at > seen.need_changed)
        changed = list(session.execute(stmt))
        if not changed:
            return
        gone = [
            nid
            for nid, status in changed
            if status != NeedStatus.OPEN and nid in self._open_need_ids
        ]
        fresh = [nid for nid, status in changed if status == NeedStatus.OPEN]
        if gone:
            self._matcher.remove_needs(gone)
            self._open_need_ids.difference_update(gone)
        if fresh:
            profiles = need_profiles(session, fresh)
            self._upsert(
                profiles, self._open_need_ids, self._matcher.add_needs, self._matcher.update_needs
            )

    def _apply_talent_changes(self, session: Session, seen: Watermark) -> None:
        ids: set[int] = set()
        stmt = select(Talent.id)
        if seen.talent_changed is not None:
            stmt = stmt.where(Talent.updated_at > seen.talent_changed)
        ids.update(session.scalars(stmt))
        # A decision on a match changes the talent's load and declines.
        match_stmt = select(Match.talent_id)
        if seen.match_changed is not None:
            match_stmt = match_stmt.where(Match.updated_at > seen.match_changed)
        ids.update(session.scalars(match_stmt))
        # A pairing changes the continuity of every talent of its institution.
        pairing_stmt = select(Pairing.institution_id)
        if seen.pairing_changed is not None:
            pairing_stmt = pairing_stmt.where(Pairing.updated_at > seen.pairing_changed)
        institutions = set(session.scalars(pairing_stmt))
        if institutions:
            ids.update(
                session.scalars(select(Talent.id).where(Talent.institution_id.in_(institutions)))
            )
        # Completed service feeds a talent's history.
        record_stmt = select(Match.talent_id).join(
            ServiceRecord, ServiceRecord.match_id == Match.id
        )
        if seen.record_changed is not None:
            record_stmt = record_stmt.where(ServiceRecord.created_at > seen.record_changed)
        ids.update(session.scalars(record_stmt))
        if not ids:
            return
        profiles = talent_profiles(session, sorted(ids))
        gone = (ids - {p.id for p in profiles}) & self._talent_ids
        if gone:
            self._matcher.remove_talents(sorted(gone))
            self._talent_ids.difference_update(gone)
        self._upsert(
            profiles, self._talent_ids, self._matcher.add_talents, self._matcher.update_talents
        )

    @staticmethod
    def _upsert(
        profiles: Sequence[NeedProfile] | Sequence[TalentProfile],
        known: set[int],
        add: Any,
        update: Any,
    ) -> None:
        new = [p for p in profiles if p.id not in known]
        old = [p for p in profiles if p.id in known]
        if new:
            add(new)
        if old:
            update(old)
        known.update(p.id for p in new)

    # ---------------------------------------------------------------- queries
    def recommend_talents(
        self,
        session: Session,
        need: NeedProfile,
        *,
        k: int,
        offset: int = 0,
        counties: Sequence[str] | None = None,
        modes: Sequence[str] | None = None,
        categories: Sequence[str] | None = None,
        boost: Mapping[str, float] | None = None,
    ) -> list[Recommendation]:
        """Ranked by the learned ranker of the need's county, else the prefecture's,
        where one passed the guardrail; else by the hand weights. ``boost``: feedback
        weights (``service.feedback``)."""
        with self._lock:
            self.sync(session)
            scorer = self.rankers.scorer_for(need.county)
            key = (
                "talents",
                need,
                k,
                offset,
                _frozen(counties),
                _frozen(modes),
                _frozen(categories),
                scorer.label if scorer else None,
                tuple(sorted((boost or {}).items())),
            )
            return self._cached(
                key,
                lambda: self._matcher.recommend_talents(
                    need,
                    k,
                    offset=offset,
                    counties=counties,
                    modes=[Mode(m) for m in modes] if modes else None,
                    categories=categories,
                    scorer=scorer,
                    boost=boost,
                ),
            )

    def recommend_talents_many(
        self,
        session: Session,
        needs: Sequence[NeedProfile],
        ks: Sequence[int],
        boosts: Sequence[Mapping[str, float] | None],
    ) -> list[list[Recommendation]]:
        """``recommend_talents`` for many needs at once (a batch run): the same lists,
        searched as one matrix; the answer cache is neither read nor filled."""
        with self._lock:
            self.sync(session)
            scorers = [self.rankers.scorer_for(need.county) for need in needs]
            return self._matcher.recommend_talents_many(  # type: ignore[no-any-return]
                needs, ks, scorers=scorers, boosts=boosts
            )

    def recommend_needs(
        self,
        session: Session,
        talent: TalentProfile,
        *,
        k: int,
        offset: int = 0,
        counties: Sequence[str] | None = None,
        modes: Sequence[str] | None = None,
        programmes: Sequence[str] | None = None,
    ) -> list[Recommendation]:
        with self._lock:
            self.sync(session)
            # A talent's suggestions span counties: the prefecture's ranker, if any.
            scorer = self.rankers.scorer_for(None)
            key = (
                "needs",
                talent,
                k,
                offset,
                _frozen(counties),
                _frozen(modes),
                _frozen(programmes),
                scorer.label if scorer else None,
            )
            return self._cached(
                key,
                lambda: self._matcher.recommend_needs(
                    talent,
                    k,
                    offset=offset,
                    counties=counties,
                    modes=[Mode(m) for m in modes] if modes else None,
                    programmes=programmes,
                    scorer=scorer,
                ),
            )

    def explain(
        self,
        session: Session,
        need: NeedProfile,
        talent: TalentProfile,
        *,
        boost: Mapping[str, float] | None = None,
    ) -> PairExplanation:
        """The pair explained by the scorer that ranks the need's list."""
        with self._lock:
            self.sync(session)
            return self._matcher.explain(  # type: ignore[no-any-return]
                need, talent, scorer=self.rankers.scorer_for(need.county), boost=boost
            )


class RankerShelf:
    """The learned rankers saved under one folder, reloaded when a training adds a
    version. Only those whose manifest says they beat the hand weights on held-out
    decisions are used; a corrupt or mismatched one is refused (logged, kept in
    ``problems``) and its scope keeps the hand weights."""

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.root = root
        self.enabled = enabled
        self._signature: tuple[tuple[str, int], ...] | None = None
        self.active: dict[str, LearnedScorer] = {}
        self.problems: dict[str, str] = {}
        self.kept_hand: dict[str, str] = {}
        self.refresh()

    def _current_signature(self) -> tuple[tuple[str, int], ...]:
        from matching import ranker_store

        return tuple(
            (scope, ranker_store.versions_of(self.root, scope)[-1])
            for scope in ranker_store.scopes(self.root)
        )

    def refresh(self) -> bool:
        """Reload when the saved versions changed; True when something changed."""
        if not self.enabled:
            return False
        from matching import ranker_store

        signature = self._current_signature()
        if signature == self._signature:
            return False
        active: dict[str, LearnedScorer] = {}
        problems: dict[str, str] = {}
        kept: dict[str, str] = {}
        for scope, _version in signature:
            try:
                loaded = ranker_store.load_latest(self.root, scope)
            except ranker_store.RankerArtefactError as exc:
                log.error("learned ranker of %s refused, hand weights kept: %s", scope, exc)
                problems[scope] = str(exc)
                continue
            if loaded is None:
                continue
            if loaded.beats_hand:
                active[scope] = loaded.scorer
            else:
                kept[scope] = str(loaded.manifest.get("guardrail", {}).get("why", ""))
        self.active, self.problems, self.kept_hand = active, problems, kept
        self._signature = signature
        return True

    def scorer_for(self, county: str | None) -> LearnedScorer | None:
        """The county's ranker; the prefecture's for a county with no ranker of its own;
        None (hand weights) where the county's own ranker lost to the hand weights or
        was refused — the prefecture's was never judged on that county alone."""
        from matching.ranker_store import PREFECTURE

        if not self.enabled:
            return None
        if county and county in self.active:
            return self.active[county]
        if county and (county in self.kept_hand or county in self.problems):
            return None
        return self.active.get(PREFECTURE)
