"""Evidence files of ledger entries, stored once per content in the database, so that
every server node can hand out a file another node received (docs/deployment.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class EvidenceBlob(Base):
    __tablename__ = "evidence_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
