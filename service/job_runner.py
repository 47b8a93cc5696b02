"""The job runner: a background thread of ``rencai serve`` (or ``rencai match worker``)
that carries out queued batch runs one at a time, each in its own sessions, outside any
request. Several runners — threads of several processes on several nodes — may poll
the same database: a run is taken by one conditional UPDATE, so exactly one runner
carries it out (:func:`service.usecases.batch.job.claim`). The runner also fails runs
abandoned by a dead process (``service.jobs``) before each look."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from service import jobs
from service.engine import MatchingEngine
from service.usecases.batch import job

log = logging.getLogger(__name__)


class JobRunner:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        engine: MatchingEngine,
        *,
        poll_seconds: float | None = None,
    ) -> None:
        self.sessions = sessions
        self.engine = engine
        self.poll_seconds = poll_seconds or engine.settings.job_poll_seconds
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def run_once(self) -> int | None:
        """Carry out the oldest queued run, if any; its id (None: nothing queued or
        another runner took it)."""
        with self.sessions() as session:
            jobs.reap_stale_runs(session, self.engine.settings.job_lease_seconds)
            run_id = job.next_queued(session)
        if run_id is None:
            return None
        bind = self.sessions.kw.get("bind")
        try:
            done = job.execute(
                sessions=self.sessions,
                engine=self.engine,
                run_id=run_id,
                bind=bind if isinstance(bind, Engine) else None,
            )
        except job.RunCancelled:
            log.info("match run %s was cancelled", run_id)
        except job.WorldChanged as exc:
            log.info("match run %s: %s", run_id, exc)
        except Exception:  # marked failed by execute; the runner goes on
            log.exception("match run %s failed", run_id)
        else:
            if done is None:
                return None
        return run_id

    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                ran = self.run_once()
            except Exception:  # the database may be down; try again next round
                log.exception("job runner round failed")
                ran = None
            if ran is None:
                job.queued.wait(self.poll_seconds)
                job.queued.clear()

    def start(self) -> threading.Thread:
        self.thread = threading.Thread(target=self.run, name="job-runner", daemon=True)
        self.thread.start()
        return self.thread

    def stop(self) -> None:
        self.stop_event.set()
        job.queued.set()
        if self.thread is not None:
            self.thread.join(timeout=10)
