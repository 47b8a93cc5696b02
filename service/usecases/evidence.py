"""Evidence files of ledger entries: recognised by their first bytes (never by the name
or the type a browser claims), size-limited, and stored once per content in the database
(``EvidenceBlob``, keyed by SHA-256), so every server node can hand out a file another
node received. Nothing is written for a file that is refused. Files stored by earlier
versions under ``<data_dir>/evidence/<sha256[:2]>/<sha256[2:]>`` are still read."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from models import EvidenceBlob
from service.errors import AppError, FieldError

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED = (PDF, PNG, JPEG, XLSX)
_ACCEPTED_TEXT = "PDF, PNG, JPEG or XLSX"


@dataclass(frozen=True)
class StoredEvidence:
    sha256: str
    media_type: str
    size: int
    filename: str


def _is_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def sniff(content: bytes) -> str | None:
    """The media type ``content`` really is, among the accepted ones; else ``None``."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if _is_xlsx(content):
        return XLSX
    return None


def too_large(size: int, max_bytes: int) -> AppError:
    limit_mb = max_bytes / 1024 / 1024
    return AppError(
        413,
        "payload_too_large",
        f"the evidence file is larger than {max_bytes} bytes ({limit_mb:.1f} MB, "
        f"RENCAI_MAX_EVIDENCE_BYTES); this one: {size} bytes or more",
        f"证明材料超过 {limit_mb:.1f} MB 的上限，请压缩或拆分后再上传",
        [FieldError("file", f"larger than {max_bytes} bytes", size)],
    )


def check(content: bytes, filename: str, max_bytes: int) -> str:
    """The media type of an acceptable evidence file, or the error that refuses it."""
    if len(content) > max_bytes:
        raise too_large(len(content), max_bytes)
    if not content:
        raise AppError(
            422,
            "validation_error",
            "the evidence file is empty",
            "证明材料文件为空",
            [FieldError("file", "empty file", filename)],
        )
    media_type = sniff(content)
    if media_type is None:
        raise AppError(
            422,
            "validation_error",
            f"evidence {filename!r} is not a {_ACCEPTED_TEXT} file (judged by its content)",
            "证明材料只接受 PDF、PNG、JPEG 或 XLSX 文件（按文件内容判断）",
            [FieldError("file", f"expected {_ACCEPTED_TEXT}", filename)],
        )
    return media_type


def path_of(evidence_dir: Path, sha256: str) -> Path:
    """Where an earlier version kept the file of ``sha256``."""
    return evidence_dir / sha256[:2] / sha256[2:]


def store(session: Session, content: bytes, filename: str, max_bytes: int) -> StoredEvidence:
    """Check and store ``content`` in the caller's transaction; the same content is
    stored once."""
    media_type = check(content, filename, max_bytes)
    digest = hashlib.sha256(content).hexdigest()
    if session.get(EvidenceBlob, digest) is None:
        session.add(EvidenceBlob(sha256=digest, content=content, size=len(content)))
        session.flush()
    return StoredEvidence(digest, media_type, len(content), clean_filename(filename))


def clean_filename(filename: str) -> str:
    """The original name without any folder part or control characters, at most 255."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return (name or "evidence")[:255]


def read(session: Session, sha256: str, legacy_dir: Path | None = None) -> bytes:
    """The stored file; from ``legacy_dir`` when it predates storage in the database."""
    blob = session.get(EvidenceBlob, sha256)
    if blob is not None:
        return blob.content
    legacy = path_of(legacy_dir, sha256) if legacy_dir is not None else None
    if legacy is None or not legacy.is_file():
        raise AppError(404, "not_found", "the evidence file is missing", "找不到证明材料文件")
    return legacy.read_bytes()
