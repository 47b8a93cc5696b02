"""The embedding cache shared by every server node (``matching.cache``): a text's vector
under the sha256 of (encoder id, text). Mapped here so that migrations and the models
agree; the matching engine reads and writes it through its own table definition."""

from __future__ import annotations

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class TextEmbedding(Base):
    __tablename__ = "text_embedding"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    dim: Mapped[int]
    vector: Mapped[bytes] = mapped_column(LargeBinary)
