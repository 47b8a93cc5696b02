"""Leases for long jobs: a batch run (``MatchRun``) left ``running`` by a process that
died (kill -9, a crash, a power cut) is marked ``failed`` with its reason instead of
staying ``running`` for ever.

* While a run works, a :class:`Heartbeat` thread of its process refreshes the run's
  ``heartbeat_at`` every quarter of the lease (``job_lease_seconds``).
* At start-up (:func:`reap_at_startup`) and before every new run
  (:func:`reap_stale_runs`), a ``running`` run is failed when its heartbeat is older
  than the lease, or at once when its owner is a process of this machine that no longer
  exists.

Also here: what a failed run's report says (:func:`failure_report`). The coordinator
reads a plain message in Chinese and English; the raw error (often a database error
with its SQL) goes to the log only.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import MatchRun
from models.db import sqlite_immediate_transactions
from models.enums import RunStatus
from service.errors import AppError
from service.processes import process_alive

log = logging.getLogger(__name__)

# (zh-CN, en) for each reason a run can fail with.
FAILURE_TEXT: dict[str, tuple[str, str]] = {
    "internal_error": (
        "匹配因系统内部错误中止，已记录日志（批次 #{run_id}）。"
        "请重新运行；如再次出现，请联系管理员。",
        "The run stopped because of an internal error, which has been logged (run "
        "#{run_id}). Run it again; if it happens again, ask the administrator.",
    ),
    "database_busy": (
        "匹配时数据库正忙，未保存任何结果（批次 #{run_id}）。请稍后重新运行。",
        "The database was busy during the run and nothing was saved (run #{run_id}). "
        "Run it again in a moment.",
    ),
    "conflict": (
        "其他操作同时创建了对接记录，未保存任何结果（批次 #{run_id}）。请重新运行。",
        "Another run or a person created one of these matches at the same time; nothing "
        "was saved (run #{run_id}). Run it again.",
    ),
    "interrupted": (
        "匹配被中断，未保存任何结果（批次 #{run_id}）。",
        "The run was interrupted and nothing was saved (run #{run_id}).",
    ),
    "abandoned": (
        "运行该匹配的进程（{owner}）已停止，自 {last} 起没有心跳，匹配未完成，未保存任何结果。"
        "请重新运行。",
        "The process running this match ({owner}) stopped: no heartbeat since {last}. "
        "The run did not finish and nothing was saved. Run it again.",
    ),
}


def _text(reason: str, **values: Any) -> tuple[str, str]:
    zh, en = FAILURE_TEXT[reason]
    return zh.format(**values), en.format(**values)


def failure_report(run_id: int, exc: BaseException, seconds: float) -> dict[str, Any]:
    """The report of a run that failed with ``exc``: a person-fixable error keeps its
    own message; anything else is logged in full and shown as a plain sentence."""
    if isinstance(exc, AppError):
        reason, zh, en = exc.code, exc.message_zh or exc.message, exc.message
    else:
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            reason = "interrupted"
        elif isinstance(exc, IntegrityError):
            reason = "conflict"
        elif "locked" in str(exc).lower() or "busy" in str(exc).lower():
            reason = "database_busy"
        else:
            reason = "internal_error"
        log.error("match run %s failed", run_id, exc_info=(type(exc), exc, exc.__traceback__))
        zh, en = _text(reason, run_id=run_id)
    return {"error": en, "error_zh": zh, "reason": reason, "total_seconds": round(seconds, 3)}


# ------------------------------------------------------------------ heartbeat
class Heartbeat:
    """Refreshes one run's ``heartbeat_at`` from a thread with its own connection until
    stopped. Only when the session is bound to an engine: a session joined to an outer
    connection (a test's transaction) has nobody else to tell."""

    def __init__(self, bind: Engine, run_id: int, interval: float) -> None:
        self.bind = bind
        self.run_id = run_id
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name=f"run-{run_id}-heartbeat", daemon=True
        )

    @classmethod
    def start(cls, session: Session, run_id: int, lease_seconds: float) -> Heartbeat | None:
        bind = session.get_bind()
        if not isinstance(bind, Engine):
            return None
        beat = cls(bind, run_id, max(0.2, lease_seconds / 4))
        beat._thread.start()
        return beat

    @classmethod
    def on(cls, bind: Engine | None, run_id: int, lease_seconds: float) -> Heartbeat | None:
        """A started heartbeat over ``bind``; None without an engine to connect to."""
        if bind is None:
            return None
        beat = cls(bind, run_id, max(0.2, lease_seconds / 4))
        beat._thread.start()
        return beat

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                with Session(self.bind) as session:
                    session.execute(
                        update(MatchRun)
                        .where(
                            MatchRun.id == self.run_id,
                            MatchRun.status == RunStatus.RUNNING.value,
                        )
                        .values(heartbeat_at=datetime.now(UTC))
                    )
                    session.commit()
            except Exception:  # a busy database delays a beat; the next one tries again
                log.warning("heartbeat of match run %s failed", self.run_id, exc_info=True)


