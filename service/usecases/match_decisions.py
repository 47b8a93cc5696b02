"""A coordinator's decision over several matches at once (the queue's bulk approve or
reject). Each match is its own decision, committed on its own with its own capacity
check, so one refusal does not undo the others."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from models.db import sqlite_immediate_transactions
from service.actor import Actor
from service.errors import AppError
from service.usecases import matches


@dataclass(frozen=True)
class Decided:
    """One match's outcome: ``error`` is None when the decision was saved. The talent's
    name and the need's title are empty when the match could not be read."""

    match_id: int
    talent: str
    need: str
    error: AppError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def decide_each(
    *,
    session: Session,
    actor: Actor,
    action: str,
    reason: str | None,
    versions: Mapping[int, int | None],
) -> list[Decided]:
    """Apply ``action`` to each match in ``versions`` (match id → the version the
    coordinator saw, or None), in order.

    On SQLite every decision after the request's first commit begins IMMEDIATE. A
    deferred transaction reads a snapshot and asks for the write lock only when it
    writes; if another writer (the outbox sender, another coordinator) committed in
    between, SQLite refuses at once with "database is locked" instead of waiting, and
    the request cannot be run again because its earlier decisions are saved."""
    with sqlite_immediate_transactions():
        return [
            _decide_one(session, actor, action, reason, match_id, version)
            for match_id, version in versions.items()
        ]


def _decide_one(
    session: Session,
    actor: Actor,
    action: str,
    reason: str | None,
    match_id: int,
    version: int | None,
) -> Decided:
    talent = need = ""
    try:
        match = matches.get_or_raise(session=session, actor=actor, match_id=match_id)
        talent, need = match.talent.name, match.need.title
        matches.transition(
            session=session,
            actor=actor,
            match_id=match_id,
            action=action,
            reason=reason,
            expected_version=version,
        )
    except AppError as exc:
        session.rollback()
        return Decided(match_id, talent, need, exc)
    return Decided(match_id, talent, need)
