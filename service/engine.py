"""The matching engine as the service holds it: one fitted ``Matcher`` per process,
kept in step with the database by a background thread.

``sync`` compares a cheap watermark (latest change times and row counts) with the one it
last saw, re-reads only the profiles changed since into a working copy, and publishes a
read-only snapshot of it; queries read the published snapshot only. Edits made by
another process (an import from the CLI) are picked up the same way. Open needs
only are offered to talents. Embeddings are cached on disk by text hash, so a restart
re-encodes nothing that did not change."""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.constraints import TalentArrays
from matching.pair_scores import RankedTalents
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


def _latest_and_count(session: Session, changed: Any, table: Any) -> tuple[Any, int]:
    """The newest change and the row count of one table, as two scalar subqueries: each
    answered from an index, where ``max(..), count(..)`` in one select read all of a
    100,000-row index (50 ms, on every round of the background thread)."""
    latest = select(func.max(changed)).scalar_subquery()
    count = select(func.count()).select_from(table).scalar_subquery()
    found = session.execute(select(latest, count)).one()
    return found[0], int(found[1] or 0)


def _watermark(session: Session) -> Watermark:
    need_max, need_n = _latest_and_count(session, Need.updated_at, Need)
    talent_max, talent_n = _latest_and_count(session, Talent.updated_at, Talent)
    match_max, match_n = _latest_and_count(session, Match.updated_at, Match)
    pairing_max, pairing_n = _latest_and_count(session, Pairing.updated_at, Pairing)
    record_max, record_n = _latest_and_count(session, ServiceRecord.created_at, ServiceRecord)
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


def _mark_to_json(mark: Watermark) -> dict[str, Any]:
    return {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in asdict(mark).items()
    }


def _mark_from_json(saved: Any) -> Watermark:
    """The watermark a saved state was fitted at (KeyError/TypeError/ValueError when
    it is not one)."""
    values: dict[str, Any] = {}
    for name in Watermark.__dataclass_fields__:
        value = saved[name]
        values[name] = (
            datetime.fromisoformat(value) if name.endswith("_changed") and value else value
        )
    return Watermark(**values)


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

    engine.attach(sessions)
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "after_commit", _after_commit)
    event.listen(sessions, "after_soft_rollback", lambda s, _t: _after_rollback(s))


@dataclass
class _Snapshot:
    """What a query reads: one fitted state, never edited after it is published, and
    the answers computed from it."""

    matcher: Any
    seen: Watermark
    generation: int
    cache: OrderedDict[tuple[Any, ...], list[Recommendation]] = field(default_factory=OrderedDict)
    cache_lock: threading.Lock = field(default_factory=threading.Lock)