def stop(beat: Heartbeat | None) -> None:
    if beat is not None:
        beat.stop()


def begin_write_phase(session: Session) -> None:
    """End the run's read snapshot and start the transaction that writes its results,
    holding the write lock from its first statement. On SQLite a read transaction that
    another connection (the heartbeat, a coordinator) has written past can never
    write; beginning IMMEDIATE queues for the lock instead (up to the busy timeout)."""
    session.rollback()
    with sqlite_immediate_transactions():
        session.connection()


# ------------------------------------------------------------------ reaping
def _pid_gone(owner: str | None) -> bool:
    """True when ``owner`` (host:pid) is a process of this machine, not this one, that
    no longer exists. Another machine's process is judged by its lease alone."""
    if not owner or ":" not in owner:
        return False
    host, _, pid_text = owner.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    return not process_alive(pid)


def reap_stale_runs(session: Session, lease_seconds: float) -> list[int]:
    """Mark failed every ``running`` run whose lease expired or whose process is gone;
    return their ids. Its own transaction (committed); call it before starting work."""
    session.rollback()
    now = datetime.now(UTC)
    cutoff = now - timedelta(seconds=lease_seconds)
    reaped: list[int] = []
    # A plain read first: a job runner looks every few seconds, and with nothing
    # running it should never take the write lock.
    if not session.scalar(
        select(MatchRun.id).where(MatchRun.status == RunStatus.RUNNING.value).limit(1)
    ):
        session.rollback()
        return reaped
    session.rollback()
    with sqlite_immediate_transactions():
        running = session.execute(
            select(MatchRun.id, MatchRun.owner, MatchRun.heartbeat_at, MatchRun.started_at).where(
                MatchRun.status == RunStatus.RUNNING.value
            )
        ).all()
    for run_id, owner, heartbeat_at, started_at in running:
        last = heartbeat_at or started_at
        if last >= cutoff and not _pid_gone(owner):
            continue
        zh, en = _text(
            "abandoned",
            owner=owner or "?",
            last=last.strftime("%Y-%m-%d %H:%M:%S UTC"),
        )
        session.execute(
            update(MatchRun)
            .where(MatchRun.id == run_id, MatchRun.status == RunStatus.RUNNING.value)
            .values(
                status=RunStatus.FAILED.value,
                finished_at=now,
                report={"error": en, "error_zh": zh, "reason": "abandoned", "owner": owner},
            )
        )
        reaped.append(run_id)
        log.warning("match run %s was abandoned by %s (last heartbeat %s)", run_id, owner, last)
    session.commit()
    return reaped


def reap_at_startup(sessions: Any, lease_seconds: float) -> list[int]:
    """:func:`reap_stale_runs` in a session of its own; a failure is logged, never
    stops the start-up."""
    try:
        with sessions() as session:
            return reap_stale_runs(session, lease_seconds)
    except Exception:
        log.exception("could not look for abandoned match runs at start-up")
        return []
