"""Closed vocabularies stored as short strings and guarded by CHECK constraints, so the
same rows are valid on SQLite and PostgreSQL."""

from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    """How a talent serves a site; mirrors ``matching.types.Mode``."""

    ONSITE_LONG = "onsite_long"
    ONSITE_SHORT = "onsite_short"
    SEASONAL = "seasonal"
    REMOTE = "remote"
    PART_TIME = "part_time"
    PROJECT = "project"


class NeedStatus(StrEnum):
    OPEN = "open"
    FILLED = "filled"
    CLOSED = "closed"
    EXPIRED = "expired"  # its end date has passed (service.usecases.expiry)


class MatchStatus(StrEnum):
    PROPOSED = "proposed"
    INTERESTED = "interested"
    DECLINED = "declined"
    ACCEPTED = "accepted"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class MatchOrigin(StrEnum):
    BATCH = "batch"
    SITE = "site"
    TALENT = "talent"
    COORDINATOR = "coordinator"


class Role(StrEnum):
    SITE_STAFF = "site_staff"
    TALENT = "talent"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class PairingKind(StrEnum):
    ONE_TO_ONE = "one_to_one"  # 一对一帮扶
    COUNTERPART_HOSPITAL = "counterpart_hospital"  # 三级医院对口帮扶县级医院


class ProgrammeKind(StrEnum):
    GOAL = "goal"  # a yearly goal of 行动目标
    MEASURE = "measure"  # a row of the 任务分解表


class DataRequestStatus(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"


class RunStatus(StrEnum):
    QUEUED = "queued"  # waiting for a job runner to take it
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


# Statuses in which a match holds one unit of a talent's concurrent capacity.
CAPACITY_HOLDING = frozenset({MatchStatus.APPROVED, MatchStatus.ACTIVE})
# Statuses that close a match for good.
TERMINAL = frozenset(
    {MatchStatus.DECLINED, MatchStatus.REJECTED, MatchStatus.COMPLETED, MatchStatus.CANCELLED}
)