class MatchingEngine:
    """Queries read the published snapshot and never touch the database. A background
    thread (started on the first query once the engine knows its session factory,
    ``attach``) applies changes to a working copy and publishes a new snapshot: this
    process's commits at once (``mark_dirty`` wakes it, and a query made after such a
    commit waits for it, so a site sees its own edit), other processes' within
    ``engine_sync_seconds``. Without a session factory (the command line, scripts) a
    query brings the engine up to date itself, as it always did."""

    # Recent answers kept per snapshot; a change to the data publishes a new one.
    CACHE_SIZE = 2048

    def __init__(self, settings: Settings, *, show_progress: bool = False) -> None:
        install_category_names()
        self.settings = settings
        self.show_progress = show_progress
        # Held while the working copy is edited and a snapshot published; never by a
        # query that has a snapshot.
        self._lock = threading.RLock()
        self._encoder: Any = None  # over the database's embedding cache, when shared
        self._checked_at = 0.0
        self._matcher: Any = None  # the working copy, edited under _lock only
        self._seen: Watermark | None = None
        self._snapshot: _Snapshot | None = None
        slots = settings.lists_at_once
        self._list_slots = threading.BoundedSemaphore(slots) if slots > 0 else None
        self._generation = 0
        self._open_need_ids: set[int] = set()
        self._talent_ids: set[int] = set()
        # Commits of this process seen (wanted) and included in the snapshot (applied).
        self._wanted = 0
        self._applied = 0
        self._progress = threading.Condition()
        self._wake = threading.Event()
        self._sessions: Any = None
        self._syncer: threading.Thread | None = None
        self._stopped = threading.Event()
        self.fit_seconds: float | None = None
        self.impressions = ImpressionBuffer(
            max_rows=settings.impression_flush_rows, max_seconds=settings.impression_flush_seconds
        )
        self.rankers = RankerShelf(settings.resolved_ranker_dir, enabled=settings.ranker_enabled)
        # The (day, needs' watermark) at which this process last swept expired needs
        # and found none (``service.usecases.expiry.expire_before_listing``).
        self.expiry_swept: tuple[Any, ...] | None = None

    # ---------------------------------------------------------------- state
    @property
    def fitted(self) -> bool:
        return self._snapshot is not None

    @property
    def generation(self) -> int:
        """Number of the published snapshot (0 before the first fit)."""
        snapshot = self._snapshot
        return snapshot.generation if snapshot is not None else 0

    @property
    def _cache(self) -> OrderedDict[tuple[Any, ...], list[Recommendation]]:
        """The current snapshot's answers (clearing it forgets them)."""
        snapshot = self._snapshot
        return snapshot.cache if snapshot is not None else OrderedDict()

    def fit(self, session: Session) -> None:
        """(Re)build from the database: every open need and every active talent."""
        from matching.matcher import Matcher

        started = time.perf_counter()
        with self._lock:
            wanted = self._wanted
            mark = _watermark(session)
            needs = [n for n in need_profiles(session, self._open_ids(session))]
            talents = talent_profiles(session)
            config = self.settings.matching_config(show_progress=self.show_progress)
            matcher = Matcher(config, encoder=self._shared_encoder(config)).fit(needs, talents)
            # Ready means ready: the first query must not load the model.
            matcher.encoder_.warm()
            _warm_query(matcher)
            self._matcher = matcher
            self._open_need_ids = {n.id for n in needs}
            self._talent_ids = {t.id for t in talents}
            self._save_state(mark)
            self._publish(mark, wanted)
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

    def _shared_encoder(self, config: Any) -> Any:
        """The encoder over the database's embedding cache (built once), or None for
        the matcher's own over the data folder (``RENCAI_EMBEDDINGS_IN_DATABASE``)."""
        if self._encoder is None:
            from service.embedding_store import shared_encoder

            self._encoder = shared_encoder(self.settings, config)
        return self._encoder

    def _save_state(self, mark: Watermark) -> None:
        """Write the fitted state for the next start (a failure only costs that start
        a refit)."""
        from matching import state

        root = self.settings.resolved_engine_state_dir
        if root is None:
            return
        started = time.perf_counter()
        try:
            root.mkdir(parents=True, exist_ok=True)
            folder = root / f"{time.time_ns()}-{os.getpid()}"
            state.save(self._matcher, folder, watermark=_mark_to_json(mark))
            state.publish(root, folder)
        except OSError as exc:
            log.warning("the matching engine's state could not be saved in %s: %s", root, exc)
            return
        log.info(
            "matching engine state saved in %s in %.1f s", folder, time.perf_counter() - started
        )

    def _load_state(self, session: Session) -> bool:
        """Start from the saved state when there is a usable one: True when loaded. A
        refused state is logged and the caller refits."""
        from matching import state
        from matching.matcher import Matcher

        root = self.settings.resolved_engine_state_dir
        folder = state.newest(root) if root is not None else None
        if folder is None:
            return False
        started = time.perf_counter()
        config = self.settings.matching_config(show_progress=self.show_progress)
        try:
            encoder = Matcher(config, encoder=self._shared_encoder(config))._ready_encoder()
            matcher, manifest = state.load(folder, config, encoder)
            mark = _mark_from_json(manifest.get("watermark"))
        except (state.StateError, KeyError, TypeError, ValueError) as exc:
            log.error("saved matching engine state refused, refitting: %s", exc)
            return False
        encoder.warm()
        _warm_query(matcher)
        with self._lock:
            self._matcher = matcher
            self._open_need_ids = set(matcher.needs_.profiles)
            self._talent_ids = set(matcher.talents_.profiles)
            self._publish(mark, self._wanted)
        # As after a fit: the loaded profiles are long-lived, out of the collector's way.
        gc.freeze()
        self.fit_seconds = time.perf_counter() - started
        log.info(
            "matching engine loaded from %s in %.1f s: %d needs, %d talents",
            folder,
            self.fit_seconds,
            len(self._open_need_ids),
            len(self._talent_ids),
        )
        # Changes made since the state was saved (a rebuild if rows went away).
        self.sync(session, force=True)
        return True

    def start(self, session: Session) -> None:
        """Ready the engine: from the saved state if usable, else by a fit."""
        with self._lock:
            if self._matcher is not None:
                return
            if not self._load_state(session):
                self.fit(session)

    def _publish(self, mark: Watermark, wanted: int) -> None:
        """Swap in a snapshot of the working copy (one assignment: a query holds either
        the old snapshot or the new one) and wake the queries waiting for it."""
        self._seen = mark
        self._checked_at = time.monotonic()
        self._generation += 1
        self._snapshot = _Snapshot(self._matcher.snapshot(), mark, self._generation)
        with self._progress:
            self._applied = max(self._applied, wanted)
            self._progress.notify_all()

    @staticmethod
    def _open_ids(session: Session) -> list[int]:
        return list(session.scalars(select(Need.id).where(Need.status == NeedStatus.OPEN)))

    def mark_dirty(self) -> None:
        """Something this process committed may change recommendations: the background
        thread applies it now, and the next query waits until it has."""
        with self._progress:
            self._wanted += 1
        self._wake.set()

    # ---------------------------------------------------------------- keeping in step
    def attach(self, sessions: Any) -> None:
        """The session factory the background thread reads the database with. One bound
        to a single connection (the tests' outer transaction) cannot be shared with a
        second thread: then queries keep the engine in step themselves."""
        from sqlalchemy import Engine

        bind = getattr(sessions, "kw", {}).get("bind")
        self._sessions = sessions if isinstance(bind, Engine) else None

    def close(self) -> None:
        """Stop the background thread (it also stops when the engine is dropped)."""
        self._stopped.set()
        self._wake.set()
        if self._syncer is not None and self._syncer is not threading.current_thread():
            self._syncer.join(timeout=10)
        self._syncer = None

    def _ensure_syncer(self) -> bool:
        """Start the background thread if it can run; True when it runs."""
        if self._sessions is None or self._stopped.is_set():
            return False
        if self._syncer is None or not self._syncer.is_alive():
            with self._lock:
                if self._syncer is None or not self._syncer.is_alive():
                    self._syncer = threading.Thread(
                        target=_keep_in_step,
                        args=(weakref.ref(self), self._wake, self._stopped),
                        name="engine-sync",
                        daemon=True,
                    )
                    self._syncer.start()
        return True

    def sync_from_database(self) -> None:
        """One round of the background thread: a session of its own, then ``sync``."""
        with self._sessions() as session:
            self.sync(session)

    def sync(self, session: Session, *, force: bool = False) -> None:
        """Bring the fitted state up to date with the database and publish it. The
        watermark is read when this process committed a change, or every
        ``engine_sync_seconds`` for changes made by other processes. Queries go on
        reading the published snapshot meanwhile."""
        if self._matcher is None or self._seen is None:
            self.start(session)
            return
        wanted = self._wanted
        due = time.monotonic() - self._checked_at >= self.settings.engine_sync_seconds
        if not (force or wanted > self._applied or due):
            return
        self.rankers.refresh()
        with self._lock:
            mark = _watermark(session)
            seen = self._seen
            assert seen is not None
            if mark == seen:
                self._checked_at = time.monotonic()
                with self._progress:
                    self._applied = max(self._applied, wanted)
                    self._progress.notify_all()
                return
            if mark.went_back(seen):
                # Rows deleted or a transaction rolled back: rebuild.
                self.fit(session)
                return
            self._apply_need_changes(session, seen)
            self._apply_talent_changes(session, seen)
            self._publish(mark, wanted)

    def _current(self, session: Session) -> _Snapshot:
        """The snapshot a query reads. The first query waits for the first fit; one
        made after this process committed a change waits (at most
        ``engine_commit_wait_seconds``) until the background thread has applied it."""
        if not self._ensure_syncer():
            self.sync(session)
        elif self._snapshot is None:
            self.start(session)
        else:
            with self._progress:
                if self.settings.engine_sync_seconds <= 0:
                    self._wanted += 1  # every query sees every change: one fresh round
                target = self._wanted
            if target > self._applied:
                self._wake.set()
                with self._progress:
                    self._progress.wait_for(
                        lambda: self._applied >= target or self._stopped.is_set(),
                        timeout=self.settings.engine_commit_wait_seconds,
                    )
        snapshot = self._snapshot
        assert snapshot is not None
        return snapshot

    @staticmethod
    def _cached(snapshot: _Snapshot, key: tuple[Any, ...], compute: Any) -> list[Recommendation]:
        with snapshot.cache_lock:
            found = snapshot.cache.get(key)
            if found is not None:
                snapshot.cache.move_to_end(key)
                return found
        value = list(compute())
        with snapshot.cache_lock:
            snapshot.cache[key] = value
            if len(snapshot.cache) > MatchingEngine.CACHE_SIZE:
                snapshot.cache.popitem(last=False)
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
    @contextmanager
    def list_slot(self) -> Iterator[None]:
        """Hold one of this process's ``RENCAI_LISTS_AT_ONCE`` slots while a list is
        made (its reads, ranking and reasons); a list that finds none free waits."""
        if self._list_slots is None:
            yield
            return
        with self._list_slots:
            yield

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
        snapshot = self._current(session)
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
            snapshot,
            key,
            lambda: snapshot.matcher.recommend_talents(
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
        snapshot = self._current(session)
        scorers = [self.rankers.scorer_for(need.county) for need in needs]
        return snapshot.matcher.recommend_talents_many(  # type: ignore[no-any-return]
            needs, ks, scorers=scorers, boosts=boosts
        )

    def needs_mark(self, session: Session) -> tuple[Any, ...]:
        """When the needs the current snapshot was built from last changed, and how
        many there were: it moves with every need this process writes (a query waits
        for those) and with other processes' within ``engine_sync_seconds``."""
        seen = self._current(session).seen
        return (seen.need_changed, seen.needs)

    def talent_arrays(self, session: Session) -> TalentArrays:
        """The hard-constraint columns of every talent the current snapshot holds: a
        batch run's diagnosis reads them instead of loading 100,000 profiles again
        (5.3 s)."""
        return self._current(session).matcher.talent_arrays()  # type: ignore[no-any-return]

    def rank_talents_many(
        self,
        session: Session,
        needs: Sequence[NeedProfile],
        ks: Sequence[int],
        boosts: Sequence[Mapping[str, float] | None],
    ) -> list[RankedTalents]:
        """:meth:`recommend_talents_many` as arrays, the sentences of each pair not yet
        written (``RankedTalents.recommendation`` writes them)."""
        snapshot = self._current(session)
        scorers = [self.rankers.scorer_for(need.county) for need in needs]
        return snapshot.matcher.rank_talents_many(  # type: ignore[no-any-return]
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
        snapshot = self._current(session)
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
            snapshot,
            key,
            lambda: snapshot.matcher.recommend_needs(
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
        snapshot = self._current(session)
        return snapshot.matcher.explain(  # type: ignore[no-any-return]
            need, talent, scorer=self.rankers.scorer_for(need.county), boost=boost
        )


def _keep_in_step(
    engine_ref: weakref.ref[MatchingEngine], wake: threading.Event, stopped: threading.Event
) -> None:
    """The background thread: wakes on this process's commits and every sync interval,
    and ends when the engine is closed or dropped (it holds the engine weakly)."""
    while not stopped.is_set():
        engine = engine_ref()
        if engine is None:
            return
        interval = max(engine.settings.engine_sync_seconds, 0.05)
        del engine
        wake.wait(timeout=interval)
        wake.clear()
        engine = engine_ref()
        if engine is None or stopped.is_set():
            return
        try:
            if engine.fitted:
                engine.sync_from_database()
        except Exception:  # the next round retries; a query meanwhile reads the last snapshot
            log.exception("keeping the matching engine in step failed")
            stopped.wait(1.0)
        del engine


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


def _warm_query(matcher: Any) -> None:
    """Answer one list before the engine reports ready. A worker's first list would
    otherwise also pay for its first touch of the index's and posting lists' mapped
    pages and for first allocations: at 100,000 talents 43 ms, against 26 ms after this
    query and ~10 ms for later lists. A failure only costs the first list that time."""
    needs = matcher.needs_.row_profiles
    if not len(needs) or not len(matcher.talents_.row_profiles):
        return
    try:
        matcher.recommend_talents(needs[0], 10)
    except Exception:  # never keeps the engine from starting
        log.exception("the matching engine's warm-up query failed")
