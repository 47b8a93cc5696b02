"""The data model: SQLAlchemy 2 typed tables, Pydantic schemas and Alembic migrations.

Importing ``models`` registers every table on ``Base.metadata``."""

from models.audit import AuditEvent
from models.base import Base
from models.county_target import CountyTarget
from models.embedding import TextEmbedding
from models.evidence import EvidenceBlob
from models.geo import County, Township
from models.impression import MatchImpression
from models.institution import Institution, Pairing
from models.ledger import RegisterEntry, Training, TrainingParticipant, TrainingServiceRecord
from models.match import Match, MatchEvent, MatchRun, RunProposal, ServiceRecord
from models.message import MatchMessage
from models.need import Need
from models.notification import (
    Delivery,
    Notification,
    NotificationPreference,
    WorkerLease,
)
from models.people import (
    CareerFacts,
    Recruitment,
    Rotation,
    ServicePeriodReview,
    StaffingMovement,
    StaffingPool,
)
from models.privacy import DataDeletionRequest
from models.programme import Programme, Target
from models.programme_entry import ProgrammeEntry
from models.site import Site
from models.talent import AvailabilityWindow, Talent
from models.throttle import LoginFailure
from models.user import User

__all__ = [
    "AuditEvent",
    "AvailabilityWindow",
    "Base",
    "CareerFacts",
    "County",
    "CountyTarget",
    "DataDeletionRequest",
    "Delivery",
    "EvidenceBlob",
    "Institution",
    "LoginFailure",
    "Match",
    "MatchEvent",
    "MatchImpression",
    "MatchMessage",
    "MatchRun",
    "Need",
    "Notification",
    "NotificationPreference",
    "Pairing",
    "Programme",
    "ProgrammeEntry",
    "Recruitment",
    "RegisterEntry",
    "Rotation",
    "RunProposal",
    "ServicePeriodReview",
    "ServiceRecord",
    "Site",
    "StaffingMovement",
    "StaffingPool",
    "Talent",
    "Target",
    "TextEmbedding",
    "Township",
    "Training",
    "TrainingParticipant",
    "TrainingServiceRecord",
    "User",
    "WorkerLease",
]
